package org.captioner.image;

import java.util.SplittableRandom;

/**
 * How augmented views of a training picture are drawn for feature extraction (docs/features.md, "Augmented
 * views"): odd views are mirrored (so half the pictures a model sees face each way once the plain view is
 * counted), every view is a random crop keeping at least {@code minCropSide} of each side, and gets small
 * brightness, contrast and saturation changes. A view depends only on (seed, image id, view number), so a resumed
 * extraction draws the views it missed exactly as an uninterrupted one would have.
 *
 * @param minCropSide     the crop keeps a share of the width and of the height drawn from [min, 1] (the same
 *                        share for both: the aspect ratio is kept); 1 = no crop
 * @param maxColorChange brightness, contrast and saturation factors each drawn from [1-max, 1+max]; 0 = none
 */
public record Augmentation(double minCropSide, double maxColorChange) {
    public static final Augmentation DEFAULT = new Augmentation(0.8, 0.15);

    public Augmentation {
        if (!(minCropSide > 0 && minCropSide <= 1) || !(maxColorChange >= 0 && maxColorChange < 1)) {
            throw new IllegalArgumentException("augmentation: minCropSide must be in (0, 1] and maxColorChange in [0, 1), got "
                    + minCropSide + " and " + maxColorChange);
        }
    }

    /** View {@code view} (1, 2, ...) of the image {@code imageId}; the same arguments give the same view. */
    public ViewTransform view(String imageId, int view, long seed) {
        if (view < 1) {
            throw new IllegalArgumentException("views are numbered from 1 (0 is the plain picture), got " + view);
        }
        // SplittableRandom mixes its seed: java.util.Random's first draws from seeds 1 apart are nearly equal, which gave
        // the views of one image the same crop size.
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + imageId.hashCode() * 8_191L + view);
        double side = minCropSide + random.nextDouble() * (1 - minCropSide);
        double left = random.nextDouble() * (1 - side);
        double top = random.nextDouble() * (1 - side);
        return new ViewTransform(view % 2 == 1, left, top, side, factor(random), factor(random), factor(random));
    }

    private double factor(SplittableRandom random) {
        return 1 + (random.nextDouble() * 2 - 1) * maxColorChange;
    }
}
