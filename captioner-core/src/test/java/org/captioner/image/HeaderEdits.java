package org.captioner.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Rewrites the picture size in a valid file's header, as a hostile or broken file would announce it, keeping the
 * rest (and checksums) valid so the decoder's own checks are what is tested. Sizes beyond a format's field are
 * cut to the field (e.g. 65535 in a JPEG).
 */
public final class HeaderEdits {
    private HeaderEdits() {
    }

    /** The same bytes with the announced size changed; a format whose header is not found is returned unchanged. */
    public static byte[] withSize(byte[] image, long width, long height) {
        byte[] edited = image.clone();
        ByteBuffer buffer = ByteBuffer.wrap(edited);
        if (startsWith(image, 0x89, 'P', 'N', 'G')) {
            pngSize(buffer, width, height);
        } else if (startsWith(image, 0xFF, 0xD8)) {
            jpegSize(buffer, width, height);
        } else if (startsWith(image, 'G', 'I', 'F')) {
            buffer.order(ByteOrder.LITTLE_ENDIAN).putShort(6, (short) clamp(width, 0xFFFF)).putShort(8, (short) clamp(height, 0xFFFF));
            int descriptor = LengthFields.gifFirstImageDescriptor(edited);
            if (descriptor > 0) {
                buffer.putShort(descriptor + 5, (short) clamp(width, 0xFFFF)).putShort(descriptor + 7, (short) clamp(height, 0xFFFF));
            }
        } else if (startsWith(image, 'B', 'M')) {
            buffer.order(ByteOrder.LITTLE_ENDIAN).putInt(18, (int) clamp(width, 0xFFFFFFFFL)).putInt(22, (int) clamp(height, 0xFFFFFFFFL));
        } else if (startsWith(image, 'R', 'I', 'F', 'F') && image.length > 30) {
            webpSize(buffer.order(ByteOrder.LITTLE_ENDIAN), width, height);
        }
        return edited;
    }

    private static void pngSize(ByteBuffer png, long width, long height) {
        png.putInt(16, (int) clamp(width, 0xFFFFFFFFL)).putInt(20, (int) clamp(height, 0xFFFFFFFFL));
        CRC32 crc = new CRC32();
        crc.update(png.array(), 12, 4 + 13); // chunk type "IHDR" + 13 data bytes
        png.putInt(12 + 4 + 13, (int) crc.getValue());
    }

    /** The first start-of-frame segment (SOF0-SOF15 but DHT, JPG, DAC): precision, then height and width. */
    private static void jpegSize(ByteBuffer jpeg, long width, long height) {
        int at = 2;
        while (at + 9 < jpeg.limit() && (jpeg.get(at) & 0xFF) == 0xFF) {
            int marker = jpeg.get(at + 1) & 0xFF;
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                jpeg.putShort(at + 5, (short) clamp(height, 0xFFFF)).putShort(at + 7, (short) clamp(width, 0xFFFF));
                return;
            }
            at += 2 + (jpeg.getShort(at + 2) & 0xFFFF);
        }
    }

    /** VP8X canvas (24-bit sides minus one), VP8 frame (14-bit sides) or VP8L (14-bit sides minus one). */
    private static void webpSize(ByteBuffer webp, long width, long height) {
        String chunk = new String(webp.array(), 12, 4, StandardCharsets.US_ASCII);
        switch (chunk) {
            case "VP8X" -> {
                put24(webp, 24, clamp(width - 1, 0xFFFFFF));
                put24(webp, 27, clamp(height - 1, 0xFFFFFF));
            }
            case "VP8 " -> webp.putShort(26, (short) clamp(width, 0x3FFF)).putShort(28, (short) clamp(height, 0x3FFF));
            case "VP8L" -> {
                int bits = webp.getInt(21);
                int sides = (int) clamp(width - 1, 0x3FFF) | (int) clamp(height - 1, 0x3FFF) << 14;
                webp.putInt(21, bits & 0xF000_0000 | sides);
            }
            default -> { }
        }
    }

    private static void put24(ByteBuffer buffer, int at, long value) {
        buffer.put(at, (byte) value).put(at + 1, (byte) (value >> 8)).put(at + 2, (byte) (value >> 16));
    }

    private static long clamp(long value, long max) {
        return Math.max(0, Math.min(value, max));
    }

    static boolean startsWith(byte[] data, int... prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((data[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
