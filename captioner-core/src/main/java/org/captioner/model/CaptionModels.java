package org.captioner.model;

import org.captioner.io.AtomicFiles;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;

/** Builds, saves and loads caption models by family. A saved model is a directory: model.json + weights.bin. */
public final class CaptionModels {
    public static final String CONFIG_FILE = "model.json";
    public static final String WEIGHTS_FILE = "weights.bin";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CaptionModels() {
    }

    /** A freshly initialised model; {@code seed} fixes the initial weights. */
    public static CaptionModel create(ModelConfig config, NDManager parent, long seed) {
        if (ModelConfig.SHOW_ATTEND_TELL.equals(config.family())) {
            return new ShowAttendTell(config, parent, seed);
        }
        throw new IllegalArgumentException("unknown model family '" + config.family() + "'");
    }

    /** Loads a model saved with {@link CaptionModel#save}; float16 weights come back as float32. */
    public static CaptionModel load(Path directory, NDManager parent) throws IOException {
        CaptionModel model = create(readConfig(directory), parent, 0);
        try {
            model.parameters().load(directory.resolve(WEIGHTS_FILE));
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public static ModelConfig readConfig(Path directory) throws IOException {
        return JSON.readValue(directory.resolve(CONFIG_FILE).toFile(), ModelConfig.class);
    }

    static void writeConfig(Path directory, ModelConfig config) throws IOException {
        AtomicFiles.writeString(directory.resolve(CONFIG_FILE), JSON.writeValueAsString(config));
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
