package org.captioner.features;

import org.captioner.data.ImageCaptions;
import org.captioner.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** End to end with the real MobileNetV2; skipped when {@code ../shared} is absent. */
class FeatureExtractorTest {
    @TempDir
    Path dir;

    @Test
    void extractsSkipsBadImagesAndResumes() throws IOException {
        List<ImageCaptions> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(SharedData.flickrImages())) {
            files.sorted().limit(5).forEach(file -> images.add(image(file)));
        }
        Path broken = Files.writeString(dir.resolve("broken.jpg"), "no picture here");
        images.add(2, image(broken));
        Path store = dir.resolve("store");

        try (OnnxBackbone backbone = OnnxBackbone.open(BackboneSpec.builtin("mobilenet_v2"), SharedData.models())) {
            FeatureExtractor extractor = new FeatureExtractor(backbone, new org.captioner.image.ImageDecoder(), 2, 1, false);
            ExtractionSummary first;
            try (FeatureStoreWriter writer = FeatureStoreWriter.open(store, FeatureStoreManifest.of(backbone))) {
                first = extractor.extract(images.subList(0, 4), writer);
            }
            assertThat(first.extracted()).isEqualTo(3);
            assertThat(first.failures()).singleElement().satisfies(failure -> {
                assertThat(failure.file()).isEqualTo(broken);
                assertThat(failure.reason()).contains("unsupported image format");
            });

            ExtractionSummary resumed;
            try (FeatureStoreWriter writer = FeatureStoreWriter.open(store, FeatureStoreManifest.of(backbone))) {
                resumed = extractor.extract(images, writer);
            }
            assertThat(resumed.alreadyStored()).isEqualTo(3);
            assertThat(resumed.extracted()).isEqualTo(2);
            assertThat(resumed.failures()).hasSize(1);

            FeatureStore features = FeatureStore.open(store);
            assertThat(features.size()).isEqualTo(5);
            ImageCaptions last = images.get(5);
            float[] stored = new float[features.regions() * features.channels()];
            features.regionFeatures(last.imageId(), stored);
            float[] direct = backbone.extract(last.image()).regionFeatures();
            for (int i = 0; i < direct.length; i++) {
                assertThat(stored[i]).isCloseTo(direct[i], within(1e-3f + Math.abs(direct[i]) * 1e-3f));
            }
        }
    }

    private static ImageCaptions image(Path file) {
        return new ImageCaptions(file.getFileName().toString(), file, List.of(), Split.UNSPLIT);
    }
}
