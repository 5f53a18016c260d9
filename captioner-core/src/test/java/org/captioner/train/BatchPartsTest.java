package org.captioner.train;

import ai.djl.ndarray.NDManager;
import org.captioner.engine.TorchThreads;
import org.captioner.features.RandomFeatures;
import org.captioner.model.CaptionModel;
import org.captioner.model.CaptionModels;
import org.captioner.model.ModelConfig;
import org.captioner.model.TinyConfigs;
import org.captioner.text.SpecialTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A batch cut into parts computed at once on two threads trains as the whole batch does: each part's objective is
 * weighted by its share of the targets (loss) and of the images (attention penalty), so the gradients add up to the
 * whole batch's. Checked without dropout, whose masks are drawn per part; with it, runs still repeat exactly.
 */
class BatchPartsTest {
    private static final int VOCAB = 12;
    private static final RandomFeatures FEATURES = new RandomFeatures(5, 8, 8, 1);
    private static final int STEPS = 3;

    static List<ModelConfig> families() {
        return TinyConfigs.all(VOCAB, 5, 8, 8, 12, 0.0);
    }

    /** Five captions of different lengths, so the parts hold unequal numbers of images and of targets. */
    private static final List<TrainingExample> BATCH = IntStream.range(0, 5)
            .mapToObj(image -> new TrainingExample(RandomFeatures.id(image),
                    IntStream.range(0, 3 + 2 * image).map(t -> t == 0 ? SpecialTokens.START
                            : t == 2 + 2 * image ? SpecialTokens.END
                            : SpecialTokens.COUNT + (t * 5 + image) % (VOCAB - SpecialTokens.COUNT)).toArray()))
            .toList();

    @ParameterizedTest
    @MethodSource("families")
    void twoPartsGiveTheLossAndGradientsOfTheWholeBatch(ModelConfig family) {
        Pass whole = pass(family, 1);
        Pass parts = pass(family, 2);

        assertThat(parts.loss).isCloseTo(whole.loss, within(1e-6));
        whole.gradients.forEach((name, expected) -> {
            float[] actual = parts.gradients.get(name);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("%s[%d]", name, i)
                        .isCloseTo(expected[i], within(1e-6f + 1e-4f * Math.abs(expected[i])));
            }
        });
        assertThat(whole.gradients.values()).as("gradients of every tensor").hasSize(parts.gradients.size())
                .anySatisfy(gradient -> assertThat(gradient).isNotEqualTo(new float[gradient.length]));
    }

    @ParameterizedTest
    @MethodSource("families")
    void twoPartsTrainAsTheWholeBatchDoes(ModelConfig family) {
        Run whole = train(family, 1, BATCH);
        Run parts = train(family, 2, BATCH);

        for (int step = 0; step < STEPS; step++) {
            assertThat(parts.outcomes[step].loss()).as("loss of step %d", step)
                    .isCloseTo(whole.outcomes[step].loss(), within(1e-5));
            assertThat(parts.outcomes[step].gradientNorm()).as("gradient norm of step %d", step)
                    .isCloseTo(whole.outcomes[step].gradientNorm(), within(1e-5 * whole.outcomes[step].gradientNorm()));
        }
    }

    @Test
    void withDropoutTwoPartsRepeatExactlyAndDifferFromOnePart() {
        ModelConfig family = TinyConfigs.all(VOCAB, 5, 8, 8, 12, 0.3).get(0);
        Run first = train(family, 2, BATCH);
        Run second = train(family, 2, BATCH);
        Run whole = train(family, 1, BATCH);

        first.weights.forEach((name, weights) -> assertThat(second.weights.get(name)).as(name).containsExactly(weights));
        assertThat(whole.outcomes[0].loss()).as("other masks").isNotEqualTo(first.outcomes[0].loss());
    }

    /** Arrays the parts' threads make (views of weights, gradients' handles) are closed with each step, as the caller's are. */
    @ParameterizedTest
    @MethodSource("families")
    void stepsLeaveNoArraysBehind(ModelConfig family) {
        TrainingConfig config = config(2).toBuilder().optWeightAveraging(0.9).build();
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(family, root, 7);
             Adam optimizer = new Adam(model.parameters(), model.manager(), config.weightAveraging());
             TrainingStep step = new TrainingStep(model, FEATURES, config, optimizer, StepPhases.NONE)) {
            step.run(BATCH, BATCH, 0, 1e-2);
            int after1 = root.getManagedArrays().size();
            for (int i = 1; i < 4; i++) {
                step.run(BATCH, BATCH, i, 1e-2);
            }

            assertThat(root.getManagedArrays()).hasSize(after1);
        }
    }

    @Test
    void withOneLibtorchThreadThePartsTakeTurnsAndTrainTheSame() {
        ModelConfig family = TinyConfigs.all(VOCAB, 5, 8, 8, 12, 0.3).get(0);
        Run atOnce = train(family, 2, BATCH);
        int threads = TorchThreads.get();
        TorchThreads.set(1);
        Run inTurn;
        try {
            inTurn = train(family, 2, BATCH);
        } finally {
            TorchThreads.set(threads);
        }

        atOnce.weights.forEach((name, expected) -> {
            float[] actual = inTurn.weights.get(name);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("%s[%d]", name, i).isCloseTo(expected[i], within(1e-6f));
            }
        });
    }

    @Test
    void aBatchSmallerThanThePartsLeavesAPartEmpty() {
        ModelConfig family = families().get(0);
        List<TrainingExample> one = BATCH.subList(2, 3);

        Run parts = train(family, 2, one);
        Run whole = train(family, 1, one);

        assertThat(parts.outcomes[0].loss()).isCloseTo(whole.outcomes[0].loss(), within(1e-6));
    }

    private record Pass(double loss, Map<String, float[]> gradients) {
    }

    private static Pass pass(ModelConfig family, int parts) {
        Map<String, float[]> gradients = new LinkedHashMap<>();
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(family, root, 7);
             Adam optimizer = new Adam(model.parameters(), model.manager());
             TrainingStep step = new TrainingStep(model, FEATURES, config(parts), optimizer, StepPhases.NONE);
             NDManager inputs = model.manager().newSubManager()) {
            double loss = step.passes(inputs, BATCH, null, 0);
            model.parameters().trainable().forEach((name, weight) -> gradients.put(name, weight.getGradient().toFloatArray()));
            return new Pass(loss, gradients);
        }
    }

    private static TrainingConfig config(int parts) {
        return TrainingConfig.builder().optBatchParts(parts).optLabelSmoothing(0.1).optWarmupSteps(0).build();
    }

    private record Run(TrainingStep.Outcome[] outcomes, Map<String, float[]> weights) {
    }

    private static Run train(ModelConfig family, int parts, List<TrainingExample> batch) {
        TrainingConfig config = config(parts);
        TrainingStep.Outcome[] outcomes = new TrainingStep.Outcome[STEPS];
        Map<String, float[]> weights = new LinkedHashMap<>();
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(family, root, 7);
             Adam optimizer = new Adam(model.parameters(), model.manager());
             TrainingStep step = new TrainingStep(model, FEATURES, config, optimizer, StepPhases.NONE)) {
            for (int i = 0; i < STEPS; i++) {
                outcomes[i] = step.run(batch, batch, i, 1e-2);
            }
            model.parameters().trainable().forEach((name, weight) -> weights.put(name, weight.toFloatArray()));
        }
        return new Run(outcomes, weights);
    }
}
