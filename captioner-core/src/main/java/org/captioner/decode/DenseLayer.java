package org.captioner.decode;

import ai.djl.ndarray.NDArray;

import java.util.Arrays;
import java.util.Map;

/**
 * An affine layer {@code x·W + b} on rows of floats, with W [in, out] kept as one Java array per input: the inner
 * loop is then {@code y[j] += a·w[j]} over whole arrays, which HotSpot (JDK 17) turns into SIMD code. Indexing one
 * flat array at a row offset it does not vectorize, 4 to 9 times slower (measured, bench/README.md).
 */
final class DenseLayer {
    private final float[][] weight;
    private final float[] bias;

    private DenseLayer(float[][] weight, float[] bias) {
        this.weight = weight;
        this.bias = bias;
    }

    /**
     * Columns {@code [from, to)} of the model's [in, out] matrix {@code weightName} and of the vector
     * {@code biasName} (null: no bias).
     */
    static DenseLayer of(Map<String, NDArray> tensors, String weightName, String biasName, int from, int to) {
        NDArray matrix = ModelTensors.require(tensors, weightName, 2);
        int inputs = Math.toIntExact(matrix.getShape().get(0));
        int outputs = Math.toIntExact(matrix.getShape().get(1));
        float[] flat = matrix.toFloatArray();
        float[][] rows = new float[inputs][to - from];
        for (int i = 0; i < inputs; i++) {
            System.arraycopy(flat, i * outputs + from, rows[i], 0, to - from);
        }
        float[] bias = null;
        if (biasName != null) {
            bias = new float[to - from];
            System.arraycopy(ModelTensors.require(tensors, biasName, 1).toFloatArray(), from, bias, 0, to - from);
        }
        return new DenseLayer(rows, bias);
    }

    /** The whole matrix {@code weightName} and vector {@code biasName} (null: no bias). */
    static DenseLayer of(Map<String, NDArray> tensors, String weightName, String biasName) {
        NDArray matrix = ModelTensors.require(tensors, weightName, 2);
        return of(tensors, weightName, biasName, 0, Math.toIntExact(matrix.getShape().get(1)));
    }

    int inputs() {
        return weight.length;
    }

    int outputs() {
        return weight[0].length;
    }

    /** {@code outputs[r] = inputs[r]·W + b} for rows {@code 0 .. rows - 1}. */
    void apply(float[][] inputs, float[][] outputs, int rows) {
        for (int r = 0; r < rows; r++) {
            if (bias == null) {
                Arrays.fill(outputs[r], 0f);
            } else {
                System.arraycopy(bias, 0, outputs[r], 0, bias.length);
            }
        }
        accumulate(inputs, outputs, rows);
    }

    /**
     * {@code outputs[r] += inputs[r]·W}, four inputs at a time: each weight row is read once for all rows, and each
     * output element is loaded and stored once per four multiply-adds.
     */
    void accumulate(float[][] inputs, float[][] outputs, int rows) {
        int in = weight.length;
        int i = 0;
        for (; i + 3 < in; i += 4) {
            float[] w0 = weight[i];
            float[] w1 = weight[i + 1];
            float[] w2 = weight[i + 2];
            float[] w3 = weight[i + 3];
            for (int r = 0; r < rows; r++) {
                float[] x = inputs[r];
                addFour(x[i], w0, x[i + 1], w1, x[i + 2], w2, x[i + 3], w3, outputs[r]);
            }
        }
        for (; i < in; i++) {
            for (int r = 0; r < rows; r++) {
                addScaled(inputs[r][i], weight[i], outputs[r]);
            }
        }
    }

    private static void addFour(float a0, float[] w0, float a1, float[] w1, float a2, float[] w2, float a3, float[] w3,
                                float[] y) {
        for (int j = 0; j < y.length; j++) {
            y[j] += a0 * w0[j] + a1 * w1[j] + a2 * w2[j] + a3 * w3[j];
        }
    }

    /** {@code y += a·w} over whole arrays. */
    static void addScaled(float a, float[] w, float[] y) {
        for (int j = 0; j < y.length; j++) {
            y[j] += a * w[j];
        }
    }
}
