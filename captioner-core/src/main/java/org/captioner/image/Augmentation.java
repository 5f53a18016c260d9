package org.captioner.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Seeded training augmentation: random horizontal flip, small rotation and contrast change.
 * The same seed gives the same sequence of augmented pictures. Not thread-safe (one per worker).
 *
 * @param flipProbability    chance of a horizontal mirror
 * @param maxRotationDegrees rotation drawn uniformly from [-max, +max]; the picture is zoomed in just
 *                           enough that no empty corners appear
 * @param maxContrastChange  contrast factor drawn uniformly from [1-max, 1+max] around the mean gray
 */
public record Augmentation(double flipProbability, double maxRotationDegrees, double maxContrastChange) {
    public static final Augmentation DEFAULT = new Augmentation(0.5, 8, 0.2);

    /** A stream of augmented pictures; one per training worker. */
    public Augmenter augmenter(long seed) {
        return new Augmenter(this, new Random(seed));
    }

    public static final class Augmenter {
        private final Augmentation settings;
        private final Random random;

        private Augmenter(Augmentation settings, Random random) {
            this.settings = settings;
            this.random = random;
        }

        public BufferedImage apply(BufferedImage image) {
            boolean flip = random.nextDouble() < settings.flipProbability;
            double angle = Math.toRadians((random.nextDouble() * 2 - 1) * settings.maxRotationDegrees);
            double contrast = 1 + (random.nextDouble() * 2 - 1) * settings.maxContrastChange;
            return adjustContrast(rotateAndFlip(image, flip, angle), contrast);
        }

        private static BufferedImage rotateAndFlip(BufferedImage image, boolean flip, double angle) {
            int w = image.getWidth();
            int h = image.getHeight();
            // Zoom just enough that the rotated picture still covers the whole frame.
            double zoom = Math.abs(Math.cos(angle)) + Math.abs(Math.sin(angle)) * Math.max((double) w / h, (double) h / w);
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.translate(w / 2.0, h / 2.0);
                g.rotate(angle);
                g.scale(flip ? -zoom : zoom, zoom);
                g.translate(-w / 2.0, -h / 2.0);
                g.drawImage(image, 0, 0, null);
            } finally {
                g.dispose();
            }
            return out;
        }

        private static BufferedImage adjustContrast(BufferedImage image, double contrast) {
            int w = image.getWidth();
            int h = image.getHeight();
            int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
            double meanGray = 0;
            for (int pixel : rgb) {
                meanGray += (((pixel >> 16) & 0xff) + ((pixel >> 8) & 0xff) + (pixel & 0xff)) / 3.0;
            }
            meanGray /= rgb.length;
            for (int i = 0; i < rgb.length; i++) {
                int pixel = rgb[i];
                rgb[i] = (stretch((pixel >> 16) & 0xff, meanGray, contrast) << 16)
                        | (stretch((pixel >> 8) & 0xff, meanGray, contrast) << 8)
                        | stretch(pixel & 0xff, meanGray, contrast);
            }
            image.setRGB(0, 0, w, h, rgb, 0, w);
            return image;
        }

        private static int stretch(int value, double center, double contrast) {
            return (int) Math.max(0, Math.min(255, Math.round(center + (value - center) * contrast)));
        }
    }
}
