package org.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.captioner.decode.CaptionDecoder;
import org.captioner.decode.DecodingOptions;
import org.captioner.decode.GeneratedCaption;
import org.captioner.engine.NoGradient;
import org.captioner.features.RegionBatch;
import org.captioner.text.SpecialTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** What every family must do for the trainer and the decoders: the same mechanics, parameterized by family. */
class ModelFamiliesTest {
    private static final int VOCAB = 12;
    private final GeneratedFeatures features = new GeneratedFeatures(5, 8, 3, 1);
    private final List<String> images = List.of(GeneratedFeatures.id(0), GeneratedFeatures.id(1), GeneratedFeatures.id(2));

    static List<ModelConfig> families() {
        return TinyConfigs.all(VOCAB, 5, 8, 8, 12, 0.3);
    }

    @ParameterizedTest
    @MethodSource("families")
    void stepsComputeWhatTeacherForcingComputes(ModelConfig config) {
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(config, root, 7)) {
            NDArray regions = RegionBatch.load(root, features, images);
            // Padding at the end of the second caption: packed logits skip it.
            int[][] tokens = {{SpecialTokens.START, 5, 6, 7, 9}, {SpecialTokens.START, 8, 9, 0, 0},
                {SpecialTokens.START, 4, 4, 11, 10}};
            TeacherForcedOutput forced = model.teacherForced(regions, root.create(tokens), Dropout.OFF);
            assertThat(forced.logits().getShape().getShape()).containsExactly(13, VOCAB);
            if (ModelConfig.SHOW_AND_TELL.equals(config.family())) {
                assertThat(forced.attention()).isNull();
            } else {
                assertThat(forced.attention().getShape().getShape()).containsExactly(3, 5, 5);
                for (float total : forced.attention().sum(new int[] {2}).toFloatArray()) {
                    assertThat(total).isCloseTo(1f, within(1e-5f));
                }
            }
            float[] forcedLogProbs = forced.logits().logSoftmax(1).toFloatArray();
            float[] forcedAttention = forced.attention() == null ? null : forced.attention().toFloatArray();
            int[] rowStart = {0, 5, 8};
            DecoderState state = model.init(regions);
            for (int t = 0; t < 5; t++) {
                StepResult step = model.step(state, new int[] {tokens[0][t], tokens[1][t], tokens[2][t]});
                float[] logProbs = step.logProbs().toFloatArray();
                float[] attention = step.attention() == null ? null : step.attention().toFloatArray();
                assertThat(attention == null).isEqualTo(forcedAttention == null);
                for (int b = 0; b < 3; b++) {
                    if (tokens[b][t] == SpecialTokens.PAD) {
                        continue;
                    }
                    for (int v = 0; v < VOCAB; v++) {
                        assertThat(logProbs[b * VOCAB + v]).as("row %d step %d token %d", b, t, v)
                                .isCloseTo(forcedLogProbs[(rowStart[b] + t) * VOCAB + v], within(1e-5f));
                    }
                    for (int r = 0; attention != null && r < 5; r++) {
                        assertThat(attention[b * 5 + r]).isCloseTo(forcedAttention[(b * 5 + t) * 5 + r], within(1e-5f));
                    }
                }
                state = step.state();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void beamWidthOneIsGreedyAndRowsCanBeReordered(ModelConfig config) {
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(config, root, 3)) {
            NDArray regions = RegionBatch.load(root, features, images);
            List<List<GeneratedCaption>> greedy = CaptionDecoder.decode(model, regions, DecodingOptions.greedy(9));
            List<List<GeneratedCaption>> beam = CaptionDecoder.decode(model, regions, DecodingOptions.beam(1, 9));
            for (int i = 0; i < images.size(); i++) {
                GeneratedCaption g = greedy.get(i).get(0);
                GeneratedCaption b = beam.get(i).get(0);
                assertThat(b.tokens()).containsExactly(g.tokens());
                assertThat(b.logProbability()).isEqualTo(g.logProbability());
                assertThat(b.attention()).isDeepEqualTo(g.attention());
                if (ModelConfig.SHOW_AND_TELL.equals(config.family())) {
                    assertThat(g.attention()).isEmpty();
                } else {
                    assertThat(g.attention()).hasNumberOfRows(g.tokens().length);
                }
            }
            // Wider beams reorder and duplicate state rows (the transformer's key/value caches included).
            List<List<GeneratedCaption>> wide = CaptionDecoder.decode(model, regions, DecodingOptions.beam(3, 9).withCount(3));
            for (int i = 0; i < images.size(); i++) {
                assertThat(wide.get(i)).hasSize(3);
                // The best of a width-3 beam is at least as likely as the greedy caption here.
                assertThat(wide.get(i).get(0).logProbability()).isGreaterThanOrEqualTo(greedy.get(i).get(0).logProbability() - 1e-6);
                // A returned caption's log-probability is what teacher forcing gives it.
                assertThat(forcedLogProbability(model, regions, i, wide.get(i).get(1)))
                        .isCloseTo(wide.get(i).get(1).logProbability(), within(1e-4));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void float32SaveAndLoadGiveIdenticalOutputs(ModelConfig config, @TempDir Path directory) throws Exception {
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(config, root, 7)) {
            NDArray regions = RegionBatch.load(root, features, images);
            DecodingOptions beam = DecodingOptions.beam(2, 6);
            List<List<GeneratedCaption>> before = CaptionDecoder.decode(model, regions, beam);
            float[] stepBefore = model.step(model.init(regions), new int[] {1, 1, 1}).logProbs().toFloatArray();
            model.save(directory, WeightPrecision.FLOAT32);
            assertThat(ModelFiles.readConfig(directory)).isEqualTo(config);
            try (CaptionModel loaded = CaptionModels.load(directory, root)) {
                assertThat(loaded.getClass()).isEqualTo(model.getClass());
                assertThat(loaded.config()).isEqualTo(config);
                assertThat(loaded.step(loaded.init(regions), new int[] {1, 1, 1}).logProbs().toFloatArray())
                        .containsExactly(stepBefore);
                List<List<GeneratedCaption>> after = CaptionDecoder.decode(loaded, regions, beam);
                for (int i = 0; i < images.size(); i++) {
                    assertThat(after.get(i).get(0).tokens()).containsExactly(before.get(i).get(0).tokens());
                    assertThat(after.get(i).get(0).logProbability()).isEqualTo(before.get(i).get(0).logProbability());
                }
            }
        }
    }

    @Test
    void showAttendTellModelJsonIsUnchangedAndOldFilesLoad(@TempDir Path directory) throws Exception {
        ModelConfig config = families().get(0);
        String json = ModelFiles.json().writeValueAsString(config);
        assertThat(json).doesNotContain("layers", "heads", "maxPositions", "embeddings");
        Files.writeString(directory.resolve(ModelFiles.CONFIG_FILE), """
                {"family": "show-attend-tell", "rnn": "gru", "vocabSize": 12, "regions": 5, "featureChannels": 8,
                 "embedDim": 8, "hiddenDim": 12, "attentionDim": 8, "dropout": 0.3}""");
        assertThat(ModelFiles.readConfig(directory)).isEqualTo(config);
        // The transformer's defaults fill in what a config leaves out.
        Files.writeString(directory.resolve(ModelFiles.CONFIG_FILE), """
                {"family": "transformer", "vocabSize": 12, "regions": 5, "featureChannels": 8,
                 "embedDim": 8, "hiddenDim": 12, "attentionDim": 8, "dropout": 0.1}""");
        ModelConfig transformer = ModelFiles.readConfig(directory);
        assertThat(transformer.layers()).isEqualTo(ModelConfig.DEFAULT_LAYERS);
        assertThat(transformer.heads()).isEqualTo(ModelConfig.DEFAULT_HEADS);
        assertThat(transformer.maxPositions()).isEqualTo(ModelConfig.DEFAULT_MAX_POSITIONS);
    }

    @Test
    void unknownFamiliesAndBadTransformerShapesAreClearErrors() {
        assertThatThrownBy(() -> new ModelConfig("resnet-lstm", null, 12, 5, 8, 8, 12, 8, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown model family 'resnet-lstm'")
                .hasMessageContaining("show-attend-tell, transformer, show-and-tell");
        assertThatThrownBy(() -> new ModelConfig(ModelConfig.TRANSFORMER, null, 12, 5, 8, 10, 12, 8, 0, 2, 4, 16, null))
                .hasMessageContaining("multiple of heads");
    }

    @Test
    void theTransformerRefusesToDecodeBeyondItsPositions() {
        ModelConfig config = new ModelConfig(ModelConfig.TRANSFORMER, null, VOCAB, 5, 8, 8, 12, 8, 0, 1, 2, 3, null);
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(config, root, 3)) {
            NDArray regions = RegionBatch.load(root, features, images);
            assertThatThrownBy(() -> CaptionDecoder.decode(model, regions, DecodingOptions.greedy(4)))
                    .hasMessageContaining("model.maxPositions");
        }
    }

    /** Log-probability teacher forcing gives {@code caption} (its words, then END if it ended) for image {@code i}. */
    private static double forcedLogProbability(CaptionModel model, NDArray regions, int image, GeneratedCaption caption) {
        // Decoded with maxLength 9: a caption of 9 words was cut there, shorter ones ended with END.
        int[] words = caption.tokens();
        int[] input = new int[words.length + 1];
        input[0] = SpecialTokens.START;
        System.arraycopy(words, 0, input, 1, words.length);
        try (NoGradient noGradient = NoGradient.scope(); NDManager manager = model.manager().newSubManager()) {
            NDArray one = regions.get("{}:{}", image, image + 1).duplicate();
            one.attach(manager);
            float[] logProbs = model.teacherForced(one, manager.create(new int[][] {input}), Dropout.OFF).logits()
                    .logSoftmax(1).toFloatArray();
            int vocab = model.config().vocabSize();
            double total = 0;
            for (int t = 0; t < words.length; t++) {
                total += logProbs[t * vocab + words[t]];
            }
            // Captions cut at maxLength have no END; the others count its probability.
            if (words.length < 9) {
                total += logProbs[words.length * vocab + SpecialTokens.END];
            }
            return total;
        }
    }
}
