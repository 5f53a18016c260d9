package org.captioner;

import org.captioner.bundle.TinyBundle;
import org.captioner.decode.DecodingOptions;
import org.captioner.features.BackboneSpec;
import org.captioner.image.ImageDecoder;
import org.captioner.model.ModelConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The public API end to end: bundle + real MobileNetV2 -> captions (with an untrained model: mechanics only). */
class CaptionerTest {
    @TempDir
    static Path dir;
    static List<Path> images;

    @BeforeAll
    static void images() throws IOException {
        try (var files = java.nio.file.Files.list(SharedData.flickr8k().resolve("images"))) {
            images = files.sorted().limit(3).toList();
        }
    }

    @Test
    void captionsAFileWithAttentionOverTheRegionGrid() throws IOException {
        try (Captioner captioner = Captioner.load(TinyBundle.write(dir.resolve("a")), SharedData.models())) {
            List<Caption> captions = captioner.caption(images.get(0), captioner.defaultOptions().withCount(2));

            assertThat(captions).hasSize(2);
            Caption best = captions.get(0);
            assertThat(best.text()).isEqualTo(String.join(" ", best.words()));
            assertThat(best.logProbability()).isGreaterThanOrEqualTo(captions.get(1).logProbability());
            assertThat(best.gridHeight() * best.gridWidth()).isEqualTo(49);
            assertThat(best.attention()).isNotEmpty().allSatisfy(weights -> assertThat(weights).hasSize(49));
        }
    }

    @Test
    void aBatchGivesWhatSingleCallsGiveAndConcurrentCallersAgree() throws Exception {
        ImageDecoder decoder = new ImageDecoder();
        List<BufferedImage> pictures = new ArrayList<>();
        for (Path image : images) {
            pictures.add(decoder.decode(image));
        }
        try (Captioner captioner = Captioner.load(TinyBundle.write(dir.resolve("b")), SharedData.models())) {
            DecodingOptions greedy = DecodingOptions.greedy(8);
            List<String> single = new ArrayList<>();
            for (BufferedImage picture : pictures) {
                single.add(captioner.caption(picture, greedy).get(0).text());
            }
            List<String> batch = captioner.caption(pictures, greedy).stream().map(list -> list.get(0).text()).toList();
            assertThat(batch).isEqualTo(single);
            // Split at the backbone (as folder captioning pipelines it): the same captions.
            PictureFeatures features = captioner.features(pictures);
            assertThat(features.pictures()).isEqualTo(pictures.size());
            assertThat(captioner.caption(features, greedy).stream().map(list -> list.get(0).text()).toList())
                    .isEqualTo(single);
            assertThat(captioner.caption(captioner.features(List.of()), greedy)).isEmpty();

            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<String>> futures = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    BufferedImage picture = pictures.get(i % pictures.size());
                    futures.add(pool.submit(() -> captioner.caption(picture, greedy).get(0).text()));
                }
                for (int i = 0; i < futures.size(); i++) {
                    assertThat(futures.get(i).get()).isEqualTo(single.get(i % pictures.size()));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Each family's bundle captions a real photo; only the attending families give attention maps. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {ModelConfig.SHOW_ATTEND_TELL, ModelConfig.TRANSFORMER,
        ModelConfig.SHOW_AND_TELL})
    void everyFamilyCaptionsARealImage(String family) throws IOException {
        try (Captioner captioner = Captioner.load(TinyBundle.write(dir.resolve("family-" + family), family),
                SharedData.models())) {
            List<Caption> captions = captioner.caption(images.get(1), DecodingOptions.beam(3, 8).withCount(2));
            assertThat(captions).hasSize(2);
            Caption best = captions.get(0);
            assertThat(best.text()).isEqualTo(String.join(" ", best.words()));
            assertThat(best.logProbability()).isGreaterThanOrEqualTo(captions.get(1).logProbability());
            if (ModelConfig.SHOW_AND_TELL.equals(family)) {
                assertThat(best.attention()).isEmpty();
            } else {
                assertThat(best.attention()).hasSize(best.words().size())
                        .allSatisfy(weights -> assertThat(weights).hasSize(49));
            }
        }
    }

    @Test
    void aBundleMadeWithAnotherBackboneFileIsRefused() throws IOException {
        BackboneSpec other = BackboneSpec.builtin(BackboneSpec.DEFAULT_NAME).toBuilder().optSha256("0".repeat(64)).build();
        Path bundle = TinyBundle.write(dir.resolve("c"), other);

        assertThatThrownBy(() -> Captioner.load(bundle, SharedData.models()))
                .hasMessageContaining("needs backbone mobilenet_v2 (sha256 " + "0".repeat(64)).hasMessageContaining("sha256");
    }

    @Test
    void aMissingBackboneFileIsNamed(@TempDir Path emptyModels) throws IOException {
        Path bundle = TinyBundle.write(dir.resolve("d"));

        assertThatThrownBy(() -> Captioner.load(bundle, emptyModels)).hasMessageContaining("mobilenet_v2_1.0_224.onnx")
                .hasMessageContaining("not found");
    }
}
