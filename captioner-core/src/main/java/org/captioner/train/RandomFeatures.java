package org.captioner.train;

import org.captioner.features.FeatureSource;

import java.util.Random;

/** Made-up region features of the real shape for {@link TrainingBenchmark}: non-negative, as a CNN's ReLU emits. */
final class RandomFeatures implements FeatureSource {
    private static final String PREFIX = "random";
    private final int regions;
    private final int channels;
    private final float[][] byImage;

    RandomFeatures(int regions, int channels, int images) {
        this.regions = regions;
        this.channels = channels;
        this.byImage = new float[images][regions * channels];
        Random random = new Random(1);
        for (float[] values : byImage) {
            for (int i = 0; i < values.length; i++) {
                values[i] = Math.max(0, (float) random.nextGaussian());
            }
        }
    }

    static String id(int image) {
        return PREFIX + image;
    }

    @Override
    public int regions() {
        return regions;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public boolean contains(String imageId) {
        return imageId.startsWith(PREFIX) && index(imageId) < byImage.length;
    }

    @Override
    public void regionFeatures(String imageId, float[] into) {
        System.arraycopy(byImage[index(imageId)], 0, into, 0, regions * channels);
    }

    @Override
    public void pooledFeatures(String imageId, float[] into) {
        throw new UnsupportedOperationException("training reads region features only");
    }

    private static int index(String imageId) {
        return Integer.parseInt(imageId.substring(PREFIX.length()));
    }
}
