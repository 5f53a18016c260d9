package org.captioner.image;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes a large, mostly flat RGB PNG row by row, so a 40-megapixel decompression bomb of ~100 KB is made
 * without holding its pixels: the test measures the decoder's memory, not the generator's.
 */
public final class FlatPng {
    private FlatPng() {
    }

    /** A gray {@code width x height} picture with a darker diagonal band, 8-bit RGB. */
    public static byte[] of(int width, int height) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(idat)) {
            byte[] row = new byte[1 + 3 * width];
            for (int y = 0; y < height; y++) {
                Arrays.fill(row, 1, row.length, (byte) 0x80);
                int band = (int) ((long) y * width / height);
                for (int x = Math.max(0, band - 8); x < Math.min(width, band + 8); x++) {
                    row[1 + 3 * x] = row[2 + 3 * x] = row[3 + 3 * x] = 0x20;
                }
                deflate.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(ihdr)) {
            out.writeInt(width);
            out.writeInt(height);
            out.write(new byte[] {8, 2, 0, 0, 0}); // 8 bits, RGB, deflate, adaptive filters, not interlaced
        }
        chunk(png, "IHDR", ihdr.toByteArray());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** Appends a chunk: length, type, data and the CRC of type and data. */
    static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        DataOutputStream out = new DataOutputStream(png);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeInt(data.length);
        out.write(typeBytes);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }
}
