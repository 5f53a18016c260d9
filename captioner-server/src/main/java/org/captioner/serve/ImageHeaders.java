package org.captioner.serve;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.OptionalLong;

/**
 * Reads an image's size from its header alone, so the service can reserve memory for a picture before decoding
 * it. (ImageDecoder reads the same header again when it decodes; a header-only probe in the core would replace this.)
 */
final class ImageHeaders {
    private ImageHeaders() {
    }

    /** Width x height as the header announces it; empty when no reader recognises or can read the header. */
    static OptionalLong pixels(byte[] data) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                return OptionalLong.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                return OptionalLong.of((long) reader.getWidth(0) * reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty(); // the decoder will say what is wrong with it
        }
    }
}
