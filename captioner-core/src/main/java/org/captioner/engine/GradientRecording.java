package org.captioner.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records autograd on the current thread until closed, and runs the backward pass. libtorch keeps the switch per
 * thread and accumulates gradients under a lock per tensor, so threads may record and run backward passes at once;
 * DJL's {@code GradientCollector} refuses a second collector anywhere in the process.
 */
public final class GradientRecording implements AutoCloseable {
    private final boolean previous;

    private GradientRecording() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    public static GradientRecording start() {
        return new GradientRecording();
    }

    /** Adds the gradient of the scalar {@code objective} to every recorded tensor's gradient, and frees its graph. */
    public void backward(NDArray objective) {
        try (NDArray seed = objective.onesLike()) {
            JniUtils.backward((PtNDArray) objective, (PtNDArray) seed, false, false);
        }
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
