package org.captioner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import org.captioner.engine.Constants;
import org.captioner.engine.GradientRecording;
import org.captioner.engine.MatmulPrecision;
import org.captioner.features.FeatureSource;
import org.captioner.model.CaptionModel;
import org.captioner.model.Dropout;
import org.captioner.model.TeacherForcedOutput;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One optimization step on a batch: teacher-forced forward pass, masked loss, backward pass, Adam update.
 * {@link Trainer} runs it for every batch and {@link TrainingBenchmark} times it, so the benchmark measures
 * exactly what training does. The batch is cut into {@link TrainingConfig#batchParts()} parts whose passes run at
 * once ({@link BatchParts}); each part's objective is weighted by its share of the batch, so the gradients they add
 * up to are the whole batch's. The next batch's inputs are read on another thread while a step computes
 * ({@link BatchPrefetcher}); the batch phase is what the step still waits for them.
 */
final class TrainingStep implements AutoCloseable {
    private final CaptionModel model;
    private final TrainingConfig config;
    private final Adam optimizer;
    private final StepPhases phases;
    private final BatchPrefetcher inputs;
    private final BatchParts parts;

    /**
     * The step's mean loss per target token, the gradient norm before clipping (not finite: update skipped) and, in
     * self-critical training, the mean reward of the sampled captions (NaN otherwise).
     */
    record Outcome(double loss, double gradientNorm, double reward) {
        Outcome(double loss, double gradientNorm) {
            this(loss, gradientNorm, Double.NaN);
        }
    }

    /**
     * A teacher-forced pass: the mean cross-entropy per target token, and the attention penalty times its weight
     * (null for models without attention, or a weight of 0).
     */
    record TeacherForced(NDArray loss, NDArray penalty) {
        /**
         * What a part of a batch minimizes: the loss, a mean over target tokens, weighted by the part's share of the
         * batch's targets, plus the penalty, a mean over images, weighted by its share of the images.
         */
        NDArray objective(double targetShare, double imageShare) {
            NDArray objective = scaled(loss, targetShare);
            return penalty == null ? objective : objective.add(scaled(penalty, imageShare));
        }

        private static NDArray scaled(NDArray value, double share) {
            return share == 1 ? value : Constants.times(value, share);
        }
    }

    /** The forward pass and loss of cross-entropy training; self-critical training mixes it in. */
    static TeacherForced teacherForced(CaptionModel model, NDArray regions, TokenBatch tokens, TrainingConfig config,
                                       Dropout dropout) {
        TeacherForcedOutput output = model.teacherForced(regions, tokens.inputs(), dropout);
        NDArray loss = MaskedLoss.crossEntropy(output.logits(), tokens.targets(), config.labelSmoothing());
        // Models without attention (show-and-tell) have nothing to regularize.
        NDArray penalty = config.attentionRegularization() > 0 && output.attention() != null
                ? Constants.times(MaskedLoss.attentionPenalty(output.attention(), tokens.targets()),
                config.attentionRegularization())
                : null;
        return new TeacherForced(loss, penalty);
    }

    /** The dropout masks of a step's parts, a function of the seed, the step and the part alone (exact resume). */
    static Dropout[] dropout(TrainingConfig config, long step, int parts) {
        SplittableRandom stepRandom = new SplittableRandom(config.seed() * 1_000_003L + step);
        Dropout[] masks = new Dropout[parts];
        for (int part = 0; part < parts; part++) {
            masks[part] = Dropout.from(stepRandom.split());
        }
        return masks;
    }

    TrainingStep(CaptionModel model, FeatureSource features, TrainingConfig config, Adam optimizer, StepPhases phases) {
        this.model = model;
        this.config = config;
        this.optimizer = optimizer;
        this.phases = phases;
        this.inputs = new BatchPrefetcher(features, config.maxLength());
        this.parts = new BatchParts(config.batchParts());
    }

    /** @param next the batch the following step will run (null: unknown), read ahead while this one computes */
    Outcome run(List<TrainingExample> batch, List<TrainingExample> next, long step, double learningRate) {
        phases.start();
        try (NDManager manager = model.manager().newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            double loss = passes(manager, batch, next, step);
            double norm = optimizer.update(learningRate, config.clipNorm(), parts);
            phases.lap(StepPhases.Phase.UPDATE);
            return new Outcome(Double.isFinite(norm) ? loss : Double.NaN, norm);
        }
    }

    /**
     * The forward and backward passes of the batch's parts, which add the batch's gradient to the weights'
     * gradients; returns the batch's mean loss per target token. The inputs' arrays go to {@code manager}.
     */
    double passes(NDManager manager, List<TrainingExample> batch, List<TrainingExample> next, long step) {
        BatchPrefetcher.Inputs host = inputs.take(batch, next);
        NDArray regions = host.regions().wrap(manager);
        TokenBatch tokens = host.tokens().create(manager);
        phases.lap(StepPhases.Phase.BATCH);
        Dropout[] dropout = dropout(config, step, parts.count());
        double loss;
        try (MatmulPrecision.Scope precision = config.precision().use()) {
            loss = parts.sum(part -> part(regions, tokens, host.tokens(), part, dropout[part]));
        }
        phases.lap(StepPhases.Phase.PASSES);
        return loss;
    }

    /** Forward and backward pass of one part of the batch; returns its share of the batch's loss. */
    private double part(NDArray regions, TokenBatch tokens, TokenBatch.Padded host, int part, Dropout dropout) {
        int rows = host.rows();
        int from = parts.firstRow(part, rows);
        int to = parts.firstRow(part + 1, rows);
        if (from == to) {
            return 0; // a batch with fewer captions than parts
        }
        NDIndex slice = new NDIndex().addSliceDim(from, to);
        // A scope of this thread's own: some arrays land in the weights' manager (e.g. a product of a weight and a
        // constant) and would outlive the step; the step's scope on the calling thread does not see them.
        try (GradientRecording recording = GradientRecording.start(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray partRegions = regions.get(slice);
            TokenBatch partTokens = new TokenBatch(tokens.inputs().get(slice), tokens.targets().get(slice));
            double targetShare = host.targetCount(from, to) / (double) host.targetCount(0, rows);
            TeacherForced forward = teacherForced(model, partRegions, partTokens, config, dropout);
            recording.backward(forward.objective(targetShare, (to - from) / (double) rows));
            return forward.loss().getFloat() * targetShare;
        }
    }

    @Override
    public void close() {
        parts.close();
        inputs.close();
    }
}
