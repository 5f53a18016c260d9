package org.captioner.features;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FeatureStoreTest {
    private static final FeatureStoreManifest MANIFEST = new FeatureStoreManifest(FeatureStoreManifest.FORMAT,
            FeatureStoreManifest.VERSION, "tiny", "ab".repeat(32), "SQUASH", 2, 3, 5, FeatureStoreManifest.DTYPE);

    @TempDir
    Path dir;

    private final Random random = new Random(11);

    @Test
    void roundTripsFeaturesThroughMemoryMappedReader() throws IOException {
        BackboneFeatures a = randomFeatures();
        BackboneFeatures b = randomFeatures();
        try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir, MANIFEST)) {
            writer.append(List.of("a.jpg"), List.of(a));
            writer.append(List.of("b.jpg"), List.of(b));
        }
        FeatureStore store = FeatureStore.open(dir);
        assertThat(store.regions()).isEqualTo(6);
        assertThat(store.channels()).isEqualTo(5);
        assertThat(store.imageIds()).containsExactly("a.jpg", "b.jpg");
        assertThat(store.contains("c.jpg")).isFalse();
        float[] regions = new float[30];
        float[] pooled = new float[5];
        store.regionFeatures("b.jpg", regions);
        store.pooledFeatures("b.jpg", pooled);
        assertClose(regions, b.regionFeatures());
        assertClose(pooled, b.pooled());
        store.regionFeatures("a.jpg", regions);
        assertClose(regions, a.regionFeatures());
        assertThatThrownBy(() -> store.pooledFeatures("c.jpg", pooled)).hasMessageContaining("c.jpg");
    }

    @Test
    void refusesToMixBackbones() throws IOException {
        try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir, MANIFEST)) {
            writer.append(List.of("a.jpg"), List.of(randomFeatures()));
        }
        FeatureStoreManifest other = new FeatureStoreManifest(FeatureStoreManifest.FORMAT, FeatureStoreManifest.VERSION,
                "tiny", "cd".repeat(32), "SQUASH", 2, 3, 5, FeatureStoreManifest.DTYPE);
        assertThatThrownBy(() -> FeatureStoreWriter.open(dir, other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refusing")
                .hasMessageContaining("ab".repeat(32));
    }

    @Test
    void resumesAndDropsTheTailOfAnInterruptedBatch() throws IOException {
        BackboneFeatures a = randomFeatures();
        try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir, MANIFEST)) {
            writer.append(List.of("a.jpg"), List.of(a));
        }
        // A run killed while writing its next batch: data past the committed index.
        Files.write(dir.resolve(FeatureStoreWriter.DATA_FILE), new byte[37], StandardOpenOption.APPEND);

        BackboneFeatures b = randomFeatures();
        try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir, MANIFEST)) {
            assertThat(writer.contains("a.jpg")).isTrue();
            assertThat(writer.size()).isEqualTo(1);
            assertThatThrownBy(() -> writer.append(List.of("a.jpg"), List.of(a))).hasMessageContaining("already");
            writer.append(List.of("b.jpg"), List.of(b));
        }
        FeatureStore store = FeatureStore.open(dir);
        float[] pooled = new float[5];
        store.pooledFeatures("b.jpg", pooled);
        assertClose(pooled, b.pooled());
        assertThat(Files.size(dir.resolve(FeatureStoreWriter.DATA_FILE))).isEqualTo(2 * MANIFEST.recordBytes());
    }

    @Test
    void recordsViewsAndOldStoresHaveNone() throws IOException {
        FeatureView mirrored = new FeatureView(FeatureView.idOf("a.jpg", 1), "a.jpg", true, "flip crop=0,0,1");
        FeatureView cropped = new FeatureView(FeatureView.idOf("a.jpg", 2), "a.jpg", false, "crop=0.1,0,0.9");
        try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir, MANIFEST)) {
            writer.append(List.of("b.jpg"), List.of(randomFeatures()));
        }
        assertThat(Files.exists(dir.resolve(FeatureViews.FILE_NAME))).isFalse();
        assertThat(FeatureStore.open(dir).hasViews()).isFalse();
        try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir, MANIFEST)) {
            writer.append(List.of("a.jpg", mirrored.viewId()), List.of(randomFeatures(), randomFeatures()), List.of(mirrored));
        }
        try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir, MANIFEST)) {
            writer.append(List.of(cropped.viewId()), List.of(randomFeatures()), List.of(cropped));
        }
        FeatureStore store = FeatureStore.open(dir);
        assertThat(store.viewsOf("a.jpg")).containsExactly(mirrored, cropped);
        assertThat(store.viewsOf("b.jpg")).isEmpty();
        assertThat(store.contains("a.jpg#view2")).isTrue();
    }

    @Test
    void viewsOfAnUncommittedBatchAreIgnored() throws IOException {
        FeatureView view = new FeatureView(FeatureView.idOf("a.jpg", 1), "a.jpg", true, "flip");
        try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir, MANIFEST)) {
            writer.append(List.of("a.jpg"), List.of(randomFeatures()));
        }
        // A run that died after replacing views.tsv but before committing the index.
        FeatureViews.write(dir, List.of(view));
        assertThat(FeatureStore.open(dir).viewsOf("a.jpg")).isEmpty();
        try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir, MANIFEST)) {
            writer.append(List.of(view.viewId()), List.of(randomFeatures()), List.of(view));
        }
        assertThat(FeatureStore.open(dir).viewsOf("a.jpg")).containsExactly(view);
    }

    @Test
    void refusesViewsOutsideTheBatchAndDamagedViewFiles() throws IOException {
        try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir, MANIFEST)) {
            assertThatThrownBy(() -> writer.append(List.of("a.jpg"), List.of(randomFeatures()),
                    List.of(new FeatureView("b.jpg#view1", "b.jpg", false, ""))))
                    .hasMessageContaining("b.jpg#view1 is not among the batch's records");
            writer.append(List.of("a.jpg"), List.of(randomFeatures()));
        }
        Files.writeString(dir.resolve(FeatureViews.FILE_NAME), "# captioner-feature-views v1\na.jpg#view1\ta.jpg\tyes\tflip\n");
        assertThatThrownBy(() -> FeatureStore.open(dir)).hasMessageContaining(FeatureViews.FILE_NAME + ":2: expected viewId");
    }

    @Test
    void oneWriterAtATime() throws IOException {
        try (FeatureStoreWriter ignored = FeatureStoreWriter.open(dir, MANIFEST)) {
            assertThatThrownBy(() -> FeatureStoreWriter.open(dir, MANIFEST)).hasMessageContaining("another run");
        }
    }

    private BackboneFeatures randomFeatures() {
        float[] regions = new float[30];
        float[] pooled = new float[5];
        for (int i = 0; i < regions.length; i++) {
            regions[i] = random.nextFloat() * 6;
        }
        for (int i = 0; i < pooled.length; i++) {
            pooled[i] = random.nextFloat() * 6;
        }
        return new BackboneFeatures(regions, pooled, 6, 5);
    }

    private static void assertClose(float[] actual, float[] expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).isCloseTo(expected[i], within(Math.abs(expected[i]) * 0x1p-10f));
        }
    }
}
