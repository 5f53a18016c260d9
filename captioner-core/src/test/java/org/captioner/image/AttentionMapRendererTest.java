package org.captioner.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttentionMapRendererTest {
    @TempDir
    Path dir;

    @Test
    void writesOneTilePerWordAsPng() throws IOException {
        List<String> words = List.of("a", "dog", "runs", "on", "grass");
        List<float[]> attention = new ArrayList<>();
        for (int w = 0; w < words.size(); w++) {
            float[] weights = new float[49];
            weights[w * 10] = 1; // each word looks at a different region
            attention.add(weights);
        }
        Path png = dir.resolve("attention.png");
        new AttentionMapRenderer(64, 3).renderToPng(TestImages.halves(100, 80, Color.GRAY, Color.DARK_GRAY), words, attention, 7, 7, png);

        BufferedImage sheet = ImageIO.read(png.toFile());
        // 3 columns x 2 rows of 64x(64+24) tiles with 4-pixel gaps around them.
        assertThat(sheet.getWidth()).isEqualTo(3 * 64 + 4 * 4);
        assertThat(sheet.getHeight()).isEqualTo(2 * (64 + 24) + 3 * 4);
        // Word 0 attends to region 0 (top-left): that corner is hot (red), the opposite one cold (blue).
        Color hot = new Color(sheet.getRGB(4 + 2, 4 + 2));
        Color cold = new Color(sheet.getRGB(4 + 61, 4 + 61));
        assertThat(hot.getRed()).isGreaterThan(hot.getBlue());
        assertThat(cold.getBlue()).isGreaterThan(cold.getRed());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(png); // no temp file left behind
        }
    }

    @Test
    void refusesMapOfWrongGridSize() {
        AttentionMapRenderer renderer = new AttentionMapRenderer();
        BufferedImage picture = TestImages.halves(10, 10, Color.GRAY, Color.GRAY);
        assertThatThrownBy(() -> renderer.render(picture, List.of("cat"), List.of(new float[48]), 7, 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cat");
    }
}
