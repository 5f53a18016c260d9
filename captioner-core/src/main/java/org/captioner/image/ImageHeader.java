package org.captioner.image;

/**
 * What an image's header says, read without decoding any pixel, and how it will be decoded: every
 * {@code subsampling}-th pixel of every {@code subsampling}-th row. Lets a caller (e.g. the web service) budget
 * memory before decoding.
 *
 * @param format      the detected format (by content, not by name)
 * @param width       width in the header
 * @param height      height in the header
 * @param subsampling the decoder keeps one pixel in {@code subsampling} along each axis (1 = full resolution)
 */
public record ImageHeader(ImageFormat format, int width, int height, int subsampling) {
    public ImageHeader {
        if (width <= 0 || height <= 0 || subsampling < 1) {
            throw new IllegalArgumentException("image header needs positive sides and subsampling: "
                    + width + "x" + height + " / " + subsampling);
        }
    }

    public long pixels() {
        return (long) width * height;
    }

    /** Width of the decoded picture (before EXIF rotation). */
    public int decodedWidth() {
        return ceilDiv(width, subsampling);
    }

    /** Height of the decoded picture (before EXIF rotation). */
    public int decodedHeight() {
        return ceilDiv(height, subsampling);
    }

    /** Pixels of the decoded picture: what its memory follows (4 bytes each as {@code TYPE_INT_RGB}). */
    public long decodedPixels() {
        return (long) decodedWidth() * decodedHeight();
    }

    /** Pixels the reader holds while decoding: the decoded ones, or all of them for a format decoded whole (WebP). */
    public long heldPixels() {
        return format.subsamplesWhileDecoding() ? decodedPixels() : pixels();
    }

    private static int ceilDiv(int side, int step) {
        return (side + step - 1) / step;
    }
}
