package org.captioner.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads request and response bodies without letting an over-long one fill the memory. */
final class BoundedInput {
    private BoundedInput() {
    }

    /**
     * All of {@code input}, or a 413 {@link ApiError} as soon as it passes {@code maxBytes}.
     *
     * @param code the error code of that refusal, e.g. {@code image_too_large}
     * @param what what is being read, for the message, e.g. {@code "the JSON body"}
     */
    static byte[] readAtMost(InputStream input, long maxBytes, String code, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int read; (read = input.read(buffer)) != -1; ) {
            total += read;
            if (total > maxBytes) {
                throw new ApiError(413, code, what + " is larger than the limit of " + maxBytes + " bytes");
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    /** An image, refused as {@code image_too_large}. */
    static byte[] readImage(InputStream input, long maxBytes, String what) throws IOException {
        return readAtMost(input, maxBytes, "image_too_large", what);
    }
}
