package org.captioner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MaskedLossTest {
    private static final int[][] TARGETS = {{5, 6, 2, 0}, {7, 2, 0, 0}};
    private static final int VOCAB = 8;

    @Test
    void paddingPositionsDoNotChangeTheLoss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] logits = randomLogits(1);
            float[] changed = logits.clone();
            Random random = new Random(2);
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < 4; t++) {
                    if (TARGETS[b][t] == 0) {
                        for (int v = 0; v < VOCAB; v++) {
                            changed[(b * 4 + t) * VOCAB + v] = (float) random.nextGaussian() * 50;
                        }
                    }
                }
            }
            NDArray targets = manager.create(TARGETS);
            for (double smoothing : new double[] {0, 0.1}) {
                float original = loss(manager, logits, targets, smoothing);
                assertThat(loss(manager, changed, targets, smoothing)).isEqualTo(original);
            }
        }
    }

    @Test
    void lossIsTheMeanNegativeLogLikelihoodOfRealTokens() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] logits = randomLogits(3);
            double expected = 0;
            int tokens = 0;
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < 4; t++) {
                    if (TARGETS[b][t] != 0) {
                        int at = (b * 4 + t) * VOCAB;
                        double sumExp = 0;
                        for (int v = 0; v < VOCAB; v++) {
                            sumExp += Math.exp(logits[at + v]);
                        }
                        expected += Math.log(sumExp) - logits[at + TARGETS[b][t]];
                        tokens++;
                    }
                }
            }
            assertThat(loss(manager, logits, manager.create(TARGETS), 0)).isCloseTo((float) (expected / tokens), within(1e-5f));
        }
    }

    @Test
    void attentionPenaltyIsZeroWhenEveryRegionGetsTotalAttentionOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Two regions, two real steps in row 0 attending to each region once; row 1 likewise, padding ignored.
            float[] weights = {1, 0, 0, 1, 0.5f, 0.5f, 0, 0, 0, 1, 1, 0, 0.3f, 0.7f, 0.9f, 0.1f};
            NDArray attention = manager.create(weights, new Shape(2, 4, 2));
            NDArray targets = manager.create(new int[][] {{5, 2, 0, 0}, {5, 2, 0, 0}});
            assertThat(MaskedLoss.attentionPenalty(attention, targets).getFloat()).isCloseTo(0f, within(1e-6f));
            NDArray lopsided = manager.create(new float[] {1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0}, new Shape(2, 4, 2));
            // Each row: region 0 gets 2 (penalty 1), region 1 gets 0 (penalty 1).
            assertThat(MaskedLoss.attentionPenalty(lopsided, targets).getFloat()).isCloseTo(2f, within(1e-6f));
        }
    }

    private static float loss(NDManager manager, float[] logits, NDArray targets, double smoothing) {
        return MaskedLoss.crossEntropy(manager.create(logits, new Shape(2, 4, VOCAB)), targets, smoothing).getFloat();
    }

    private static float[] randomLogits(long seed) {
        Random random = new Random(seed);
        float[] logits = new float[2 * 4 * VOCAB];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian() * 2;
        }
        return logits;
    }
}
