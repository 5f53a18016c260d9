package org.captioner.features;

import org.captioner.image.ImageDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Runs the real MobileNetV2 and SqueezeNet from {@code ../shared/models}; skipped when absent. */
class OnnxBackboneTest {
    private static OnnxBackbone mobileNet;
    private static List<Path> images;

    @BeforeAll
    static void open() throws IOException {
        mobileNet = OnnxBackbone.open(BackboneSpec.builtin("mobilenet_v2"), SharedData.models());
        try (Stream<Path> files = Files.list(SharedData.flickrImages())) {
            images = files.sorted().limit(5).toList();
        }
    }

    @AfterAll
    static void close() throws IOException {
        if (mobileNet != null) {
            mobileNet.close();
        }
    }

    @Test
    void givesRegionMajorGridAndPooledVector() throws IOException {
        BackboneFeatures features = mobileNet.extract(images.get(0));
        assertThat(mobileNet.gridHeight()).isEqualTo(7);
        assertThat(mobileNet.gridWidth()).isEqualTo(7);
        assertThat(features.regions()).isEqualTo(49);
        assertThat(features.channels()).isEqualTo(1280);
        assertThat(features.regionFeatures()).hasSize(49 * 1280);
        // ReLU6 before pooling: every activation lies in [0, 6].
        for (float value : features.regionFeatures()) {
            assertThat(value).isBetween(0f, 6f);
        }
    }

    @Test
    void imageInABatchGetsTheSameFeaturesAsAlone() throws IOException {
        List<float[]> tensors = tensorsOfTheImages();
        List<BackboneFeatures> batch = mobileNet.extractTensors(tensors);
        BackboneFeatures alone = mobileNet.extractTensors(List.of(tensors.get(2))).get(0);
        assertThat(batch).hasSize(5);
        // Tolerance of the float16 store; batching itself should differ far less.
        assertClose(batch.get(2).regionFeatures(), alone.regionFeatures(), 1e-3f);
        assertClose(batch.get(2).pooled(), alone.pooled(), 1e-3f);
        assertThat(batch.get(1).pooled()).isNotEqualTo(batch.get(2).pooled());
    }

    @Test
    void aBatchRunInSeveralRunsGivesEachPictureItsOwnFeaturesToTheBit() throws IOException {
        List<float[]> tensors = tensorsOfTheImages();
        assertThat(tensors).hasSizeGreaterThan(OnnxBackbone.MAX_PICTURES_PER_RUN);
        List<BackboneFeatures> batch = mobileNet.extractTensors(tensors);
        for (int i = 0; i < tensors.size(); i++) {
            BackboneFeatures alone = mobileNet.extractTensors(List.of(tensors.get(i))).get(0);
            assertThat(batch.get(i).regionFeatures()).as("picture %d", i).isEqualTo(alone.regionFeatures());
        }
    }

    @Test
    void pooledVectorIsTheMeanOfTheGrid() throws IOException {
        // Checked for this model: pooled_features is the global average of spatial_features.
        BackboneFeatures features = mobileNet.extract(images.get(1));
        float[] mean = new float[1280];
        for (int r = 0; r < 49; r++) {
            for (int c = 0; c < 1280; c++) {
                mean[c] += features.regionFeatures()[r * 1280 + c] / 49;
            }
        }
        assertClose(features.pooled(), mean, 1e-4f);
    }

    @Test
    void classificationOnlyBackboneRefusesFeatureExtractionButClassifies() throws IOException {
        BufferedImage picture = new ImageDecoder().decode(images.get(0));
        try (OnnxBackbone squeezeNet = OnnxBackbone.open(BackboneSpec.builtin("squeezenet1_1"), SharedData.models())) {
            assertThatThrownBy(() -> squeezeNet.extract(picture))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("squeezenet1_1")
                    .hasMessageContaining("no feature outputs");
            float[] probabilities = squeezeNet.classify(picture);
            assertThat(probabilities).hasSize(1000);
            float sum = 0;
            for (float p : probabilities) {
                sum += p;
            }
            assertThat(sum).isCloseTo(1f, within(1e-3f));
        }
    }

    @Test
    void refusesModelFileWithWrongChecksum(@TempDir Path dir) throws IOException {
        BackboneSpec spec = BackboneSpec.builtin("mobilenet_v2");
        Path copy = Files.copy(spec.modelFile(SharedData.models()), dir.resolve(spec.file()));
        Files.write(copy, new byte[]{1}, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> OnnxBackbone.open(spec, dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(copy.toString())
                .hasMessageContaining("SHA-256");
    }

    private static List<float[]> tensorsOfTheImages() throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        List<float[]> tensors = new ArrayList<>();
        for (Path image : images) {
            tensors.add(mobileNet.preprocessor().toTensor(decoder.decode(image)));
        }
        return tensors;
    }

    private static void assertClose(float[] actual, float[] expected, float tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).isCloseTo(expected[i], within(tolerance + Math.abs(expected[i]) * 1e-3f));
        }
    }
}
