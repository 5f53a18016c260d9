package org.captioner.engine;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns libtorch's autograd off for the current thread until closed. The switch is per thread and on by default;
 * DJL turns it off only on the thread that started the engine, so on any other thread (a server's workers,
 * a background training job) inference would record graphs and in-place weight updates would be refused.
 */
public final class NoGradient implements AutoCloseable {
    private final boolean previous;

    private NoGradient() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    public static NoGradient scope() {
        return new NoGradient();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
