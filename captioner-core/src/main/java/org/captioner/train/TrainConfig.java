package org.captioner.train;

/**
 * Training hyper-parameters.
 *
 * @param epochs                   most passes over the training captions
 * @param batchSize                captions per step
 * @param learningRate             Adam's peak learning rate
 * @param warmupSteps              steps of linear warm-up to the peak
 * @param decay                    learning rate factor per epoch after warm-up, applied smoothly per step
 * @param clipNorm                 global gradient norm limit (0 = none)
 * @param attentionRegularisation  lambda of the doubly stochastic attention penalty
 *                                 {@code sum_r (1 - sum_t alpha_tr)^2}, averaged over the batch
 * @param labelSmoothing           share of the target mass spread uniformly over the vocabulary
 * @param maxLength                captions are cut to this many tokens, START and END included; also the
 *                                 decoding limit for the dev metric
 * @param seed                     fixes initial shuffles, dropout and hence the whole run
 * @param patience                 dev-metric evaluations without improvement before stopping (0 = never stop early)
 * @param evalEvery                compute the dev metric every this many epochs (dev loss is every epoch)
 * @param checkpointEvery          also checkpoint every this many steps within an epoch (0 = only per epoch)
 * @param maxSteps                 stop (after checkpointing) once this many steps are done in total (0 = no limit)
 * @param weightAveraging          decay of an exponential moving average of the weights, kept beside them and
 *                                 used for the dev evaluation and the saved model (0 = off; e.g. 0.999)
 */
public record TrainConfig(int epochs, int batchSize, double learningRate, int warmupSteps, double decay,
                          double clipNorm, double attentionRegularisation, double labelSmoothing, int maxLength,
                          long seed, int patience, int evalEvery, int checkpointEvery, long maxSteps,
                          double weightAveraging) {

    public TrainConfig {
        if (epochs < 1 || batchSize < 1 || maxLength < 2 || evalEvery < 1) {
            throw new IllegalArgumentException("epochs, batchSize, evalEvery must be positive and maxLength >= 2");
        }
        if (!(learningRate > 0) || warmupSteps < 0 || !(decay > 0 && decay <= 1) || clipNorm < 0
                || attentionRegularisation < 0 || labelSmoothing < 0 || labelSmoothing >= 1 || patience < 0
                || checkpointEvery < 0 || maxSteps < 0 || !(weightAveraging >= 0 && weightAveraging < 1)) {
            throw new IllegalArgumentException("invalid training configuration " + this);
        }
    }

    /** Defaults for Flickr8k-sized data: 20 epochs of 64 captions, Adam 4e-4 after 500 warm-up steps. */
    public static TrainConfig defaults() {
        return new TrainConfig(20, 64, 4e-4, 500, 0.9, 5.0, 1.0, 0.0, 22, 42L, 3, 1, 0, 0, 0.0);
    }

    public TrainConfig withEpochs(int value) {
        return new TrainConfig(value, batchSize, learningRate, warmupSteps, decay, clipNorm, attentionRegularisation,
                labelSmoothing, maxLength, seed, patience, evalEvery, checkpointEvery, maxSteps, weightAveraging);
    }

    public TrainConfig withBatchSize(int value) {
        return new TrainConfig(epochs, value, learningRate, warmupSteps, decay, clipNorm, attentionRegularisation,
                labelSmoothing, maxLength, seed, patience, evalEvery, checkpointEvery, maxSteps, weightAveraging);
    }

    public TrainConfig withSchedule(double peakLearningRate, int warmup, double decayPerEpoch) {
        return new TrainConfig(epochs, batchSize, peakLearningRate, warmup, decayPerEpoch, clipNorm, attentionRegularisation,
                labelSmoothing, maxLength, seed, patience, evalEvery, checkpointEvery, maxSteps, weightAveraging);
    }

    public TrainConfig withRegularisation(double attention, double smoothing) {
        return new TrainConfig(epochs, batchSize, learningRate, warmupSteps, decay, clipNorm, attention, smoothing,
                maxLength, seed, patience, evalEvery, checkpointEvery, maxSteps, weightAveraging);
    }

    public TrainConfig withCheckpointing(int everySteps, long stopAfterSteps) {
        return new TrainConfig(epochs, batchSize, learningRate, warmupSteps, decay, clipNorm, attentionRegularisation,
                labelSmoothing, maxLength, seed, patience, evalEvery, everySteps, stopAfterSteps, weightAveraging);
    }

    public TrainConfig withPatience(int value) {
        return new TrainConfig(epochs, batchSize, learningRate, warmupSteps, decay, clipNorm, attentionRegularisation,
                labelSmoothing, maxLength, seed, value, evalEvery, checkpointEvery, maxSteps, weightAveraging);
    }

    public TrainConfig withWeightAveraging(double decayPerStep) {
        return new TrainConfig(epochs, batchSize, learningRate, warmupSteps, decay, clipNorm, attentionRegularisation,
                labelSmoothing, maxLength, seed, patience, evalEvery, checkpointEvery, maxSteps, decayPerStep);
    }

    /**
     * Whether a run under {@code other} takes the same steps as under this config, so that one may resume the
     * other: everything but the stopping rules (epochs, patience, evalEvery, checkpointEvery, maxSteps) must match.
     */
    public boolean sameTrajectoryAs(TrainConfig other) {
        return batchSize == other.batchSize && learningRate == other.learningRate && warmupSteps == other.warmupSteps
                && decay == other.decay && clipNorm == other.clipNorm
                && attentionRegularisation == other.attentionRegularisation
                && labelSmoothing == other.labelSmoothing && maxLength == other.maxLength && seed == other.seed
                && weightAveraging == other.weightAveraging;
    }

    /** Learning rate of step {@code step} (0-based): linear warm-up, then {@code decay} per epoch. */
    public double learningRateAt(long step, int stepsPerEpoch) {
        double warm = warmupSteps == 0 ? 1 : Math.min(1.0, (step + 1.0) / warmupSteps);
        double decayed = Math.pow(decay, Math.max(0, step - warmupSteps) / (double) stepsPerEpoch);
        return learningRate * warm * decayed;
    }
}
