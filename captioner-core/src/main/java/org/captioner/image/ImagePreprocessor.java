package org.captioner.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Turns an upright RGB picture into a backbone's float NCHW input: resize to {@code size x size},
 * reorder channels, then {@code (pixel * scale - mean[c]) / std[c]} with {@code c} in the backbone's
 * channel order. Immutable and thread-safe.
 */
public final class ImagePreprocessor {
    private final int size;
    private final ChannelOrder channelOrder;
    private final float scale;
    private final float[] mean;
    private final float[] std;
    private final ResizeMode resizeMode;

    public ImagePreprocessor(int size, ChannelOrder channelOrder, float scale, float[] mean, float[] std, ResizeMode resizeMode) {
        if (size <= 0 || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("preprocessing needs a positive size and 3 means and 3 stds");
        }
        this.size = size;
        this.channelOrder = channelOrder;
        this.scale = scale;
        this.mean = mean.clone();
        this.std = std.clone();
        this.resizeMode = resizeMode;
    }

    public int size() {
        return size;
    }

    public ResizeMode resizeMode() {
        return resizeMode;
    }

    /** Floats per image in the NCHW buffer: {@code 3 * size * size}. */
    public int tensorLength() {
        return 3 * size * size;
    }

    public float[] toTensor(BufferedImage image) {
        float[] tensor = new float[tensorLength()];
        writeTensor(image, tensor, 0);
        return tensor;
    }

    /** Writes the image's {@code 3 x size x size} planes into {@code batch} starting at {@code offset}. */
    public void writeTensor(BufferedImage image, float[] batch, int offset) {
        BufferedImage resized = resize(image);
        int plane = size * size;
        int[] rgb = resized.getRGB(0, 0, size, size, null, 0, size);
        int redPlane = channelOrder == ChannelOrder.RGB ? 0 : 2;
        int bluePlane = 2 - redPlane;
        for (int i = 0; i < plane; i++) {
            int pixel = rgb[i];
            batch[offset + redPlane * plane + i] = normalize((pixel >> 16) & 0xff, redPlane);
            batch[offset + plane + i] = normalize((pixel >> 8) & 0xff, 1);
            batch[offset + bluePlane * plane + i] = normalize(pixel & 0xff, bluePlane);
        }
    }

    private float normalize(int value, int channel) {
        return (value * scale - mean[channel]) / std[channel];
    }

    /** Resizes to {@code size x size} per the resize mode; already-square pictures of that size pass through. */
    public BufferedImage resize(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage source = image;
        if (resizeMode == ResizeMode.CENTER_CROP && w != h) {
            int side = Math.min(w, h);
            source = image.getSubimage((w - side) / 2, (h - side) / 2, side, side);
        }
        if (source.getWidth() == size && source.getHeight() == size && source.getType() == BufferedImage.TYPE_INT_RGB) {
            return source;
        }
        return scaleTo(source, size, size);
    }

    /**
     * Bilinear scaling that halves at most once per step, so shrinking large photos averages every
     * source pixel (close to area averaging) instead of aliasing as one bilinear step would.
     */
    static BufferedImage scaleTo(BufferedImage source, int targetWidth, int targetHeight) {
        BufferedImage current = source;
        int w = source.getWidth();
        int h = source.getHeight();
        do {
            w = nextStep(w, targetWidth);
            h = nextStep(h, targetHeight);
            BufferedImage step = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = step.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(current, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
            current = step;
        } while (w != targetWidth || h != targetHeight);
        return current;
    }

    private static int nextStep(int current, int target) {
        return current / 2 > target ? current / 2 : target;
    }

    @Override
    public String toString() {
        return "ImagePreprocessor[size=" + size + ", " + channelOrder + ", scale=" + scale + ", mean=" + Arrays.toString(mean)
                + ", std=" + Arrays.toString(std) + ", " + resizeMode + "]";
    }
}
