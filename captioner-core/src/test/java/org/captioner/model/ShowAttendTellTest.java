package org.captioner.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import org.captioner.features.RegionBatch;
import org.captioner.text.SpecialTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ShowAttendTellTest {
    static final ModelConfig TINY = new ModelConfig(ModelConfig.SHOW_ATTEND_TELL, ModelConfig.GRU, 12, 5, 8,
            6, 10, 7, 0.3);
    private final GeneratedFeatures features = new GeneratedFeatures(5, 8, 3, 1);
    private final List<String> images = List.of(GeneratedFeatures.id(0), GeneratedFeatures.id(1), GeneratedFeatures.id(2));

    @ParameterizedTest
    @ValueSource(strings = {ModelConfig.GRU, ModelConfig.LSTM})
    void teacherForcingAndStepsAgreeAndAttentionIsADistribution(String rnn) {
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(TINY.withRnn(rnn), root, 7)) {
            NDArray regions = RegionBatch.load(root, features, images);
            int[][] tokens = {{SpecialTokens.START, 5, 6, 7}, {SpecialTokens.START, 8, 9, 10}, {SpecialTokens.START, 4, 4, 11}};
            TeacherForcedOutput forced = model.teacherForced(regions, root.create(tokens), Dropout.OFF);
            assertThat(forced.logits().getShape().getShape()).containsExactly(3 * 4, 12);
            assertThat(forced.attention().getShape().getShape()).containsExactly(3, 4, 5);
            for (float total : forced.attention().sum(new int[] {2}).toFloatArray()) {
                assertThat(total).isCloseTo(1f, within(1e-5f));
            }

            // The step API must compute exactly what teacher forcing computes, one position at a time.
            float[] forcedLogProbs = forced.logits().logSoftmax(1).toFloatArray();
            DecoderState state = model.init(regions);
            for (int t = 0; t < 4; t++) {
                int[] previous = {tokens[0][t], tokens[1][t], tokens[2][t]};
                StepResult step = model.step(state, previous);
                float[] logProbs = step.logProbs().toFloatArray();
                for (int b = 0; b < 3; b++) {
                    for (int v = 0; v < 12; v++) {
                        assertThat(logProbs[b * 12 + v]).isCloseTo(forcedLogProbs[(b * 4 + t) * 12 + v], within(1e-5f));
                    }
                }
                state = step.state();
            }
        }
    }

    /**
     * The first step's attention, computed through a sigmoid, against Bahdanau's formula written out with tanh from
     * the same parameters: weights within 1e-6, and the gradients of a fixed weighted sum of them with respect to
     * every parameter they depend on within 1e-6 absolute + 1e-4 relative (float32 rounding of two equal formulas).
     */
    @Test
    void attentionThroughASigmoidEqualsTheTanhFormula() {
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(TINY, root, 7)) {
            NDArray regions = RegionBatch.load(root, features, images);
            NDArray mix = root.randomUniform(-1, 1, new Shape(3, 5));
            int[] start = {SpecialTokens.START, SpecialTokens.START, SpecialTokens.START};
            Map<String, NDArray> p = model.parameters().tensors();
            Map<String, float[]> viaSigmoid = new LinkedHashMap<>();
            Map<String, float[]> viaTanh = new LinkedHashMap<>();
            float[] sigmoidWeights = weightsAndGradients(model, mix, viaSigmoid,
                    () -> model.step(model.init(regions), start).attention());
            float[] tanhWeights = weightsAndGradients(model, mix, viaTanh, () -> {
                NDArray encoded = Activation.relu(regions.matMul(p.get("encoder.weight")).add(p.get("encoder.bias")));
                NDArray keys = encoded.matMul(p.get("attention.key.weight")).add(p.get("attention.key.bias"));
                NDArray hidden = encoded.mean(new int[] {1}).matMul(p.get("init.hidden.weight"))
                        .add(p.get("init.hidden.bias")).tanh();
                NDArray query = hidden.matMul(p.get("attention.query.weight")).add(p.get("attention.query.bias"));
                return keys.add(query.expandDims(1)).tanh().matMul(p.get("attention.score.weight")).squeeze(2)
                        .softmax(1);
            });
            assertThat(sigmoidWeights).containsExactly(tanhWeights, within(1e-6f));
            assertThat(viaSigmoid.keySet()).contains("attention.score.weight", "attention.query.weight", "encoder.weight");
            for (Map.Entry<String, float[]> expected : viaTanh.entrySet()) {
                float[] actual = viaSigmoid.get(expected.getKey());
                for (int i = 0; i < actual.length; i++) {
                    float want = expected.getValue()[i];
                    assertThat(actual[i]).as("%s[%d]", expected.getKey(), i)
                            .isCloseTo(want, within(1e-6f + 1e-4f * Math.abs(want)));
                }
            }
        }
    }

    /** The attention weights, and into {@code gradients} the non-zero gradients of {@code sum(weights * mix)}. */
    private static float[] weightsAndGradients(CaptionModel model, NDArray mix, Map<String, float[]> gradients,
                                               Supplier<NDArray> attention) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray weights = attention.get();
            collector.backward(weights.mul(mix).sum());
            for (Map.Entry<String, NDArray> p : model.parameters().tensors().entrySet()) {
                NDArray gradient = p.getValue().getGradient();
                float[] values = gradient.toFloatArray();
                if (gradient.abs().sum().getFloat() > 0) {
                    gradients.put(p.getKey(), values);
                }
                gradient.subi(gradient);
            }
            return weights.toFloatArray();
        }
    }

    @Test
    void float32SaveAndLoadGiveIdenticalOutputs(@TempDir Path directory) throws Exception {
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(TINY, root, 7)) {
            NDArray regions = RegionBatch.load(root, features, images);
            float[] before = model.init(regions).arrays().get(2).toFloatArray();
            float[] stepBefore = model.step(model.init(regions), new int[] {1, 1, 1}).logProbs().toFloatArray();
            model.save(directory, WeightPrecision.FLOAT32);
            assertThat(directory.resolve(ModelFiles.CONFIG_FILE)).exists();
            try (CaptionModel loaded = CaptionModels.load(directory, root)) {
                assertThat(loaded.config()).isEqualTo(TINY);
                assertThat(loaded.init(regions).arrays().get(2).toFloatArray()).containsExactly(before);
                assertThat(loaded.step(loaded.init(regions), new int[] {1, 1, 1}).logProbs().toFloatArray())
                        .containsExactly(stepBefore);
            }
        }
    }

    @Test
    void float16WeightsHalveTheFileAndStayWithinHalfPrecision(@TempDir Path directory) throws Exception {
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(TINY, root, 7)) {
            NDArray regions = RegionBatch.load(root, features, images);
            float[] before = model.step(model.init(regions), new int[] {1, 1, 1}).logProbs().toFloatArray();
            model.save(directory.resolve("f32"), WeightPrecision.FLOAT32);
            model.save(directory.resolve("f16"), WeightPrecision.FLOAT16);
            long full = Files.size(directory.resolve("f32").resolve(ModelFiles.WEIGHTS_FILE));
            long half = Files.size(directory.resolve("f16").resolve(ModelFiles.WEIGHTS_FILE));
            assertThat(half).isLessThan(full * 6 / 10);
            try (CaptionModel loaded = CaptionModels.load(directory.resolve("f16"), root)) {
                for (String name : model.parameters().tensors().keySet()) {
                    float[] original = model.parameters().tensors().get(name).toFloatArray();
                    float[] restored = loaded.parameters().tensors().get(name).toFloatArray();
                    for (int i = 0; i < original.length; i++) {
                        // float16 keeps 11 significant bits: relative error at most 2^-11 (weights here are > 2^-14).
                        assertThat(restored[i]).isCloseTo(original[i], within(Math.abs(original[i]) / 2048f + 1e-7f));
                    }
                }
                float[] after = loaded.step(loaded.init(regions), new int[] {1, 1, 1}).logProbs().toFloatArray();
                for (int i = 0; i < before.length; i++) {
                    assertThat(after[i]).isCloseTo(before[i], within(1e-2f));
                }
            }
        }
    }
}
