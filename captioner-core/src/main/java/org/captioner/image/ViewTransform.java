package org.captioner.image;

import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * One augmented view of a picture: a crop (as shares of the picture's width and height, so it fits any size),
 * an optional horizontal mirror, and color factors (1 = unchanged).
 *
 * @param flipped    mirrored left to right; captions of the view must swap "left" and "right"
 * @param left       crop's left edge as a share of the width
 * @param top        crop's top edge as a share of the height
 * @param side       crop's width and height as shares of the picture's
 * @param brightness every channel is multiplied by it
 * @param contrast   distance from the mean gray of the picture is multiplied by it
 * @param saturation distance of each channel from the pixel's gray is multiplied by it
 */
public record ViewTransform(boolean flipped, double left, double top, double side, double brightness, double contrast,
                            double saturation) {

    /** A new {@code TYPE_INT_RGB} picture; {@code picture} is not changed. */
    public BufferedImage apply(BufferedImage picture) {
        int x = (int) Math.round(left * picture.getWidth());
        int y = (int) Math.round(top * picture.getHeight());
        int w = Math.max(1, Math.min(picture.getWidth() - x, (int) Math.round(side * picture.getWidth())));
        int h = Math.max(1, Math.min(picture.getHeight() - y, (int) Math.round(side * picture.getHeight())));
        int[] rgb = picture.getRGB(x, y, w, h, null, 0, w);
        double meanGray = 0;
        for (int pixel : rgb) {
            meanGray += gray(pixel);
        }
        meanGray = meanGray / rgb.length * brightness;
        int[] out = new int[rgb.length];
        for (int row = 0; row < h; row++) {
            for (int column = 0; column < w; column++) {
                int pixel = rgb[row * w + column];
                double pixelGray = gray(pixel) * brightness;
                int target = row * w + (flipped ? w - 1 - column : column);
                out[target] = channel((pixel >> 16) & 0xff, pixelGray, meanGray) << 16
                        | channel((pixel >> 8) & 0xff, pixelGray, meanGray) << 8
                        | channel(pixel & 0xff, pixelGray, meanGray);
            }
        }
        BufferedImage view = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        view.setRGB(0, 0, w, h, out, 0, w);
        return view;
    }

    private int channel(int value, double pixelGray, double meanGray) {
        double saturated = pixelGray + (value * brightness - pixelGray) * saturation;
        return (int) Math.max(0, Math.min(255, Math.round(meanGray + (saturated - meanGray) * contrast)));
    }

    private static double gray(int pixel) {
        return 0.299 * ((pixel >> 16) & 0xff) + 0.587 * ((pixel >> 8) & 0xff) + 0.114 * (pixel & 0xff);
    }

    /** What was applied, e.g. {@code flip crop=0.05,0.10,0.88 brightness=1.04 contrast=0.93 saturation=1.10}. */
    public String describe() {
        return String.format(Locale.ROOT, "%scrop=%.3f,%.3f,%.3f brightness=%.3f contrast=%.3f saturation=%.3f",
                flipped ? "flip " : "", left, top, side, brightness, contrast, saturation);
    }
}
