package org.captioner.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a file says how long its parts are (PNG chunks, JPEG segments, GIF sub-blocks, RIFF chunks, BMP sizes and
 * offsets): the fields a fuzzer edits to make readers skip, overrun or allocate by a lie.
 */
public final class LengthFields {
    /** A length field: {@code bytes} wide at {@code offset}, in {@code order}. */
    public record Field(int offset, int bytes, ByteOrder order) {
        /** Writes {@code value}, cut to the field's width. */
        public void write(byte[] data, long value) {
            ByteBuffer buffer = ByteBuffer.wrap(data).order(order);
            switch (bytes) {
                case 1 -> buffer.put(offset, (byte) value);
                case 2 -> buffer.putShort(offset, (short) value);
                default -> buffer.putInt(offset, (int) value);
            }
        }
    }

    private LengthFields() {
    }

    /** The length fields of a valid file (a seed, not a mutant: lengths are trusted to walk the structure). */
    public static List<Field> of(byte[] data) {
        List<Field> fields = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(data);
        if (HeaderEdits.startsWith(data, 0x89, 'P', 'N', 'G')) {
            for (int at = 8; at + 8 <= data.length; at += 12 + Math.max(0, buffer.getInt(at))) {
                fields.add(new Field(at, 4, ByteOrder.BIG_ENDIAN));
            }
        } else if (HeaderEdits.startsWith(data, 0xFF, 0xD8)) {
            // Segments up to the first scan; markers without length (RSTn, SOI, EOI) do not occur there.
            for (int at = 2; at + 4 <= data.length && (data[at] & 0xFF) == 0xFF; at += 2 + (buffer.getShort(at + 2) & 0xFFFF)) {
                fields.add(new Field(at + 2, 2, ByteOrder.BIG_ENDIAN));
                if ((data[at + 1] & 0xFF) == 0xDA) {
                    break;
                }
            }
        } else if (HeaderEdits.startsWith(data, 'G', 'I', 'F')) {
            gifBlocks(data, fields);
        } else if (HeaderEdits.startsWith(data, 'B', 'M') && data.length >= 54) {
            // file size, pixel data offset, info header size, image data size, colors used
            for (int offset : new int[] {2, 10, 14, 34, 46}) {
                fields.add(new Field(offset, 4, ByteOrder.LITTLE_ENDIAN));
            }
        } else if (HeaderEdits.startsWith(data, 'R', 'I', 'F', 'F')) {
            fields.add(new Field(4, 4, ByteOrder.LITTLE_ENDIAN));
            ByteBuffer little = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            for (int at = 12; at + 8 <= data.length && little.getInt(at + 4) >= 0; at += 8 + ((little.getInt(at + 4) + 1) & ~1)) {
                fields.add(new Field(at + 4, 4, ByteOrder.LITTLE_ENDIAN));
            }
        }
        return fields;
    }

    /** The offset of the first image descriptor (0x2C) of a GIF, or -1. */
    public static int gifFirstImageDescriptor(byte[] gif) {
        List<Field> ignored = new ArrayList<>();
        return gifBlocks(gif, ignored);
    }

    /** Walks a GIF's blocks, collecting sub-block lengths; returns the first image descriptor's offset or -1. */
    private static int gifBlocks(byte[] gif, List<Field> lengths) {
        if (gif.length < 13) {
            return -1;
        }
        int at = 13 + colorTableBytes(gif[10]);
        int firstImage = -1;
        while (at < gif.length) {
            int introducer = gif[at] & 0xFF;
            if (introducer == 0x2C && at + 10 <= gif.length) {
                firstImage = firstImage < 0 ? at : firstImage;
                at += 10 + colorTableBytes(gif[at + 9]) + 1; // descriptor, local table, LZW minimum code size
            } else if (introducer == 0x21) {
                at += 2; // introducer and label
            } else {
                return firstImage; // trailer or garbage
            }
            while (at < gif.length && gif[at] != 0) {
                lengths.add(new Field(at, 1, ByteOrder.LITTLE_ENDIAN));
                at += 1 + (gif[at] & 0xFF);
            }
            at++; // block terminator
        }
        return firstImage;
    }

    private static int colorTableBytes(byte packed) {
        return (packed & 0x80) == 0 ? 0 : 3 * (1 << ((packed & 0x07) + 1));
    }
}
