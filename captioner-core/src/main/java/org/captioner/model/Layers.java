package org.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;

/** Small building blocks shared by the model families; results live in the input's manager. */
final class Layers {
    private static final float LAYER_NORM_EPSILON = 1e-5f;

    private Layers() {
    }

    /** {@code input·weight + bias} with weight [in, out]. */
    static NDArray affine(NDArray input, NDArray weight, NDArray bias) {
        return input.matMul(weight).add(bias);
    }

    /** Layer normalization over the last axis with gain and bias. */
    static NDArray layerNorm(NDArray input, NDArray gain, NDArray bias) {
        NDArray mean = input.mean(new int[] {-1}, true);
        NDArray centered = input.sub(mean);
        NDArray variance = centered.square().mean(new int[] {-1}, true);
        return centered.div(variance.add(LAYER_NORM_EPSILON).sqrt()).mul(gain).add(bias);
    }

    /**
     * [B, T, X] → T arrays [B, X], one per time step, in one operation. Taking step t with {@code get(":, t")}
     * instead costs its backward pass a zeroed [B, T, X] gradient per step (T² work); a split's backward is one
     * concatenation.
     */
    static NDList timeSteps(NDArray sequence) {
        NDList steps = sequence.split(sequence.getShape().get(1), 1);
        NDList squeezed = new NDList(steps.size());
        for (NDArray step : steps) {
            squeezed.add(step.squeeze(1));
        }
        return squeezed;
    }

    /** Rows of {@code table} [V, E] for int ids of any shape: [..., E]. */
    static NDArray embed(NDArray ids, NDArray table) {
        NDArray longIds = ids.toType(DataType.INT64, false);
        return longIds.getNDArrayInternal().embedding(longIds, table, SparseFormat.DENSE).singletonOrThrow();
    }
}
