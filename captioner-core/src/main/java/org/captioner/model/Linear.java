package org.captioner.model;

import ai.djl.ndarray.NDArray;

/** A fully connected layer {@code input·weight + bias}, weight [in, out]; saved as {@code <name>.weight} and {@code .bias}. */
record Linear(NDArray weight, NDArray bias) {

    /** Adds a Glorot-uniform weight, then a zero bias, to {@code parameters}. */
    static Linear create(ParameterSet parameters, String name, long inputs, long outputs) {
        NDArray weight = parameters.glorot(name + ".weight", inputs, outputs);
        return new Linear(weight, parameters.zeros(name + ".bias", outputs));
    }

    /** [..., in] → [..., out], in the input's manager. */
    NDArray apply(NDArray input) {
        return Layers.affine(input, weight, bias);
    }
}
