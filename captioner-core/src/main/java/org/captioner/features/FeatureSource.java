package org.captioner.features;

/**
 * Cached backbone features by image id, as training reads them.
 * Region features are region-major: {@code regions() x channels()} floats, row r = region r
 * (regions in raster order of the backbone's spatial grid, e.g. 7x7 = 49).
 * Training reads the next batch's features on a second thread while a step computes, so reads must work from a
 * thread other than the one that opened the source.
 */
public interface FeatureSource {
    int regions();

    int channels();

    boolean contains(String imageId);

    /** Copies the region grid of {@code imageId} into {@code into} ({@code regions*channels} floats). */
    void regionFeatures(String imageId, float[] into);

    /** Copies the pooled vector of {@code imageId} into {@code into} ({@code channels} floats). */
    void pooledFeatures(String imageId, float[] into);
}
