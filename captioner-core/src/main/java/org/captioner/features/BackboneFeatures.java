package org.captioner.features;

/**
 * What a backbone gives for one image.
 *
 * @param regionFeatures region-major grid: {@code regions x channels}, row r = region r in raster order
 * @param pooled         the pooled vector, {@code channels} floats
 */
public record BackboneFeatures(float[] regionFeatures, float[] pooled, int regions, int channels) {
    public BackboneFeatures {
        if (regionFeatures.length != regions * channels || pooled.length != channels) {
            throw new IllegalArgumentException("features of " + regionFeatures.length + " + " + pooled.length
                    + " floats do not match " + regions + " regions x " + channels + " channels");
        }
    }
}
