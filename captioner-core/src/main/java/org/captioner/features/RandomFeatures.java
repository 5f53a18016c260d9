package org.captioner.features;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Made-up region features of a real shape for images {@code image0.jpg}, {@code image1.jpg}, ...: non-negative, as a
 * CNN's ReLU emits. For the training benchmark, which needs no data, and for tests.
 */
public class RandomFeatures implements FeatureSource {
    private final int regions;
    private final int channels;
    private final Map<String, float[]> byImage = new LinkedHashMap<>();

    public RandomFeatures(int regions, int channels, int images, long seed) {
        this.regions = regions;
        this.channels = channels;
        Random random = new Random(seed);
        for (int i = 0; i < images; i++) {
            float[] values = new float[regions * channels];
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) Math.max(0, random.nextGaussian());
            }
            byImage.put(id(i), values);
        }
    }

    public static String id(int image) {
        return "image" + image + ".jpg";
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
        return byImage.containsKey(imageId);
    }

    @Override
    public void regionFeatures(String imageId, float[] into) {
        System.arraycopy(byImage.get(imageId), 0, into, 0, regions * channels);
    }

    @Override
    public void pooledFeatures(String imageId, float[] into) {
        float[] values = byImage.get(imageId);
        for (int c = 0; c < channels; c++) {
            float sum = 0;
            for (int r = 0; r < regions; r++) {
                sum += values[r * channels + c];
            }
            into[c] = sum / regions;
        }
    }
}
