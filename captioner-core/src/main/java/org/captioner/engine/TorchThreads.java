package org.captioner.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's intra-op thread count, which is process-wide. libtorch starts with one thread per core (or
 * {@code -Dai.djl.pytorch.num_threads}). Beam search on one picture multiplies a few rows by the vocabulary
 * matrix per step, which is memory-bound: one thread captions a single picture faster than two, while batches gain
 * from the second thread (figures in bench/README.md, "Captioning latency").
 */
public final class TorchThreads {
    private TorchThreads() {
    }

    /** Sets the intra-op threads of every later libtorch operation in this process. */
    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("libtorch threads must be at least 1, got " + threads);
        }
        Engine.getEngine("PyTorch"); // loads the native library the setter lives in
        JniUtils.setNumThreads(threads);
    }

    public static int get() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }
}
