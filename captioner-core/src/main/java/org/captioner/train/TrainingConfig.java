package org.captioner.train;

import org.captioner.engine.MatmulPrecision;

import java.util.Objects;

/**
 * Training hyper-parameters.
 *
 * @param epochs                   most passes over the training captions
 * @param batchSize                captions per step
 * @param learningRate             Adam's peak learning rate
 * @param warmupSteps              steps of linear warm-up to the peak
 * @param decay                    learning rate factor per epoch after warm-up, applied smoothly per step
 * @param clipNorm                 global gradient norm limit (0 = none)
 * @param attentionRegularization  lambda of the doubly stochastic attention penalty
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
 * @param precision                the training step's matrix products: {@code fp32}, or {@code bf16} (bfloat16
 *                                 factors, float32 sums, weights and gradients; faster on CPUs with AVX-512, see
 *                                 {@link MatmulPrecision}); absent in older checkpoints, which trained in fp32
 * @param batchParts               1 or 2: the batch is cut into this many parts whose forward and backward passes run
 *                                 at once, each on its own thread with its share of libtorch's threads (same
 *                                 gradients, a faster step on several cores; see {@link BatchParts}). More parts would
 *                                 add their gradients in an order that depends on the threads' timing, and runs would
 *                                 no longer repeat exactly. Dropout masks are drawn per part, so resuming needs the
 *                                 same value
 * @param scst                     null: cross-entropy training on the reference captions; else self-critical
 *                                 training on sampled captions, {@code batchSize} images a step
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, int warmupSteps, double decay,
                             double clipNorm, double attentionRegularization, double labelSmoothing, int maxLength,
                             long seed, int patience, int evalEvery, int checkpointEvery, long maxSteps,
                             double weightAveraging, MatmulPrecision precision, int batchParts,
                             ScstConfig scst) {

    public TrainingConfig {
        precision = precision == null ? MatmulPrecision.FP32 : precision;
        // Absent from the recipes of older bundles and checkpoints, which ran the whole batch at once.
        batchParts = batchParts == 0 ? 1 : batchParts;
        require(epochs >= 1, "epochs", epochs, "at least 1");
        require(batchSize >= 1, "batchSize", batchSize, "at least 1");
        require(learningRate > 0, "learningRate", learningRate, "positive");
        require(warmupSteps >= 0, "warmupSteps", warmupSteps, "at least 0");
        require(decay > 0 && decay <= 1, "decay", decay, "in (0, 1]");
        require(clipNorm >= 0, "clipNorm", clipNorm, "at least 0");
        require(attentionRegularization >= 0, "attentionRegularization", attentionRegularization, "at least 0");
        require(labelSmoothing >= 0 && labelSmoothing < 1, "labelSmoothing", labelSmoothing, "in [0, 1)");
        require(maxLength >= 2, "maxLength", maxLength, "at least 2");
        require(patience >= 0, "patience", patience, "at least 0");
        require(evalEvery >= 1, "evalEvery", evalEvery, "at least 1");
        require(checkpointEvery >= 0, "checkpointEvery", checkpointEvery, "at least 0");
        require(maxSteps >= 0, "maxSteps", maxSteps, "at least 0");
        require(weightAveraging >= 0 && weightAveraging < 1, "weightAveraging", weightAveraging, "in [0, 1)");
        require(batchParts == 1 || batchParts == 2, "batchParts", batchParts, "1 or 2");
    }

    // In a compact constructor the fields are not assigned yet, so the message takes the value itself.
    private static void require(boolean ok, String field, Number value, String range) {
        if (!ok) {
            throw new IllegalArgumentException("training." + field + " must be " + range + ", got " + value);
        }
    }

    /** Defaults for Flickr8k-sized data: 20 epochs of 64 captions, Adam 4e-4 after 500 warm-up steps. */
    public static TrainingConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config, e.g. {@code config.toBuilder().optEpochs(3).build()}. */
    public Builder toBuilder() {
        return new Builder().optEpochs(epochs).optBatchSize(batchSize).optLearningRate(learningRate)
                .optWarmupSteps(warmupSteps).optDecay(decay).optClipNorm(clipNorm)
                .optAttentionRegularization(attentionRegularization).optLabelSmoothing(labelSmoothing)
                .optMaxLength(maxLength).optSeed(seed).optPatience(patience).optEvalEvery(evalEvery)
                .optCheckpointEvery(checkpointEvery).optMaxSteps(maxSteps).optWeightAveraging(weightAveraging)
                .optPrecision(precision).optBatchParts(batchParts).optScst(scst);
    }

    /** Sets fields by name (see the record's parameters); {@link #build()} checks them together. */
    public static final class Builder {
        private int epochs = 20;
        private int batchSize = 64;
        private double learningRate = 4e-4;
        private int warmupSteps = 500;
        private double decay = 0.9;
        private double clipNorm = 5.0;
        private double attentionRegularization = 1.0;
        private double labelSmoothing = 0.0;
        private int maxLength = 22;
        private long seed = 42L;
        private int patience = 3;
        private int evalEvery = 1;
        private int checkpointEvery = 0;
        private long maxSteps = 0;
        private double weightAveraging = 0.0;
        private MatmulPrecision precision = MatmulPrecision.FP32;
        private int batchParts = 2;
        private ScstConfig scst;

        private Builder() {
        }

        /** @throws IllegalArgumentException if a value is out of range */
        public TrainingConfig build() {
            return new TrainingConfig(epochs, batchSize, learningRate, warmupSteps, decay, clipNorm,
                    attentionRegularization, labelSmoothing, maxLength, seed, patience, evalEvery, checkpointEvery,
                    maxSteps, weightAveraging, precision, batchParts, scst);
        }

        public Builder optEpochs(int value) {
            epochs = value;
            return this;
        }

        public Builder optBatchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder optLearningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder optWarmupSteps(int value) {
            warmupSteps = value;
            return this;
        }

        public Builder optDecay(double value) {
            decay = value;
            return this;
        }

        public Builder optClipNorm(double value) {
            clipNorm = value;
            return this;
        }

        public Builder optAttentionRegularization(double value) {
            attentionRegularization = value;
            return this;
        }

        public Builder optLabelSmoothing(double value) {
            labelSmoothing = value;
            return this;
        }

        public Builder optMaxLength(int value) {
            maxLength = value;
            return this;
        }

        public Builder optSeed(long value) {
            seed = value;
            return this;
        }

        public Builder optPatience(int value) {
            patience = value;
            return this;
        }

        public Builder optEvalEvery(int value) {
            evalEvery = value;
            return this;
        }

        public Builder optCheckpointEvery(int value) {
            checkpointEvery = value;
            return this;
        }

        public Builder optMaxSteps(long value) {
            maxSteps = value;
            return this;
        }

        public Builder optWeightAveraging(double value) {
            weightAveraging = value;
            return this;
        }

        public Builder optPrecision(MatmulPrecision value) {
            precision = value;
            return this;
        }

        public Builder optBatchParts(int value) {
            batchParts = value;
            return this;
        }

        public Builder optScst(ScstConfig value) {
            scst = value;
            return this;
        }
    }

    /**
     * Whether a run under {@code other} takes the same steps as under this config, so that one may resume the
     * other: everything but the stopping rules (epochs, patience, evalEvery, checkpointEvery, maxSteps) must match.
     */
    public boolean sameTrajectoryAs(TrainingConfig other) {
        return batchSize == other.batchSize && learningRate == other.learningRate && warmupSteps == other.warmupSteps
                && decay == other.decay && clipNorm == other.clipNorm
                && attentionRegularization == other.attentionRegularization
                && labelSmoothing == other.labelSmoothing && maxLength == other.maxLength && seed == other.seed
                && weightAveraging == other.weightAveraging && precision == other.precision
                && (scst != null || batchParts == other.batchParts) // self-critical steps run whole batches
                && Objects.equals(scst, other.scst);
    }

    /** Learning rate of step {@code step} (0-based): linear warm-up, then {@code decay} per epoch. */
    public double learningRateAt(long step, int stepsPerEpoch) {
        double warm = warmupSteps == 0 ? 1 : Math.min(1.0, (step + 1.0) / warmupSteps);
        double decayed = Math.pow(decay, Math.max(0, step - warmupSteps) / (double) stepsPerEpoch);
        return learningRate * warm * decayed;
    }
}
