package org.captioner.features;

/**
 * IEEE 754 half precision, as the feature store keeps features (Java 17 has no
 * {@code Float.floatToFloat16}; that arrives in Java 20). Rounds to nearest even.
 */
public final class Float16 {
    /** Every half's float value: decoding is a table look-up, which keeps memory-mapped reads fast. */
    private static final float[] TO_FLOAT = new float[1 << 16];

    static {
        for (int h = 0; h < TO_FLOAT.length; h++) {
            TO_FLOAT[h] = decode(h);
        }
    }

    private Float16() {
    }

    public static float toFloat(short half) {
        return TO_FLOAT[half & 0xffff];
    }

    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) { // infinity or NaN (keep NaN a NaN)
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1f) { // too large: infinity
            return (short) (sign | 0x7c00);
        }
        if (halfExponent <= 0) { // subnormal half or zero
            if (halfExponent < -10) {
                return (short) sign;
            }
            int fullMantissa = mantissa | 0x800000;
            int shift = 14 - halfExponent;
            int rounded = roundShift(fullMantissa, shift);
            return (short) (sign | rounded);
        }
        // The carry of rounding may overflow the mantissa into the exponent, which is still correct.
        int rounded = roundShift((halfExponent << 23) | mantissa, 13);
        return (short) (sign | rounded);
    }

    /** {@code value >> shift} rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int truncated = value >>> shift;
        int remainder = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (remainder > half || (remainder == half && (truncated & 1) == 1)) {
            truncated++;
        }
        return truncated;
    }

    private static float decode(int half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1f;
        int mantissa = half & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
