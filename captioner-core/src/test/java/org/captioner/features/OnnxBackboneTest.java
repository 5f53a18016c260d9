package org.captioner.features;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.captioner.image.ImageDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    void featuresAreThoseOfAPlainOnnxRuntimeRunToTheBit() throws IOException, OrtException {
        // The backbone reads its input from, and has ONNX Runtime write its outputs into, reused direct buffers:
        // the features must be those of the straightforward run (fresh input tensor, outputs copied out), the way
        // they were computed before, whatever ran on those buffers before.
        List<float[]> tensors = tensorsOfTheImages();
        mobileNet.extractTensors(tensors.subList(1, 4));
        List<BackboneFeatures> features = mobileNet.extractTensors(tensors.subList(0, 2));
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(OnnxBackbone.DEFAULT_INTRA_OP_THREADS);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            BackboneSpec spec = mobileNet.spec();
            FloatBuffer input = FloatBuffer.allocate(2 * tensors.get(0).length).put(tensors.get(0)).put(tensors.get(1)).flip();
            try (OrtSession session = environment.createSession(spec.modelFile(SharedData.models()).toString(), options);
                 OnnxTensor tensor = OnnxTensor.createTensor(environment, input, new long[]{2, 3, 224, 224});
                 OrtSession.Result result = session.run(Map.of(spec.inputName(), tensor),
                         Set.of(spec.spatialOutput(), spec.pooledOutput()))) {
                FloatBuffer spatial = ((OnnxTensor) result.get(spec.spatialOutput()).orElseThrow()).getFloatBuffer();
                FloatBuffer pooled = ((OnnxTensor) result.get(spec.pooledOutput()).orElseThrow()).getFloatBuffer();
                for (int b = 0; b < 2; b++) {
                    float[] regionMajor = new float[49 * 1280];
                    for (int c = 0; c < 1280; c++) {
                        for (int r = 0; r < 49; r++) {
                            regionMajor[r * 1280 + c] = spatial.get(b * 49 * 1280 + c * 49 + r);
                        }
                    }
                    float[] pooledVector = new float[1280];
                    pooled.get(b * 1280, pooledVector);
                    assertThat(features.get(b).regionFeatures()).as("picture %d", b).isEqualTo(regionMajor);
                    assertThat(features.get(b).pooled()).as("picture %d", b).isEqualTo(pooledVector);
                }
            }
        }
    }

    @Test
    void reusedBuffersGiveEveryCallTheSameFeaturesWhateverTheBatchSizes() throws IOException {
        List<float[]> tensors = tensorsOfTheImages();
        List<BackboneFeatures> first = mobileNet.extractTensors(tensors);
        for (int size : new int[]{1, 3, 5, 2, 4}) {
            List<BackboneFeatures> again = mobileNet.extractTensors(tensors.subList(0, size));
            for (int i = 0; i < size; i++) {
                assertThat(again.get(i).regionFeatures()).as("batch of %d, picture %d", size, i)
                        .isEqualTo(first.get(i).regionFeatures());
                assertThat(again.get(i).pooled()).as("batch of %d, picture %d", size, i).isEqualTo(first.get(i).pooled());
            }
        }
    }

    @Test
    void concurrentCallersGetTheFeaturesOfTheirOwnPictures() throws Exception {
        List<float[]> tensors = tensorsOfTheImages();
        List<BackboneFeatures> expected = new ArrayList<>();
        for (float[] tensor : tensors) {
            expected.add(mobileNet.extractTensors(List.of(tensor)).get(0));
        }
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int caller = 0; caller < 3; caller++) {
                int offset = caller;
                calls.add(callers.submit(() -> {
                    for (int round = 0; round < 4; round++) {
                        int start = (offset + round) % tensors.size();
                        List<float[]> mine = tensors.subList(start, Math.min(tensors.size(), start + 1 + round));
                        List<BackboneFeatures> got = mobileNet.extractTensors(mine);
                        for (int i = 0; i < mine.size(); i++) {
                            assertThat(got.get(i).regionFeatures()).as("caller %d, picture %d", offset, start + i)
                                    .isEqualTo(expected.get(start + i).regionFeatures());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            callers.shutdownNow();
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
