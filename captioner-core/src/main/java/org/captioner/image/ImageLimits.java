package org.captioner.image;

/**
 * Limits checked before an image is decoded, so a hostile or broken file cannot exhaust memory.
 *
 * @param maxPixels        largest width x height accepted in the header: a sanity bound on the work of reading
 *                         the file (every input pixel is still decompressed, and progressive JPEGs hold their
 *                         coefficients natively), since memory follows {@code maxDecodedPixels}
 * @param maxFileBytes     largest file size accepted
 * @param maxDecodedPixels largest decoded picture: images whose sides would give more are subsampled further
 *                         (only extreme panoramas, see {@link ImageDecoder}); formats decoded whole before
 *                         subsampling (WebP) are refused above it
 */
public record ImageLimits(long maxPixels, long maxFileBytes, long maxDecodedPixels) {
    /** 4 MP (16 MB as RGB): 20 times 448 x 448, so subsampling only changes the short side of panoramas over 20:1. */
    public static final long DEFAULT_MAX_DECODED_PIXELS = 4_000_000L;

    /** 100 megapixels and 50 MB files: far above any photo a captioner needs. */
    public static final ImageLimits DEFAULT = new ImageLimits(100_000_000L, 50L * 1024 * 1024);

    public ImageLimits {
        if (maxPixels <= 0 || maxFileBytes <= 0 || maxDecodedPixels <= 0) {
            throw new IllegalArgumentException("image limits must be positive: " + maxPixels + " pixels, "
                    + maxFileBytes + " bytes, " + maxDecodedPixels + " decoded pixels");
        }
    }

    /** Header and file limits with the default bound on decoded pixels. */
    public ImageLimits(long maxPixels, long maxFileBytes) {
        this(maxPixels, maxFileBytes, DEFAULT_MAX_DECODED_PIXELS);
    }
}
