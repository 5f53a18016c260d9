package org.captioner.image;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AugmentationTest {
    private final BufferedImage picture = TestImages.halves(64, 48, Color.RED, Color.BLUE);

    @Test
    void aViewDependsOnlyOnSeedImageAndNumber() {
        assertThat(Augmentation.DEFAULT.view("a.jpg", 2, 7)).isEqualTo(Augmentation.DEFAULT.view("a.jpg", 2, 7));
        assertThat(Augmentation.DEFAULT.view("a.jpg", 2, 7)).isNotEqualTo(Augmentation.DEFAULT.view("b.jpg", 2, 7))
                .isNotEqualTo(Augmentation.DEFAULT.view("a.jpg", 2, 8));
        assertThat(pixels(Augmentation.DEFAULT.view("a.jpg", 1, 7).apply(picture)))
                .isEqualTo(pixels(Augmentation.DEFAULT.view("a.jpg", 1, 7).apply(picture)));
    }

    @Test
    void theViewsOfOneImageAreDrawnIndependently() {
        int nearlyTheSameCrop = 0;
        for (int image = 0; image < 50; image++) {
            double first = Augmentation.DEFAULT.view("img" + image, 1, 1).side();
            double second = Augmentation.DEFAULT.view("img" + image, 2, 1).side();
            nearlyTheSameCrop += Math.abs(first - second) < 0.005 ? 1 : 0;
        }
        assertThat(nearlyTheSameCrop).as("about 5 %% of independent pairs are this close").isLessThan(10);
    }

    @Test
    void oddViewsAreMirroredAndDrawsStayInRange() {
        for (int view = 1; view <= 20; view++) {
            ViewTransform transform = Augmentation.DEFAULT.view("img" + view, view, 1);
            assertThat(transform.flipped()).isEqualTo(view % 2 == 1);
            assertThat(transform.side()).isBetween(0.8, 1.0);
            assertThat(transform.left() + transform.side()).isLessThanOrEqualTo(1.0);
            assertThat(transform.top() + transform.side()).isLessThanOrEqualTo(1.0);
            assertThat(transform.brightness()).isBetween(0.85, 1.15);
        }
        assertThatThrownBy(() -> Augmentation.DEFAULT.view("a", 0, 1)).hasMessageContaining("numbered from 1");
        assertThatThrownBy(() -> new Augmentation(0, 0.1)).hasMessageContaining("minCropSide");
    }

    @Test
    void flipMirrorsAndIdentityKeepsPixels() {
        BufferedImage flipped = new ViewTransform(true, 0, 0, 1, 1, 1, 1).apply(picture);
        assertThat(flipped.getWidth()).isEqualTo(64);
        assertThat(flipped.getHeight()).isEqualTo(48);
        assertThat(new Color(flipped.getRGB(5, 24))).isEqualTo(Color.BLUE);
        assertThat(new Color(flipped.getRGB(58, 24))).isEqualTo(Color.RED);
        assertThat(pixels(new ViewTransform(false, 0, 0, 1, 1, 1, 1).apply(picture))).isEqualTo(pixels(picture));
    }

    @Test
    void cropKeepsTheAspectAndTheChosenPart() {
        BufferedImage rightHalf = new ViewTransform(false, 0.5, 0.25, 0.5, 1, 1, 1).apply(picture);
        assertThat(rightHalf.getWidth()).isEqualTo(32);
        assertThat(rightHalf.getHeight()).isEqualTo(24);
        assertThat(new Color(rightHalf.getRGB(0, 0))).isEqualTo(Color.BLUE);
    }

    @Test
    void colorChangesMoveValuesTheRightWay() {
        BufferedImage gray = TestImages.halves(8, 8, new Color(100, 100, 100), new Color(100, 100, 100));
        assertThat(new Color(new ViewTransform(false, 0, 0, 1, 1.1, 1, 1).apply(gray).getRGB(0, 0)).getRed()).isEqualTo(110);
        BufferedImage desaturated = new ViewTransform(false, 0, 0, 1, 1, 1, 0).apply(picture);
        Color pixel = new Color(desaturated.getRGB(5, 5));
        assertThat(pixel.getRed()).isEqualTo(pixel.getGreen()).isEqualTo(pixel.getBlue());
        assertThat(Augmentation.DEFAULT.view("a.jpg", 1, 7).describe()).startsWith("flip crop=");
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
