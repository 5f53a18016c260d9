package org.captioner.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads request and response bodies without letting an over-long one fill the memory. */
final class BoundedInput {
    private BoundedInput() {
    }

    /** All of {@code input}, or a 413 {@link ApiError} as soon as it passes {@code maxBytes}. */
    static byte[] readAtMost(InputStream input, long maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int read; (read = input.read(buffer)) != -1; ) {
            total += read;
            if (total > maxBytes) {
                throw new ApiError(413, "image_too_large", "the image is larger than the limit of " + maxBytes + " bytes");
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }
}
