package org.captioner.image;

/**
 * Limits checked before an image is decoded, so a hostile or broken file cannot exhaust memory.
 *
 * @param maxPixels    largest width x height accepted, read from the header
 * @param maxFileBytes largest file size accepted
 */
public record ImageLimits(long maxPixels, long maxFileBytes) {
    /** 100 megapixels (~400 MB as ARGB) and 50 MB files: far above any photo a captioner needs. */
    public static final ImageLimits DEFAULT = new ImageLimits(100_000_000L, 50L * 1024 * 1024);

    public ImageLimits {
        if (maxPixels <= 0 || maxFileBytes <= 0) {
            throw new IllegalArgumentException("image limits must be positive: " + maxPixels + " pixels, " + maxFileBytes + " bytes");
        }
    }
}
