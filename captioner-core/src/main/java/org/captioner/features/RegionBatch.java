package org.captioner.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/** Copies region features of several images into one [B, R, C] array. */
public final class RegionBatch {
    private RegionBatch() {
    }

    public static NDArray load(NDManager manager, FeatureSource source, List<String> imageIds) {
        int perImage = source.regions() * source.channels();
        float[] all = new float[imageIds.size() * perImage];
        float[] one = new float[perImage];
        for (int i = 0; i < imageIds.size(); i++) {
            source.regionFeatures(imageIds.get(i), one);
            System.arraycopy(one, 0, all, i * perImage, perImage);
        }
        return manager.create(all, new Shape(imageIds.size(), source.regions(), source.channels()));
    }
}
