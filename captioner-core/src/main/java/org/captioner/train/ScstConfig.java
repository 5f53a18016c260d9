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
 * @param crossEntropyWeight weight of a cross-entropy term added to the self-critical loss: the teacher-forced loss of
 *                 one training reference per image and step (a mixed objective, Paulus et al. 2017). 0 (the
 *                 default): pure self-critical training, which narrows the words the model uses; the mix keeps the
 *                 references' words likely
 */
public record ScstConfig(int samples, Baseline baseline, double crossEntropyWeight) {
    /** At most this many samples per image: beyond it a step costs more than it gains. */
    public static final int MAX_SAMPLES = 64;

    public enum Baseline { MEAN, GREEDY }

    /** Pure self-critical training (no cross-entropy mixed in). */
    public ScstConfig(int samples, Baseline baseline) {
        this(samples, baseline, 0);
    }

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
        if (!(crossEntropyWeight >= 0) || Double.isInfinite(crossEntropyWeight)) {
            throw new IllegalArgumentException("training.scst.crossEntropyWeight must be 0 or more, got " + crossEntropyWeight);
        }
    }
}
