package org.captioner.model;

import ai.djl.ndarray.NDArray;

/** A fully connected layer {@code input·weight + bias}, weight [in, out], saved as {@code <name>.weight}, {@code <name>.bias}. */
record Linear(NDArray weight, NDArray bias) {

    /** Adds a Glorot-uniform weight, then a zero bias, to {@code parameters}. */
    static Linear create(ParameterSet parameters, String name, long inputs, long outputs) {
        return new Linear(parameters.glorot(name + ".weight", inputs, outputs), parameters.zeros(name + ".bias", outputs));
    }

    /** [..., in] → [..., out], in the input's manager. */
    NDArray apply(NDArray input) {
        return Layers.affine(input, weight, bias);
    }
}
