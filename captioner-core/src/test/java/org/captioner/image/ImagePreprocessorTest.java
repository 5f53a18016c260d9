package org.captioner.image;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ImagePreprocessorTest {
    private static final Color ORANGE = new Color(255, 128, 0);

    @Test
    void normalizesRgbPlanesLikeMobileNet() {
        ImagePreprocessor mobileNet = new ImagePreprocessor(8, ChannelOrder.RGB, 1 / 127.5f,
                new float[]{1, 1, 1}, new float[]{1, 1, 1}, ResizeMode.SQUASH);
        float[] tensor = mobileNet.toTensor(TestImages.halves(16, 16, ORANGE, ORANGE));
        assertThat(tensor).hasSize(3 * 64);
        assertThat(tensor[0]).isCloseTo(1f, within(1e-5f));          // R = 255
        assertThat(tensor[64]).isCloseTo(128 / 127.5f - 1, within(1e-5f)); // G = 128
        assertThat(tensor[128]).isCloseTo(-1f, within(1e-5f));       // B = 0
    }

    @Test
    void ordersBgrPlanesAndSubtractsMeansLikeSqueezeNet() {
        ImagePreprocessor squeezeNet = new ImagePreprocessor(8, ChannelOrder.BGR, 1,
                new float[]{104, 117, 123}, new float[]{1, 1, 1}, ResizeMode.SQUASH);
        float[] tensor = squeezeNet.toTensor(TestImages.halves(8, 8, ORANGE, ORANGE));
        assertThat(tensor[0]).isEqualTo(0 - 104f);    // B plane first
        assertThat(tensor[64]).isEqualTo(128 - 117f);
        assertThat(tensor[128]).isEqualTo(255 - 123f);
    }

    @Test
    void centerCropKeepsTheMiddleWhileSquashKeepsEverything() {
        // 300x100: red | green | blue thirds.
        BufferedImage wide = new BufferedImage(300, 100, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 300; x++) {
            int rgb = x < 100 ? Color.RED.getRGB() : x < 200 ? Color.GREEN.getRGB() : Color.BLUE.getRGB();
            for (int y = 0; y < 100; y++) {
                wide.setRGB(x, y, rgb);
            }
        }
        BufferedImage cropped = preprocessor(ResizeMode.CENTER_CROP).resize(wide);
        BufferedImage squashed = preprocessor(ResizeMode.SQUASH).resize(wide);
        assertThat(cropped.getWidth()).isEqualTo(30);
        assertThat(cropped.getRGB(1, 15)).isEqualTo(Color.GREEN.getRGB());
        assertThat(cropped.getRGB(28, 15)).isEqualTo(Color.GREEN.getRGB());
        assertThat(new Color(squashed.getRGB(1, 15)).getRed()).isGreaterThan(200);
        assertThat(new Color(squashed.getRGB(28, 15)).getBlue()).isGreaterThan(200);
    }

    @Test
    void shrinksLargePicturesByAveragingNotSampling() {
        // A fine 1-pixel checkerboard must become mid-gray, not black or white (aliasing).
        BufferedImage checker = new BufferedImage(960, 960, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 960; y++) {
            for (int x = 0; x < 960; x++) {
                checker.setRGB(x, y, (x + y) % 2 == 0 ? 0xffffff : 0);
            }
        }
        BufferedImage small = preprocessor(ResizeMode.SQUASH).resize(checker);
        for (int y = 0; y < 30; y += 7) {
            for (int x = 0; x < 30; x += 7) {
                assertThat(new Color(small.getRGB(x, y)).getGreen()).isBetween(100, 155);
            }
        }
    }

    private static ImagePreprocessor preprocessor(ResizeMode mode) {
        return new ImagePreprocessor(30, ChannelOrder.RGB, 1, new float[]{0, 0, 0}, new float[]{1, 1, 1}, mode);
    }
}
