package org.captioner.spark;

import org.captioner.features.Float16;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Floats as little-endian IEEE half precision bytes, the feature store's encoding, and back. */
final class Float16Bytes {
    private Float16Bytes() {
    }

    static byte[] encode(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putShort(Float16.fromFloat(value));
        }
        return buffer.array();
    }

    static float[] decode(byte[] halves) {
        ByteBuffer buffer = ByteBuffer.wrap(halves).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[halves.length / 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float16.toFloat(buffer.getShort());
        }
        return values;
    }
}
