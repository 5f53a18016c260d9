package org.captioner.cli;

import org.captioner.features.FeatureStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FeaturesCommandTest {
    @TempDir
    Path dir;

    @Test
    void nothingToDoIsAnError() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("no-images"));
        assertThat(Main.run("features", "--images", empty.toString(), "--out", dir.resolve("store").toString())).isEqualTo(1);
    }

    @Test
    void unknownBackboneIsAnError() throws IOException {
        Path images = Files.createDirectory(dir.resolve("images"));
        Files.write(images.resolve("a.jpg"), new byte[]{1});
        assertThat(Main.run("features", "--images", images.toString(), "--out", dir.resolve("store").toString(),
                "--backbone", "nonesuch")).isEqualTo(1);
    }

    @Test
    void augmentStoresViewsOfTrainImagesOnly() throws IOException {
        String shared = System.getProperty("captioner.shared");
        assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "models")), "../shared is absent");
        Path images = Path.of(shared, "data/flickr8k/images");
        List<String> names;
        try (Stream<Path> flickr = Files.list(images)) {
            names = flickr.sorted().limit(2).map(file -> file.getFileName().toString()).toList();
        }
        Path captions = Files.write(dir.resolve("captions.csv"), List.of("image,caption,split",
                names.get(0) + ",a dog on the left,train", names.get(1) + ",a cat,dev"));
        Path store = dir.resolve("store");

        int exitCode = Main.run("features", "--images", images.toString(), "--data", captions.toString(), "--out", store.toString(),
                "--models-dir", Path.of(shared, "models").toString(), "--augment", "2", "--no-progress");

        assertThat(exitCode).isZero();
        FeatureStore features = FeatureStore.open(store);
        assertThat(features.size()).isEqualTo(4);
        assertThat(features.viewsOf(names.get(0))).hasSize(2);
        assertThat(features.viewsOf(names.get(1))).isEmpty();
    }

    @Test
    void badImagesAreSkippedAndTheRunSucceeds() throws IOException {
        String shared = System.getProperty("captioner.shared");
        assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "models")), "../shared is absent");
        Path images = Files.createDirectory(dir.resolve("images"));
        try (Stream<Path> flickr = Files.list(Path.of(shared, "data/flickr8k/images"))) {
            for (Path file : flickr.sorted().limit(3).toList()) {
                Files.copy(file, images.resolve(file.getFileName()));
            }
        }
        Files.writeString(images.resolve("zz-broken.jpg"), "not an image");
        Path store = dir.resolve("store");

        int exitCode = Main.run("features", "--images", images.toString(), "--out", store.toString(),
                "--models-dir", Path.of(shared, "models").toString(), "--batch", "2", "--no-progress");

        assertThat(exitCode).isZero();
        assertThat(FeatureStore.open(store).size()).isEqualTo(3);
    }
}
