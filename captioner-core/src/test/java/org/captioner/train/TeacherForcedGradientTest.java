package org.captioner.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.captioner.model.Dropout;
import org.captioner.engine.Constants;
import org.captioner.features.RegionBatch;
import org.captioner.model.CaptionModel;
import org.captioner.model.CaptionModels;
import org.captioner.model.DecoderState;
import org.captioner.model.GeneratedFeatures;
import org.captioner.model.ModelConfig;
import org.captioner.model.StepResult;
import org.captioner.model.TinyConfigs;
import org.captioner.text.SpecialTokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The fast training formulation computes the same thing as the plain one. The plain one runs the model a step at a
 * time as decoding does (embedding, vocabulary projection and softmax inside the time loop) and averages the
 * label-smoothed cross-entropy over the real targets; the fast one is {@link CaptionModel#teacherForced} (all steps'
 * embeddings and the vocabulary projection at once, padding skipped) with {@link MaskedLoss}. On a fixed batch with
 * padding, the loss agrees within 1e-5 and every parameter's gradient within 1e-5 absolute + 1e-3 relative
 * (float32 sums in a different order).
 */
class TeacherForcedGradientTest {
    private static final int VOCAB = 12;
    private static final double SMOOTHING = 0.1;
    private static final int[][] CAPTIONS = {
        {SpecialTokens.START, 5, 6, 7, 9, SpecialTokens.END},
        {SpecialTokens.START, 8, 9, SpecialTokens.END},
        {SpecialTokens.START, 4, 4, 11, 10, 6, SpecialTokens.END}};

    static List<ModelConfig> families() {
        List<ModelConfig> configs = new java.util.ArrayList<>(TinyConfigs.all(VOCAB, 5, 8, 8, 12, 0.3));
        configs.add(configs.get(0).withRnn(ModelConfig.LSTM));
        configs.add(configs.get(2).withRnn(ModelConfig.GRU));
        return configs;
    }

    @ParameterizedTest
    @MethodSource("families")
    void lossAndGradientsMatchTheStepByStepFormulation(ModelConfig config) {
        GeneratedFeatures features = new GeneratedFeatures(5, 8, 3, 1);
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(config, root, 7);
             NDManager batchManager = root.newSubManager()) {
            NDArray regions = RegionBatch.load(batchManager, features,
                    List.of(GeneratedFeatures.id(0), GeneratedFeatures.id(1), GeneratedFeatures.id(2)));
            TokenBatch tokens = TokenBatch.of(batchManager, List.of(CAPTIONS), 20);
            Result fast = lossAndGradients(model, manager -> MaskedLoss.crossEntropy(
                    model.teacherForced(regions, tokens.inputs(), Dropout.OFF).logits(), tokens.targets(), SMOOTHING));
            Result plain = lossAndGradients(model, manager -> stepByStepLoss(model, regions, tokens));
            assertThat(fast.loss).isCloseTo(plain.loss, within(1e-5));
            assertThat(fast.gradients.keySet()).containsExactlyElementsOf(plain.gradients.keySet());
            for (Map.Entry<String, float[]> entry : plain.gradients.entrySet()) {
                float[] expected = entry.getValue();
                float[] actual = fast.gradients.get(entry.getKey());
                assertThat(actual).as(entry.getKey()).hasSameSizeAs(expected);
                boolean anyNonZero = false;
                for (int i = 0; i < expected.length; i++) {
                    anyNonZero |= expected[i] != 0;
                    assertThat(actual[i]).as("%s[%d]", entry.getKey(), i)
                            .isCloseTo(expected[i], within(1e-5f + 1e-3f * Math.abs(expected[i])));
                }
                assertThat(anyNonZero).as("%s has a gradient", entry.getKey()).isTrue();
            }
        }
    }

    /** The label-smoothed loss, one decoding step at a time, averaged over the real (non-PAD) targets. */
    private static NDArray stepByStepLoss(CaptionModel model, NDArray regions, TokenBatch tokens) {
        int[] inputs = tokens.inputs().toIntArray();
        int[] targets = tokens.targets().toIntArray();
        int rows = CAPTIONS.length;
        int steps = inputs.length / rows;
        DecoderState state = model.init(regions);
        NDList perToken = new NDList();
        for (int t = 0; t < steps; t++) {
            int[] previous = new int[rows];
            for (int b = 0; b < rows; b++) {
                previous[b] = inputs[b * steps + t];
            }
            StepResult step = model.step(state, previous);
            for (int b = 0; b < rows; b++) {
                int target = targets[b * steps + t];
                if (target != SpecialTokens.PAD) {
                    NDArray logProbs = step.logProbs().get(b);
                    // Constants, not mul(Number): DJL frees a Number's tensor that autograd still reads (Constants).
                    perToken.add(Constants.times(logProbs.get(target).neg(), 1 - SMOOTHING)
                            .add(Constants.times(logProbs.mean().neg(), SMOOTHING)));
                }
            }
            state = step.state();
        }
        return NDArrays.stack(perToken).mean();
    }

    private record Result(double loss, Map<String, float[]> gradients) {
    }

    private static Result lossAndGradients(CaptionModel model, Function<NDManager, NDArray> loss) {
        Map<String, float[]> gradients = new LinkedHashMap<>();
        try (NDManager manager = model.manager().newSubManager()) {
            NDArray value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                value = loss.apply(manager);
                collector.backward(value);
            }
            for (Map.Entry<String, NDArray> p : model.parameters().trainable().entrySet()) {
                NDArray gradient = p.getValue().getGradient();
                gradients.put(p.getKey(), gradient.toType(DataType.FLOAT32, true).toFloatArray());
                gradient.muli(0);
            }
            return new Result(value.toType(DataType.FLOAT64, false).getDouble(), gradients);
        }
    }
}
