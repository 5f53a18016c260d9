package org.captioner.features;

import java.nio.file.Path;

/**
 * Where backbone ONNX files are looked up: an explicit directory ({@code --models-dir}), else the
 * environment variable {@code CAPTIONER_MODELS}, else {@code <captioner.home>/../shared/models}
 * where the system property {@code captioner.home} (set by the launcher to the repository root)
 * falls back to the working directory.
 */
public final class ModelsDirectory {
    public static final String ENVIRONMENT_VARIABLE = "CAPTIONER_MODELS";

    private ModelsDirectory() {
    }

    /** @param explicit the directory given on the command line, or null */
    public static Path resolve(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        String fromEnvironment = System.getenv(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        String home = System.getProperty("captioner.home", System.getProperty("user.dir"));
        return Path.of(home).resolve("../shared/models").normalize();
    }
}
