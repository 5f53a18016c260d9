package org.captioner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.captioner.model.Dropout;
import org.captioner.features.RegionBatch;
import org.captioner.model.CaptionModel;
import org.captioner.model.CaptionModels;
import org.captioner.model.GeneratedFeatures;
import org.captioner.model.ModelConfig;
import org.captioner.model.TeacherForcedOutput;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MaskedLossTest {
    private static final int[][] TARGETS = {{5, 6, 2, 0}, {7, 2, 0, 0}};
    private static final int REAL_TARGETS = 5;
    private static final int VOCAB = 8;

    @Test
    void lossIsTheMeanNegativeLogLikelihoodOfRealTokens() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(3);
            float[] logits = new float[REAL_TARGETS * VOCAB];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) random.nextGaussian() * 2;
            }
            int[] realTargets = {5, 6, 2, 7, 2};
            double expected = 0;
            for (int n = 0; n < REAL_TARGETS; n++) {
                double sumExp = 0;
                for (int v = 0; v < VOCAB; v++) {
                    sumExp += Math.exp(logits[n * VOCAB + v]);
                }
                expected += Math.log(sumExp) - logits[n * VOCAB + realTargets[n]];
            }
            NDArray packed = manager.create(logits, new Shape(REAL_TARGETS, VOCAB));
            assertThat(MaskedLoss.crossEntropy(packed, manager.create(TARGETS), 0).getFloat())
                    .isCloseTo((float) (expected / REAL_TARGETS), within(1e-5f));
        }
    }

    /** Padding a caption to a longer one's length must change neither its loss nor its attention penalty. */
    @Test
    void paddingChangesNothing() {
        ModelConfig config = new ModelConfig(ModelConfig.SHOW_ATTEND_TELL, ModelConfig.LSTM, 12, 5, 8, 6, 10, 7, 0);
        GeneratedFeatures features = new GeneratedFeatures(5, 8, 2, 4);
        int[][] captions = {{1, 5, 6, 7, 8, 9, 2}, {1, 10, 2}};
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(config, root, 2)) {
            double together = 0;
            double penaltyTogether = 0;
            {
                TokenBatch batch = TokenBatch.of(root, List.of(captions), 10);
                assertThat(batch.inputs().getShape().get(1)).isEqualTo(6);
                NDArray regions = RegionBatch.load(root, features, List.of(GeneratedFeatures.id(0), GeneratedFeatures.id(1)));
                TeacherForcedOutput output = model.teacherForced(regions, batch.inputs(), Dropout.OFF);
                assertThat(output.logits().getShape().get(0)).isEqualTo(6 + 2);
                together = MaskedLoss.crossEntropy(output.logits(), batch.targets(), 0.1).getFloat() * 8;
                penaltyTogether = MaskedLoss.attentionPenalty(output.attention(), batch.targets()).getFloat() * 2;
            }
            double alone = 0;
            double penaltyAlone = 0;
            for (int i = 0; i < 2; i++) {
                TokenBatch batch = TokenBatch.of(root, List.of(captions[i]), 10);
                NDArray regions = RegionBatch.load(root, features, List.of(GeneratedFeatures.id(i)));
                TeacherForcedOutput output = model.teacherForced(regions, batch.inputs(), Dropout.OFF);
                alone += MaskedLoss.crossEntropy(output.logits(), batch.targets(), 0.1).getFloat() * (captions[i].length - 1);
                penaltyAlone += MaskedLoss.attentionPenalty(output.attention(), batch.targets()).getFloat();
            }
            assertThat(together).isCloseTo(alone, within(1e-4));
            assertThat(penaltyTogether).isCloseTo(penaltyAlone, within(1e-5));
        }
    }

    @Test
    void attentionPenaltyIsZeroWhenEveryRegionGetsTotalAttentionOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Two regions; in each row two real steps attend to each region once, padding steps are ignored.
            float[] weights = {1, 0, 0, 1, 0.5f, 0.5f, 0, 0, 0, 1, 1, 0, 0.3f, 0.7f, 0.9f, 0.1f};
            NDArray attention = manager.create(weights, new Shape(2, 4, 2));
            NDArray targets = manager.create(new int[][] {{5, 2, 0, 0}, {5, 2, 0, 0}});
            assertThat(MaskedLoss.attentionPenalty(attention, targets).getFloat()).isCloseTo(0f, within(1e-6f));
            NDArray lopsided = manager.create(new float[] {1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0}, new Shape(2, 4, 2));
            // Each row: region 0 gets 2 (penalty 1), region 1 gets 0 (penalty 1).
            assertThat(MaskedLoss.attentionPenalty(lopsided, targets).getFloat()).isCloseTo(2f, within(1e-6f));
        }
    }
}
