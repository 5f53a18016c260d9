package org.captioner.decode;

/**
 * Activation functions in float arithmetic that HotSpot vectorizes inside loops (no calls, no branches).
 * {@link Math#tanh} is exact but a call per element: ten times slower over the attention's 49 x 256 values per row.
 */
final class Activations {
    /** Beyond this tanh rounds to ±1 in float. */
    private static final float TANH_CLAMP = 7.90531110763549805f;

    private Activations() {
    }

    /**
     * tanh as Eigen's rational approximation (odd degree-13 over even degree-6 polynomial, on the clamped input):
     * at most 3.6e-7 from {@link Math#tanh} (measured on [-12, 12] in steps of 1e-4; ActivationsTest).
     */
    static float tanh(float input) {
        float x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, input));
        float x2 = x * x;
        float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
        p = x2 * p + -8.60467152213735e-11f;
        p = x2 * p + 5.12229709037114e-08f;
        p = x2 * p + 1.48572235717979e-05f;
        p = x2 * p + 6.37261928875436e-04f;
        p = x2 * p + 4.89352455891786e-03f;
        float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
        q = x2 * q + 2.26843463243900e-03f;
        q = x2 * q + 4.89352518554385e-03f;
        return x * p / q;
    }

    /** The logistic function through {@code σ(x) = (1 + tanh(x / 2)) / 2}: within 2e-7 of the exact value. */
    static float sigmoid(float x) {
        return 0.5f + 0.5f * tanh(0.5f * x);
    }

    /** Turns {@code values[0 .. length - 1]} into their softmax, in place (max subtracted first, as libtorch does). */
    static void softmax(float[] values, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, values[i]);
        }
        float sum = 0;
        for (int i = 0; i < length; i++) {
            values[i] = (float) Math.exp(values[i] - max);
            sum += values[i];
        }
        for (int i = 0; i < length; i++) {
            values[i] /= sum;
        }
    }

    /** Turns {@code values} into their log-softmax, in place: {@code x - max - log Σ exp(x - max)}. */
    static void logSoftmax(float[] values) {
        float max = Float.NEGATIVE_INFINITY;
        for (float value : values) {
            max = Math.max(max, value);
        }
        double sum = 0;
        for (float value : values) {
            sum += Math.exp(value - max);
        }
        float shift = max + (float) Math.log(sum);
        for (int i = 0; i < values.length; i++) {
            values[i] -= shift;
        }
    }
}
