package org.captioner.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

class ConstantsTest {

    @Test
    void gradientsThroughAConstantSurviveAGarbageCollectionBeforeTheBackwardPass() throws Exception {
        assertThat(gradientAfterCollectingGarbage(Constants::times, 3)).containsOnly(3f);
        assertThat(gradientAfterCollectingGarbage(Constants::dividedBy, 0.5)).containsOnly(2f);
    }

    /** d/dx of sum(op(x, constant)) at x = (1, 2, 3), with the garbage collected and memory reused in between. */
    private static float[] gradientAfterCollectingGarbage(BiFunction<NDArray, Double, NDArray> op, double constant)
            throws InterruptedException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1, 2, 3});
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = op.apply(x, constant);
                System.gc();
                Thread.sleep(100); // lets the reference handler free unreachable direct buffers
                List<ByteBuffer> reuse = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    reuse.add(ByteBuffer.allocateDirect(4).putFloat(0, 7f));
                }
                collector.backward(y.sum());
            }
            return x.getGradient().toFloatArray();
        }
    }
}
