package org.captioner.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.captioner.model.CaptionModel;
import org.captioner.model.CaptionModels;
import org.captioner.model.ModelConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** The plain-Java show-attend-tell GRU steps against the training model's own steps in DJL, on a random model. */
class GruAttentionStepTest {
    /** Float sums in another order than MKL's, and tanh/sigmoid within 4e-7: log-probabilities agree to 1e-5. */
    static final float LOG_PROB_TOLERANCE = 1e-5f;
    static final float ATTENTION_TOLERANCE = 1e-6f;
    private static final int IMAGES = 5;
    private static final int REGIONS = 6;
    private static final int CHANNELS = 12;

    private NDManager root;
    private CaptionModel model;
    private float[] regions;

    @BeforeEach
    void randomModel() {
        root = NDManager.newBaseManager();
        model = CaptionModels.create(new ModelConfig(ModelConfig.SHOW_ATTEND_TELL, ModelConfig.GRU, 40, REGIONS, CHANNELS,
                8, 16, 10, 0.3), root, 11);
        regions = new float[IMAGES * REGIONS * CHANNELS];
        Random random = new Random(5);
        for (int i = 0; i < regions.length; i++) {
            regions[i] = (float) Math.max(0, random.nextGaussian() * 2);
        }
    }

    @AfterEach
    void close() {
        root.close();
    }

    @Test
    void stepsMatchTheTrainingModelThroughReorderedRows() {
        NDArray features = root.create(regions, new Shape(IMAGES, REGIONS, CHANNELS));
        try (Stepper torch = new TorchStepper(model, features); Stepper java = DecoderStep.of(model).start(regions, IMAGES)) {
            assertThat(java).isInstanceOf(GruAttentionStepper.class);
            int[] tokens = {1, 1, 1, 1, 1};
            // Rows grow to beams, shrink, repeat and reorder, as beam search and finished captions make them.
            int[][] selections = {{0, 0, 1, 2, 2, 2, 3, 4, 4}, {8, 7, 5, 1, 0, 3}, {2, 2, 5}, {1}};
            for (int[] selection : selections) {
                torch.step(tokens);
                java.step(tokens);
                assertSameStep(torch, java, tokens.length);
                torch.selectRows(selection);
                java.selectRows(selection);
                tokens = new int[selection.length];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = 3 + (selection[i] * 7 + i) % 30;
                }
            }
            torch.step(tokens);
            java.step(tokens);
            assertSameStep(torch, java, tokens.length);
        }
    }

    private static void assertSameStep(Stepper torch, Stepper java, int rows) {
        assertThat(java.vocabularySize()).isEqualTo(torch.vocabularySize());
        for (int row = 0; row < rows; row++) {
            for (int token = 0; token < torch.vocabularySize(); token++) {
                assertThat(java.logProb(row, token)).isCloseTo(torch.logProb(row, token),
                        offset(LOG_PROB_TOLERANCE));
            }
            float[] expected = torch.attention(row);
            float[] actual = java.attention(row);
            assertThat(actual).hasSameSizeAs(expected);
            for (int region = 0; region < expected.length; region++) {
                assertThat(actual[region]).isCloseTo(expected[region], offset(ATTENTION_TOLERANCE));
            }
        }
    }

    @Test
    void beamSearchAndGreedyGiveTheTrainingModelsCaptions() {
        NDArray features = root.create(regions, new Shape(IMAGES, REGIONS, CHANNELS));
        DecoderStep steps = DecoderStep.of(model);
        for (DecodingOptions options : List.of(DecodingOptions.greedy(12), DecodingOptions.beam(3, 12).withCount(3),
                DecodingOptions.beam(4, 12).withLengthPenalty(1.5).withNoRepeatNgramSize(2))) {
            assertSameCaptions(CaptionDecoder.decode(steps, regions, IMAGES, options),
                    CaptionDecoder.decode(model, features, options));
        }
    }

    /** Equal tokens; log-probabilities and attention within the step tolerances (summed over a caption). */
    static void assertSameCaptions(List<List<GeneratedCaption>> actual, List<List<GeneratedCaption>> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int image = 0; image < expected.size(); image++) {
            assertThat(actual.get(image)).hasSameSizeAs(expected.get(image));
            for (int k = 0; k < expected.get(image).size(); k++) {
                GeneratedCaption want = expected.get(image).get(k);
                GeneratedCaption got = actual.get(image).get(k);
                assertThat(got.tokens()).as("image %d caption %d", image, k).containsExactly(want.tokens());
                assertThat(got.logProbability()).isCloseTo(want.logProbability(),
                        offset(LOG_PROB_TOLERANCE * (want.tokens().length + 1.0)));
            }
        }
    }

    @Test
    void otherFamiliesAndCellsStepThroughDjl() {
        for (ModelConfig config : List.of(model.config().withRnn(ModelConfig.LSTM),
                ModelConfig.showAndTell(40, REGIONS, CHANNELS))) {
            try (CaptionModel other = CaptionModels.create(config, root, 1)) {
                assertThat(DecoderStep.of(other)).isInstanceOf(TorchDecoderStep.class);
                assertThat(CaptionDecoder.decode(DecoderStep.of(other), regions, IMAGES, DecodingOptions.beam(2, 5)))
                        .hasSize(IMAGES);
            }
        }
    }

    @Test
    void refusesFeaturesOfTheWrongSize() {
        assertThatThrownBy(() -> DecoderStep.of(model).start(new float[CHANNELS * 3 + 1], 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("37 region feature values are not 1 images of regions with 12 channels");
    }
}
