package org.captioner.bundle;

import ai.djl.ndarray.NDManager;
import org.captioner.model.CaptionModel;
import org.captioner.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BundleAverageTest {
    @TempDir
    Path dir;

    @Test
    void everyWeightIsTheWeightedMeanOfTheParts() throws IOException {
        Path a = TinyBundle.write(dir.resolve("a"), 7);
        Path b = TinyBundle.write(dir.resolve("b"), 8);

        ModelBundle average = BundleAverage.write(dir.resolve("avg"),
                List.of(new BundleAverage.Part(a, 1), new BundleAverage.Part(b, 3)), Map.of("command", "test"));

        try (NDManager manager = NDManager.newBaseManager();
             CaptionModel first = ModelBundle.read(a).loadModel(manager);
             CaptionModel second = ModelBundle.read(b).loadModel(manager);
             CaptionModel mean = average.loadModel(manager)) {
            assertThat(mean.parameters().tensors().keySet()).isEqualTo(first.parameters().tensors().keySet());
            first.parameters().tensors().forEach((name, tensor) -> {
                float[] x = tensor.toFloatArray();
                float[] y = second.parameters().tensors().get(name).toFloatArray();
                float[] m = mean.parameters().tensors().get(name).toFloatArray();
                for (int i = 0; i < m.length; i++) {
                    float expected = 0.25f * x[i] + 0.75f * y[i];
                    // Bundles keep float16 weights: 11 significant bits.
                    assertThat(m[i]).as(name).isCloseTo(expected, within(1e-3f * Math.max(1, Math.abs(expected))));
                }
            });
        }
        assertThat(average.manifest().devMetrics()).as("only an evaluation can tell them").isEmpty();
        assertThat(average.manifest().provenance()).containsEntry("command", "test")
                .hasEntrySatisfying("averageOf", sources -> assertThat(sources).contains(a + " (weight 1.0", b + " (weight 3.0"));
        assertThat(average.manifest().decoding()).isEqualTo(ModelBundle.read(a).manifest().decoding());
    }

    @Test
    void bundlesOfAnotherModelOrVocabularyAreRefusedByName() throws IOException {
        Path a = TinyBundle.write(dir.resolve("a"));
        Path transformer = TinyBundle.write(dir.resolve("transformer"), ModelConfig.TRANSFORMER);
        Path otherWords = TinyBundle.write(dir.resolve("words"));
        Files.writeString(otherWords.resolve(ModelBundle.VOCABULARY_FILE),
                Files.readString(otherWords.resolve(ModelBundle.VOCABULARY_FILE)).replace("grass", "field"));

        assertThatThrownBy(() -> BundleAverage.write(dir.resolve("x"),
                List.of(new BundleAverage.Part(a, 1), new BundleAverage.Part(transformer, 1)), Map.of()))
                .hasMessageContaining(transformer.toString()).hasMessageContaining("model (model.json) differs");
        assertThatThrownBy(() -> BundleAverage.write(dir.resolve("x"),
                List.of(new BundleAverage.Part(a, 1), new BundleAverage.Part(otherWords, 1)), Map.of()))
                .hasMessageContaining(otherWords.toString()).hasMessageContaining("vocabulary (vocab.tsv) differs");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void weightsMustBePositiveAndThereMustBeTwoBundles() throws IOException {
        Path a = TinyBundle.write(dir.resolve("a"));

        assertThatThrownBy(() -> new BundleAverage.Part(a, 0)).hasMessageContaining("must be above 0 and finite, not 0.0");
        assertThatThrownBy(() -> new BundleAverage.Part(a, Double.NaN)).hasMessageContaining("not NaN");
        assertThatThrownBy(() -> BundleAverage.write(dir.resolve("x"), List.of(new BundleAverage.Part(a, 1)), Map.of()))
                .hasMessageContaining("two bundles or more, not 1");
    }
}
