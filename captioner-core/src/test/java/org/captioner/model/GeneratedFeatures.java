package org.captioner.model;

import org.captioner.features.RandomFeatures;

/** Random region features for made-up image ids, for tests and benchmarks. */
public final class GeneratedFeatures extends RandomFeatures {

    public GeneratedFeatures(int regions, int channels, int images, long seed) {
        super(regions, channels, images, seed);
    }

    public static String id(int image) {
        return RandomFeatures.id(image);
    }
}
