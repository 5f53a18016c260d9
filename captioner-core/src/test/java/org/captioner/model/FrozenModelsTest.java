package org.captioner.model;

import ai.djl.ndarray.NDManager;
import org.captioner.features.RegionBatch;
import org.captioner.text.SpecialTokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every family's parameter names and shapes in order (what a weights.bin holds, so saved models keep loading; the
 * order also fixes the initial values a seed gives) and its teacher-forced logits for a fixed seed, as computed before
 * the families shared one recurrent cell and one linear layer.
 */
class FrozenModelsTest {
    private static final String SAT_COMMON = "encoder.weight(8, 8), encoder.bias(8), attention.key.weight(8, 8), "
            + "attention.key.bias(8), attention.query.weight(12, 8), attention.query.bias(8), "
            + "attention.score.weight(8, 1), embedding.weight(12, 8), init.hidden.weight(8, 12), init.hidden.bias(12), ";
    private static final String SAT_OUTPUT = "output.weight(12, 12), output.bias(12), vocabulary.weight(12, 12), "
            + "vocabulary.bias(12)";
    private static final String TRANSFORMER = """
            encoder.input.weight(8, 8), encoder.input.bias(8), encoder.attention.query.weight(8, 8), \
            encoder.attention.query.bias(8), encoder.attention.key.weight(8, 8), encoder.attention.key.bias(8), \
            encoder.attention.value.weight(8, 8), encoder.attention.value.bias(8), encoder.attention.output.weight(8, 8), \
            encoder.attention.output.bias(8), encoder.norm1.gain(8), encoder.norm1.bias(8), encoder.ffn.inner.weight(8, 12), \
            encoder.ffn.inner.bias(12), encoder.ffn.outer.weight(12, 8), encoder.ffn.outer.bias(8), encoder.norm2.gain(8), \
            encoder.norm2.bias(8), embedding.weight(12, 8), position.weight(24, 8), decoder.0.self.query.weight(8, 8), \
            decoder.0.self.query.bias(8), decoder.0.self.key.weight(8, 8), decoder.0.self.key.bias(8), \
            decoder.0.self.value.weight(8, 8), decoder.0.self.value.bias(8), decoder.0.self.output.weight(8, 8), \
            decoder.0.self.output.bias(8), decoder.0.norm1.gain(8), decoder.0.norm1.bias(8), \
            decoder.0.cross.query.weight(8, 8), decoder.0.cross.query.bias(8), decoder.0.cross.key.weight(8, 8), \
            decoder.0.cross.key.bias(8), decoder.0.cross.value.weight(8, 8), decoder.0.cross.value.bias(8), \
            decoder.0.cross.output.weight(8, 8), decoder.0.cross.output.bias(8), decoder.0.norm2.gain(8), \
            decoder.0.norm2.bias(8), decoder.0.ffn.inner.weight(8, 12), decoder.0.ffn.inner.bias(12), \
            decoder.0.ffn.outer.weight(12, 8), decoder.0.ffn.outer.bias(8), decoder.0.norm3.gain(8), decoder.0.norm3.bias(8), \
            decoder.1.self.query.weight(8, 8), decoder.1.self.query.bias(8), decoder.1.self.key.weight(8, 8), \
            decoder.1.self.key.bias(8), decoder.1.self.value.weight(8, 8), decoder.1.self.value.bias(8), \
            decoder.1.self.output.weight(8, 8), decoder.1.self.output.bias(8), decoder.1.norm1.gain(8), \
            decoder.1.norm1.bias(8), decoder.1.cross.query.weight(8, 8), decoder.1.cross.query.bias(8), \
            decoder.1.cross.key.weight(8, 8), decoder.1.cross.key.bias(8), decoder.1.cross.value.weight(8, 8), \
            decoder.1.cross.value.bias(8), decoder.1.cross.output.weight(8, 8), decoder.1.cross.output.bias(8), \
            decoder.1.norm2.gain(8), decoder.1.norm2.bias(8), decoder.1.ffn.inner.weight(8, 12), \
            decoder.1.ffn.inner.bias(12), decoder.1.ffn.outer.weight(12, 8), decoder.1.ffn.outer.bias(8), \
            decoder.1.norm3.gain(8), decoder.1.norm3.bias(8), vocabulary.weight(8, 12), vocabulary.bias(12)""";
    private static final String SHOW_AND_TELL_OUTPUT = "merge.weight(12, 12), merge.bias(12), "
            + "vocabulary.weight(12, 12), vocabulary.bias(12)";

    static Stream<Arguments> frozen() {
        return Stream.of(
                Arguments.of(config(ModelConfig.SHOW_ATTEND_TELL, ModelConfig.GRU), SAT_COMMON
                        + "rnn.embedding.weight(8, 36), rnn.context.weight(8, 36), rnn.input.bias(36), "
                        + "rnn.hidden.weight(12, 36), rnn.hidden.bias(36), " + SAT_OUTPUT,
                        new float[] {0.30541772f, -0.43614036f, 0.32996845f, 0.14029174f, 0.049905315f, -0.2536685f,
                            0.030370608f, -0.034513947f, 0.2174448f, -0.3676342f}),
                Arguments.of(config(ModelConfig.SHOW_ATTEND_TELL, ModelConfig.LSTM), SAT_COMMON
                        + "init.cell.weight(8, 12), init.cell.bias(12), rnn.embedding.weight(8, 48), "
                        + "rnn.context.weight(8, 48), rnn.input.bias(48), rnn.hidden.weight(12, 48), "
                        + "rnn.hidden.bias(48), " + SAT_OUTPUT,
                        new float[] {-0.073910594f, -0.12847747f, 0.073407605f, 0.069504395f, 0.004012954f,
                            -0.21840242f, -0.13849814f, -0.058278013f, -0.044059392f, 0.051450066f}),
                Arguments.of(config(ModelConfig.SHOW_AND_TELL, ModelConfig.GRU), "image.weight(8, 12), "
                        + "image.bias(12), embedding.weight(12, 8), rnn.input.weight(8, 36), rnn.input.bias(36), "
                        + "rnn.hidden.weight(12, 36), rnn.hidden.bias(36), " + SHOW_AND_TELL_OUTPUT,
                        new float[] {0.27635247f, -0.0602815f, 0.056987297f, -0.088655196f, -0.075172625f,
                            -0.20330337f, -0.2860117f, -0.026081018f, -0.06326313f, 0.14981127f}),
                Arguments.of(config(ModelConfig.SHOW_AND_TELL, ModelConfig.LSTM), "image.weight(8, 12), "
                        + "image.bias(12), embedding.weight(12, 8), rnn.input.weight(8, 48), rnn.input.bias(48), "
                        + "rnn.hidden.weight(12, 48), rnn.hidden.bias(48), " + SHOW_AND_TELL_OUTPUT,
                        new float[] {0.01043615f, 0.03361941f, -0.026146805f, -0.095093705f, 0.1485388f,
                            -0.05606343f, -0.54518837f, 0.020227816f, 0.024285905f, 0.07963377f}),
                Arguments.of(new ModelConfig(ModelConfig.TRANSFORMER, null, 12, 5, 8, 8, 12, 8, 0.3, 2, 2, 24, null),
                        TRANSFORMER, new float[] {-0.59666723f, 1.2935609f, -0.18594807f, 1.0708911f, 1.6439697f,
                            -0.09080842f, -0.21053115f, 0.19596364f, -1.3906177f, -0.5112914f}));
    }

    private static ModelConfig config(String family, String rnn) {
        return new ModelConfig(family, rnn, 12, 5, 8, 8, 12, 8, 0.3);
    }

    @ParameterizedTest
    @MethodSource("frozen")
    void parameterNamesAndOutputsAreTheSavedOnes(ModelConfig config, String parameters, float[] everySeventeenthLogit) {
        GeneratedFeatures features = new GeneratedFeatures(5, 8, 3, 1);
        List<String> images = List.of(GeneratedFeatures.id(0), GeneratedFeatures.id(1), GeneratedFeatures.id(2));
        int[][] tokens = {{SpecialTokens.START, 5, 6, 7, 9}, {SpecialTokens.START, 8, 9, 0, 0},
            {SpecialTokens.START, 4, 4, 11, 10}};
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(config, root, 7)) {
            float[] logits = model.teacherForced(RegionBatch.load(root, features, images), root.create(tokens), Dropout.OFF)
                    .logits().toFloatArray();

            assertThat(model.parameters().tensors().entrySet().stream()
                    .map(entry -> entry.getKey() + entry.getValue().getShape()).collect(Collectors.joining(", ")))
                    .isEqualTo(parameters);
            for (int i = 0; i < everySeventeenthLogit.length; i++) {
                assertThat(logits[17 * i]).as("logit %d", 17 * i).isCloseTo(everySeventeenthLogit[i], within(1e-6f));
            }
        }
    }
}
