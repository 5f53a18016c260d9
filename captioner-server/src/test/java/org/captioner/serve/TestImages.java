package org.captioner.serve;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;

/** Pictures made on the spot for the tests and the benchmark. */
public final class TestImages {
    private TestImages() {
    }

    /** A JPEG of colored rectangles; {@code seed} varies the picture. */
    public static byte[] jpeg(int width, int height, long seed) {
        return encoded("jpg", width, height, seed);
    }

    /** The same kind of picture in any format ImageIO writes: {@code png}, {@code gif}, {@code bmp}, ... */
    public static byte[] encoded(String format, int width, int height, long seed) {
        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        Random random = new Random(seed);
        g.setColor(new Color(random.nextInt(0x1000000)));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 12; i++) {
            g.setColor(new Color(random.nextInt(0x1000000)));
            g.fillRect(random.nextInt(width), random.nextInt(height), 1 + random.nextInt(width / 2), 1 + random.nextInt(height / 2));
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(picture, format, out)) {
                throw new IllegalArgumentException("ImageIO writes no " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A PNG signature and a valid header announcing {@code width x height} pixels, with no image data:
     * a decompression bomb in miniature, to be refused from its header alone.
     */
    public static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        byte[] type = "IHDR".getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(type);
        crc.update(header.array());
        return ByteBuffer.allocate(8 + 4 + 4 + 13 + 4)
                .put(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(type).put(header.array()).putInt((int) crc.getValue()).array();
    }
}
