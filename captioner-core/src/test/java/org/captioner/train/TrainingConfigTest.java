package org.captioner.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.captioner.engine.MatmulPrecision;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingConfigTest {
    @Test
    void theBuilderStartsFromTheDefaults() {
        assertThat(TrainingConfig.builder().build()).isEqualTo(TrainingConfig.defaults())
                .isEqualTo(new TrainingConfig(20, 64, 4e-4, 500, 0.9, 5.0, 1.0, 0.0, 22, 42L, 3, 1, 0, 0, 0.0, MatmulPrecision.FP32, 2, null));
    }

    @Test
    void toBuilderKeepsEveryFieldItIsNotToldToChange() {
        TrainingConfig config = new TrainingConfig(7, 16, 1e-3, 10, 0.8, 2.0, 0.5, 0.1, 18, 3L, 2, 2, 50, 900, 0.99, MatmulPrecision.BF16, 1, null);

        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.toBuilder().optEpochs(9).optMaxSteps(0).build())
                .isEqualTo(new TrainingConfig(9, 16, 1e-3, 10, 0.8, 2.0, 0.5, 0.1, 18, 3L, 2, 2, 50, 0, 0.99, MatmulPrecision.BF16, 1, null));
        assertThat(TrainingConfig.builder().optClipNorm(1).optSeed(5).optMaxLength(12).optEvalEvery(3)
                .optCheckpointEvery(20).build())
                .extracting(TrainingConfig::clipNorm, TrainingConfig::seed, TrainingConfig::maxLength, TrainingConfig::evalEvery,
                        TrainingConfig::checkpointEvery)
                .containsExactly(1.0, 5L, 12, 3, 20);
    }

    @Test
    void aValueOutOfRangeIsNamedWithItsValue() {
        assertThatThrownBy(() -> TrainingConfig.builder().optEpochs(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("training.epochs must be at least 1, got 0");
        assertThatThrownBy(() -> TrainingConfig.builder().optLabelSmoothing(1).build())
                .hasMessage("training.labelSmoothing must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> TrainingConfig.builder().optLearningRate(Double.NaN).build())
                .hasMessage("training.learningRate must be positive, got NaN");
        assertThatThrownBy(() -> TrainingConfig.builder().optBatchParts(3).build())
                .hasMessage("training.batchParts must be 1 or 2, got 3");
    }

    @Test
    void jsonHasTheFieldNamesAndReadsBack() throws IOException {
        ObjectMapper json = new ObjectMapper();
        TrainingConfig config = TrainingConfig.builder().optEpochs(3).optWeightAveraging(0.9).build();

        String text = json.writeValueAsString(config);

        assertThat(text).contains("\"epochs\":3", "\"weightAveraging\":0.9").doesNotContain("builder");
        assertThat(json.readValue(text, TrainingConfig.class)).isEqualTo(config);
    }

    @Test
    void precisionIsWrittenInLowerCaseAndCheckpointsWithoutItTrainedInFp32() throws IOException {
        ObjectMapper json = new ObjectMapper();
        TrainingConfig bf16 = TrainingConfig.builder().optPrecision(MatmulPrecision.BF16).build();

        assertThat(json.writeValueAsString(bf16)).contains("\"precision\":\"bf16\"");
        String older = json.writeValueAsString(TrainingConfig.defaults()).replace(",\"precision\":\"fp32\"", "");
        assertThat(older).doesNotContain("precision");
        assertThat(json.readValue(older, TrainingConfig.class)).isEqualTo(TrainingConfig.defaults());
        assertThat(bf16.sameTrajectoryAs(TrainingConfig.defaults())).isFalse();
    }

    @Test
    void checkpointsWithoutBatchPartsRanWholeBatches() throws IOException {
        ObjectMapper json = new ObjectMapper();
        String older = json.writeValueAsString(TrainingConfig.defaults()).replace(",\"batchParts\":2", "");

        TrainingConfig read = json.readValue(older, TrainingConfig.class);

        assertThat(older).doesNotContain("batchParts");
        assertThat(read.batchParts()).isEqualTo(1);
        assertThat(read.sameTrajectoryAs(TrainingConfig.defaults())).isFalse();
        assertThat(read.sameTrajectoryAs(TrainingConfig.defaults().toBuilder().optBatchParts(1).build())).isTrue();
    }
}
