package org.captioner.cli;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real data in {@code ../shared}; tests that need it are skipped when it is absent. */
final class SharedData {
    private SharedData() {
    }

    static Path flickr8k() {
        Path shared = Path.of(System.getProperty("captioner.shared", "../shared"));
        Assumptions.assumeTrue(Files.isDirectory(shared), "../shared is not beside the project: " + shared.toAbsolutePath());
        return shared.resolve("data/flickr8k");
    }
}
