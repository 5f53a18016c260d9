package org.captioner.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.captioner.io.AtomicFiles;
import org.captioner.io.JsonErrors;

import java.io.IOException;
import java.nio.file.Path;

/** The layout of a saved model: a directory with {@value #CONFIG_FILE} and {@value #WEIGHTS_FILE}. */
public final class ModelFiles {
    public static final String CONFIG_FILE = "model.json";
    public static final String WEIGHTS_FILE = "weights.bin";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFiles() {
    }

    public static ModelConfig readConfig(Path directory) throws IOException {
        Path file = directory.resolve(CONFIG_FILE);
        try {
            return JSON.readValue(file.toFile(), ModelConfig.class);
        } catch (JacksonException e) {
            throw new IOException(file + ": not a valid model config: " + JsonErrors.describe(e), e);
        }
    }

    static void writeConfig(Path directory, ModelConfig config) throws IOException {
        AtomicFiles.writeString(directory.resolve(CONFIG_FILE), JSON.writeValueAsString(config));
    }

    /** The mapper model configs are read and written with (indented output). */
    public static ObjectMapper json() {
        return JSON;
    }
}
