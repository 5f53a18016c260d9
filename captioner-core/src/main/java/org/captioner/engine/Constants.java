package org.captioner.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplying or dividing by a constant where autograd may record it (anything a training step runs).
 *
 * <p>DJL's {@code mul(Number)} and {@code div(Number)} wrap the number in a tensor over a Java direct buffer and close
 * it on return, yet autograd keeps that tensor for the backward pass. Once the garbage collector frees the buffer,
 * the backward pass reads whatever the memory holds by then: gradients depended on when the collector ran, so
 * training was not reproducible under load. Here the constant lives in libtorch's own memory, which autograd's
 * reference keeps alive. The constant is rounded to float32, as DJL's float32 arithmetic rounds it.
 */
public final class Constants {
    private Constants() {
    }

    /** {@code array · factor}. */
    public static NDArray times(NDArray array, double factor) {
        try (NDArray constant = scalar(array, factor)) {
            return array.mul(constant);
        }
    }

    /** {@code array / divisor}. */
    public static NDArray dividedBy(NDArray array, double divisor) {
        try (NDArray constant = scalar(array, divisor)) {
            return array.div(constant);
        }
    }

    private static NDArray scalar(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, DataType.FLOAT32);
    }
}
