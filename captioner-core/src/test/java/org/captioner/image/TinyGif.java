package org.captioner.image;

import java.io.ByteArrayOutputStream;

/** GIFs written byte by byte: any number of 1x1 frames, ~15 bytes each. */
final class TinyGif {
    private TinyGif() {
    }

    static byte[] frames(int count) {
        ByteArrayOutputStream gif = new ByteArrayOutputStream(20 + 15 * count);
        gif.writeBytes("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        gif.writeBytes(new byte[] {1, 0, 1, 0, (byte) 0x80, 0, 0}); // 1x1 screen, 2-color global table
        gif.writeBytes(new byte[] {0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        for (int i = 0; i < count; i++) {
            gif.writeBytes(new byte[] {0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0}); // 1x1 frame at 0,0
            gif.writeBytes(new byte[] {2, 2, 0x44, 0x01, 0}); // LZW size 2: clear, pixel 0, end
        }
        gif.write(0x3B);
        return gif.toByteArray();
    }
}
