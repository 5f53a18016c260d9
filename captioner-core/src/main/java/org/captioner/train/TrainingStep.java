package org.captioner.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import org.captioner.engine.Constants;
import org.captioner.engine.MatmulPrecision;
import org.captioner.features.FeatureSource;
import org.captioner.model.CaptionModel;
import org.captioner.model.TeacherForcedOutput;

import java.util.List;

/**
 * One optimization step on a batch: teacher-forced forward pass, masked loss, backward pass, Adam update.
 * {@link Trainer} runs it for every batch and {@link TrainingBenchmark} times it, so the benchmark measures
 * exactly what training does. The next batch's inputs are read on a second thread while a step computes
 * ({@link BatchPrefetcher}); the batch phase is what the step still waits for them.
 */
final class TrainingStep implements AutoCloseable {
    private final CaptionModel model;
    private final TrainingConfig config;
    private final Adam optimizer;
    private final StepPhases phases;
    private final BatchPrefetcher inputs;

    /**
     * The step's mean loss per target token, the gradient norm before clipping (not finite: update skipped) and, in
     * self-critical training, the mean reward of the sampled captions (NaN otherwise).
     */
    record Outcome(double loss, double gradientNorm, double reward) {
        Outcome(double loss, double gradientNorm) {
            this(loss, gradientNorm, Double.NaN);
        }
    }

    /** A teacher-forced pass: the mean cross-entropy per target token, and what is minimized (it plus the attention penalty). */
    record TeacherForced(NDArray loss, NDArray objective) {
    }

    /** The forward pass and loss of cross-entropy training, with dropout; self-critical training mixes it in. */
    static TeacherForced teacherForced(CaptionModel model, NDArray regions, TokenBatch tokens, TrainingConfig config) {
        TeacherForcedOutput output = model.teacherForced(regions, tokens.inputs(), true);
        NDArray loss = MaskedLoss.crossEntropy(output.logits(), tokens.targets(), config.labelSmoothing());
        // Models without attention (show-and-tell) have nothing to regularize.
        NDArray objective = config.attentionRegularization() > 0 && output.attention() != null
                ? loss.add(Constants.times(MaskedLoss.attentionPenalty(output.attention(), tokens.targets()),
                config.attentionRegularization()))
                : loss;
        return new TeacherForced(loss, objective);
    }

    TrainingStep(CaptionModel model, FeatureSource features, TrainingConfig config, Adam optimizer, StepPhases phases) {
        this.model = model;
        this.config = config;
        this.optimizer = optimizer;
        this.phases = phases;
        this.inputs = new BatchPrefetcher(features, config.maxLength());
    }

    /** @param next the batch the following step will run (null: unknown), read ahead while this one computes */
    Outcome run(List<TrainingExample> batch, List<TrainingExample> next, long step, double learningRate) {
        phases.start();
        // Dropout draws from the engine's generator: reseeding per step makes it independent of where a run resumed.
        Engine.getInstance().setRandomSeed((int) (config.seed() * 1_000_003L + step));
        try (NDManager manager = model.manager().newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            BatchPrefetcher.Inputs host = inputs.take(batch, next);
            NDArray regions = host.regions().wrap(manager);
            TokenBatch tokens = host.tokens().create(manager);
            phases.lap(StepPhases.Phase.BATCH);
            NDArray loss;
            try (MatmulPrecision.Scope precision = config.precision().use();
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                TeacherForced forward = teacherForced(model, regions, tokens, config);
                loss = forward.loss();
                phases.lap(StepPhases.Phase.FORWARD);
                collector.backward(forward.objective());
                phases.lap(StepPhases.Phase.BACKWARD);
            }
            double norm = optimizer.update(learningRate, config.clipNorm());
            double value = Double.isFinite(norm) ? loss.getFloat() : Double.NaN;
            phases.lap(StepPhases.Phase.UPDATE);
            return new Outcome(value, norm);
        }
    }

    @Override
    public void close() {
        inputs.close();
    }
}
