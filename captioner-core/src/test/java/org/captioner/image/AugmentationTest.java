package org.captioner.image;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

class AugmentationTest {
    private final BufferedImage picture = TestImages.halves(64, 48, Color.RED, Color.BLUE);

    @Test
    void sameSeedGivesSamePictures() {
        Augmentation.Augmenter first = Augmentation.DEFAULT.augmenter(42);
        Augmentation.Augmenter second = Augmentation.DEFAULT.augmenter(42);
        for (int i = 0; i < 5; i++) {
            assertThat(pixels(first.apply(picture))).isEqualTo(pixels(second.apply(picture)));
        }
    }

    @Test
    void flipMirrorsAndKeepsSize() {
        BufferedImage flipped = new Augmentation(1, 0, 0).augmenter(1).apply(picture);
        assertThat(flipped.getWidth()).isEqualTo(64);
        assertThat(flipped.getHeight()).isEqualTo(48);
        assertThat(new Color(flipped.getRGB(5, 24)).getBlue()).isGreaterThan(200);
        assertThat(new Color(flipped.getRGB(58, 24)).getRed()).isGreaterThan(200);
    }

    @Test
    void rotationLeavesNoEmptyCorners() {
        BufferedImage rotated = new Augmentation(0, 10, 0).augmenter(3).apply(TestImages.halves(64, 48, Color.WHITE, Color.WHITE));
        assertThat(new Color(rotated.getRGB(0, 0)).getGreen()).isGreaterThan(200);
        assertThat(new Color(rotated.getRGB(63, 47)).getGreen()).isGreaterThan(200);
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
