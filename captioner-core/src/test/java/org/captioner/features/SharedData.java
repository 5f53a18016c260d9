package org.captioner.features;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real data beside the project ({@code captioner.shared}, set by surefire); tests skip without it. */
final class SharedData {
    private SharedData() {
    }

    static Path models() {
        return require("models/mobilenet_v2_1.0_224.onnx").getParent();
    }

    static Path flickrImages() {
        return require("data/flickr8k/images");
    }

    private static Path require(String relative) {
        String shared = System.getProperty("captioner.shared");
        assumeTrue(shared != null, "captioner.shared is not set");
        Path path = Path.of(shared).resolve(relative);
        assumeTrue(Files.exists(path), path + " is absent");
        return path;
    }
}
