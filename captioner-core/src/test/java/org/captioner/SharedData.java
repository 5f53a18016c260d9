package org.captioner;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real data and backbones in {@code ../shared}; tests that need them are skipped when it is absent. */
public final class SharedData {
    private SharedData() {
    }

    public static Path dir() {
        Path shared = Path.of(System.getProperty("captioner.shared", "../shared"));
        Assumptions.assumeTrue(Files.isDirectory(shared), "../shared is not beside the project: " + shared.toAbsolutePath());
        return shared;
    }

    public static Path flickr8k() {
        return dir().resolve("data/flickr8k");
    }

    public static Path models() {
        return dir().resolve("models");
    }
}
