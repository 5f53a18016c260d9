package org.captioner.decode;

import ai.djl.ndarray.NDArray;

import java.util.Arrays;
import java.util.Map;

/** Reads a training model's parameters by name, for implementations of its steps outside DJL. */
final class ModelTensors {
    private ModelTensors() {
    }

    /** The tensor {@code name} of rank {@code rank}; fails naming it when the model has no such tensor. */
    static NDArray require(Map<String, NDArray> tensors, String name, int rank) {
        NDArray tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("the model has no parameter " + name + " (parameters: " + tensors.keySet() + ")");
        }
        if (tensor.getShape().dimension() != rank) {
            throw new IllegalArgumentException("model parameter " + name + " has shape " + tensor.getShape()
                    + ", expected rank " + rank);
        }
        return tensor;
    }

    /** The rows of the [rows, columns] matrix {@code name}, one array each. */
    static float[][] rows(Map<String, NDArray> tensors, String name) {
        NDArray matrix = require(tensors, name, 2);
        int rows = Math.toIntExact(matrix.getShape().get(0));
        int columns = Math.toIntExact(matrix.getShape().get(1));
        float[] flat = matrix.toFloatArray();
        float[][] result = new float[rows][];
        for (int r = 0; r < rows; r++) {
            result[r] = Arrays.copyOfRange(flat, r * columns, (r + 1) * columns);
        }
        return result;
    }
}
