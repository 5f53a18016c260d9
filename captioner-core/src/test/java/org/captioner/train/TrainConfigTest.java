package org.captioner.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainConfigTest {
    @Test
    void theBuilderStartsFromTheDefaults() {
        assertThat(TrainConfig.builder().build()).isEqualTo(TrainConfig.defaults())
                .isEqualTo(new TrainConfig(20, 64, 4e-4, 500, 0.9, 5.0, 1.0, 0.0, 22, 42L, 3, 1, 0, 0, 0.0, null));
    }

    @Test
    void toBuilderKeepsEveryFieldItIsNotToldToChange() {
        TrainConfig config = new TrainConfig(7, 16, 1e-3, 10, 0.8, 2.0, 0.5, 0.1, 18, 3L, 2, 2, 50, 900, 0.99, null);

        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.toBuilder().optEpochs(9).optMaxSteps(0).build())
                .isEqualTo(new TrainConfig(9, 16, 1e-3, 10, 0.8, 2.0, 0.5, 0.1, 18, 3L, 2, 2, 50, 0, 0.99, null));
        assertThat(TrainConfig.builder().optClipNorm(1).optSeed(5).optMaxLength(12).optEvalEvery(3)
                .optCheckpointEvery(20).build())
                .extracting(TrainConfig::clipNorm, TrainConfig::seed, TrainConfig::maxLength, TrainConfig::evalEvery,
                        TrainConfig::checkpointEvery)
                .containsExactly(1.0, 5L, 12, 3, 20);
    }

    @Test
    void aValueOutOfRangeIsNamedWithItsValue() {
        assertThatThrownBy(() -> TrainConfig.builder().optEpochs(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("training.epochs must be at least 1, got 0");
        assertThatThrownBy(() -> TrainConfig.builder().optLabelSmoothing(1).build())
                .hasMessage("training.labelSmoothing must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> TrainConfig.builder().optLearningRate(Double.NaN).build())
                .hasMessage("training.learningRate must be positive, got NaN");
    }

    @Test
    void jsonHasTheFieldNamesAndReadsBack() throws IOException {
        ObjectMapper json = new ObjectMapper();
        TrainConfig config = TrainConfig.builder().optEpochs(3).optWeightAveraging(0.9).build();

        String text = json.writeValueAsString(config);

        assertThat(text).contains("\"epochs\":3", "\"weightAveraging\":0.9").doesNotContain("builder");
        assertThat(json.readValue(text, TrainConfig.class)).isEqualTo(config);
    }
}
