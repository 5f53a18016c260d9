package org.captioner.train;

/**
 * Self-critical sequence training (Rennie et al. 2017): fine-tune on the CIDEr-D of the model's own sampled
 * captions instead of the cross-entropy of the references. The recipe key {@code training.scst}; absent (null)
 * for cross-entropy training. A batch is then {@code training.batchSize} images, each sampled {@code samples} times.
 *
 * @param samples  captions sampled per image and step
 * @param baseline what a sample's reward is compared with: {@link Baseline#MEAN} the mean reward of the image's
 *                 other samples (Luo 2020, "A Better Variant of Self-Critical Sequence Training"), {@link
 *                 Baseline#GREEDY} the reward of the image's greedy caption (Rennie et al.)
 */
public record ScstConfig(int samples, Baseline baseline) {
    /** At most this many samples per image: beyond it a step costs more than it gains. */
    public static final int MAX_SAMPLES = 64;

    public enum Baseline { MEAN, GREEDY }

    public ScstConfig {
        if (baseline == null) {
            baseline = Baseline.MEAN;
        }
        int least = baseline == Baseline.MEAN ? 2 : 1;
        if (samples < least || samples > MAX_SAMPLES) {
            throw new IllegalArgumentException("training.scst.samples must be from " + least + " to " + MAX_SAMPLES
                    + (baseline == Baseline.MEAN ? " (the mean baseline needs two samples of an image)" : "")
                    + ", got " + samples);
        }
    }
}
