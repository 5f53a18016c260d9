package org.captioner.features;

import org.captioner.data.ImageCaptions;
import org.captioner.data.Split;
import org.captioner.image.Augmentation;
import org.captioner.image.ImageDecoder;
import org.captioner.image.ViewTransform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
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
            FeatureExtractor extractor = new FeatureExtractor(backbone, new ImageDecoder(), 2, 1, false);
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

    @Test
    void augmentedViewsGoToTrainImagesOnlyAndLeaveDevFeaturesUntouched() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(SharedData.flickrImages())) {
            files = listed.sorted().limit(3).toList();
        }
        ImageCaptions train = image(files.get(0), Split.TRAIN);
        ImageCaptions dev = image(files.get(1), Split.DEV);
        ImageCaptions test = image(files.get(2), Split.TEST);
        List<ImageCaptions> images = List.of(train, dev, test);
        try (OnnxBackbone backbone = OnnxBackbone.open(BackboneSpec.builtin("mobilenet_v2"), SharedData.models())) {
            FeatureExtractor plain = new FeatureExtractor(backbone, new ImageDecoder(), 4, 1, false);
            FeatureExtractor augmenting = new FeatureExtractor(backbone, new ImageDecoder(), 4, 1, false)
                    .withTrainViews(Augmentation.DEFAULT, 2, 5);
            try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir.resolve("plain"), FeatureStoreManifest.of(backbone))) {
                plain.extract(images, writer);
            }
            ExtractionSummary summary;
            try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir.resolve("views"), FeatureStoreManifest.of(backbone))) {
                summary = augmenting.extract(images, writer);
            }
            assertThat(summary.extracted()).isEqualTo(3);
            assertThat(summary.views()).isEqualTo(2);

            FeatureStore withoutViews = FeatureStore.open(dir.resolve("plain"));
            FeatureStore withViews = FeatureStore.open(dir.resolve("views"));
            assertThat(withViews.size()).isEqualTo(5);
            for (ImageCaptions image : images) {
                assertThat(regions(withViews, image.imageId())).isEqualTo(regions(withoutViews, image.imageId()));
            }
            assertThat(withViews.viewsOf(dev.imageId())).isEmpty();
            assertThat(withViews.viewsOf(test.imageId())).isEmpty();
            assertThat(withViews.viewsOf(train.imageId())).extracting(FeatureView::viewId, FeatureView::flipped)
                    .containsExactly(tuple(train.imageId() + "#view1", true), tuple(train.imageId() + "#view2", false));

            // A view holds the features of the transformed picture, not of the plain one.
            ViewTransform first = Augmentation.DEFAULT.view(train.imageId(), 1, 5);
            float[] direct = backbone.extract(first.apply(backbone.imageDecoder().decode(train.image()))).regionFeatures();
            float[] stored = regions(withViews, FeatureView.idOf(train.imageId(), 1));
            for (int i = 0; i < direct.length; i++) {
                assertThat(stored[i]).isCloseTo(direct[i], within(1e-3f + Math.abs(direct[i]) * 1e-3f));
            }
            assertThat(stored).isNotEqualTo(regions(withViews, train.imageId()));

            ExtractionSummary more;
            try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir.resolve("views"), FeatureStoreManifest.of(backbone))) {
                more = new FeatureExtractor(backbone, new ImageDecoder(), 4, 1, false)
                        .withTrainViews(Augmentation.DEFAULT, 3, 5).extract(images, writer);
            }
            assertThat(more.extracted()).isZero();
            assertThat(more.views()).isEqualTo(1);
            assertThat(more.alreadyStored()).isEqualTo(2);
        }
    }

    private static float[] regions(FeatureStore store, String id) {
        float[] values = new float[store.regions() * store.channels()];
        store.regionFeatures(id, values);
        return values;
    }

    private static ImageCaptions image(Path file, Split split) {
        return new ImageCaptions(file.getFileName().toString(), file, List.of("a caption"), split);
    }

    private static ImageCaptions image(Path file) {
        return new ImageCaptions(file.getFileName().toString(), file, List.of(), Split.UNSPLIT);
    }
}
