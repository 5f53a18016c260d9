package org.captioner.train;

import org.captioner.features.BackboneFeatures;
import org.captioner.features.FeatureStore;
import org.captioner.features.FeatureStoreManifest;
import org.captioner.features.FeatureStoreWriter;
import org.captioner.features.FeatureView;
import org.captioner.text.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingViewsTest {
    private static final FeatureStoreManifest MANIFEST = new FeatureStoreManifest(FeatureStoreManifest.FORMAT,
            FeatureStoreManifest.VERSION, "tiny", "ab".repeat(32), "SQUASH", 1, 1, 2, FeatureStoreManifest.DTYPE);
    private final Vocabulary vocabulary = Vocabulary.build(List.of(List.of("a", "dog", "left", "of", "right", "cat")), 0, 1);

    @TempDir
    Path dir;

    /** a.jpg has a mirrored view 1 and a cropped view 2; b.jpg has none; dev.jpg has views but is not trained on. */
    private FeatureStore store() throws IOException {
        try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir, MANIFEST)) {
            List<FeatureView> views = List.of(new FeatureView("a.jpg#view1", "a.jpg", true, "flip"),
                    new FeatureView("a.jpg#view2", "a.jpg", false, "crop"),
                    new FeatureView("dev.jpg#view1", "dev.jpg", true, "flip"));
            List<String> ids = List.of("a.jpg", "b.jpg", "dev.jpg", "a.jpg#view1", "a.jpg#view2", "dev.jpg#view1");
            writer.append(ids, ids.stream().map(id -> new BackboneFeatures(new float[2], new float[2], 1, 2)).toList(), views);
        }
        return FeatureStore.open(dir);
    }

    private int[] encode(String caption) {
        return vocabulary.encode(List.of(caption.split(" ")), 10);
    }

    @Test
    void eachEpochDrawsOneViewPerImageAndMirroredViewsSwapLeftAndRight() throws IOException {
        TrainingViews views = TrainingViews.of(store(), List.of("a.jpg", "b.jpg"), vocabulary, 7);
        assertThat(views.count()).isEqualTo(2);
        List<TrainingExample> examples = List.of(new TrainingExample("a.jpg", encode("a dog left of a cat")),
                new TrainingExample("b.jpg", encode("a cat right of a dog")),
                new TrainingExample("a.jpg", encode("a cat right of a dog")));
        Set<String> drawn = new HashSet<>();
        for (int epoch = 0; epoch < 30; epoch++) {
            List<TrainingExample> seen = views.forEpoch(examples, epoch);
            assertThat(seen).usingRecursiveFieldByFieldElementComparator().isEqualTo(views.forEpoch(examples, epoch));
            assertThat(seen.get(0).imageId()).as("one view for all captions of an image").isEqualTo(seen.get(2).imageId());
            assertThat(seen.get(1)).isSameAs(examples.get(1));
            String view = seen.get(0).imageId();
            drawn.add(view);
            if (view.equals("a.jpg#view1")) {
                assertThat(seen.get(0).tokens()).isEqualTo(encode("a dog right of a cat"));
                assertThat(seen.get(2).tokens()).isEqualTo(encode("a cat left of a dog"));
            } else {
                assertThat(seen.get(0).tokens()).isEqualTo(examples.get(0).tokens());
            }
        }
        assertThat(drawn).containsExactlyInAnyOrder("a.jpg", "a.jpg#view1", "a.jpg#view2");
    }

    @Test
    void imagesNotTrainedOnAndStoresWithoutViewsGiveThePlainExamples() throws IOException {
        List<TrainingExample> examples = List.of(new TrainingExample("b.jpg", encode("a dog")));
        assertThat(TrainingViews.of(store(), List.of("b.jpg"), vocabulary, 7)).isSameAs(TrainingViews.NONE);
        assertThat(TrainingViews.NONE.forEpoch(examples, 3)).isSameAs(examples);
    }
}
