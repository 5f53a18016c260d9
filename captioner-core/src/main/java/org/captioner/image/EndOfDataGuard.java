package org.captioner.image;

import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;
import java.io.IOException;

/**
 * Passes an image stream through, but fails once a reader keeps reading past its end. TwelveMonkeys' WebP
 * lossless reader treats the end of data as zero bits and carries on: a 46-byte file announcing 16,192 x 32
 * pixels took 29 s and 1.1 GB of EOFExceptions. Readers look past the end a few times on valid files (read-ahead),
 * never hundreds.
 */
final class EndOfDataGuard extends ImageInputStreamImpl {
    /** Valid files need a handful of past-the-end reads at most. */
    private static final int MAX_READS_PAST_END = 256;

    private final ImageInputStream input;
    private int readsPastEnd;

    EndOfDataGuard(ImageInputStream input) {
        this.input = input;
    }

    @Override
    public int read() throws IOException {
        bitOffset = 0;
        int value = input.read();
        if (value < 0) {
            pastEnd();
        } else {
            streamPos++;
        }
        return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        bitOffset = 0;
        int read = input.read(buffer, offset, length);
        if (read < 0) {
            pastEnd();
        } else {
            streamPos += read;
        }
        return read;
    }

    @Override
    public void seek(long position) throws IOException {
        super.seek(position);
        input.seek(position);
    }

    @Override
    public long length() {
        try {
            return input.length();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Not an EOFException: readers that swallow those must not swallow this. */
    private void pastEnd() throws IIOException {
        if (++readsPastEnd > MAX_READS_PAST_END) {
            throw new IIOException("the image data ends before its pixels do (truncated or corrupt)");
        }
    }
}
