package org.captioner.features;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.captioner.image.ChannelOrder;
import org.captioner.image.ImagePreprocessor;
import org.captioner.image.ResizeMode;
import org.captioner.io.JsonErrors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.StreamSupport;

/**
 * How to run one ONNX image backbone, as read from a small JSON file (see {@code docs/features.md}).
 * Built-in specs live on the classpath under {@code org/captioner/features/backbones/<name>.json}.
 *
 * @param name             short name recorded in feature stores, e.g. {@code mobilenet_v2}
 * @param file             ONNX file, a relative path inside the models directory (never absolute, never {@code ..})
 * @param sha256           expected SHA-256 of the file in hex, or null to skip the check
 * @param inputName        name of the NCHW float input
 * @param inputSize        side of the square input, e.g. 224; at most {@value #MAX_INPUT_SIZE}
 * @param channelOrder     order of the color planes in the input
 * @param scale            pixel (0-255) multiplier applied first
 * @param mean             subtracted after scaling, per input plane (in {@code channelOrder})
 * @param std              divisor after subtracting the mean, per input plane
 * @param spatialOutput    output {@code [batch, channels, gridH, gridW]} before pooling, or null if the model has none
 * @param pooledOutput     output {@code [batch, channels]}, or null to average the spatial grid instead
 * @param classifierOutput class probabilities, or null; only used for smoke tests and sanity checks
 * @param dynamicBatch     whether the batch dimension may exceed 1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackboneSpec(String name, String file, String sha256, String inputName, int inputSize,
                           ChannelOrder channelOrder, float scale, float[] mean, float[] std,
                           String spatialOutput, String pooledOutput, String classifierOutput, boolean dynamicBatch) {

    public static final String DEFAULT_NAME = "mobilenet_v2";
    /** Twice the largest input of common ImageNet backbones; a batch's tensor size stays far below 2^31 floats. */
    public static final int MAX_INPUT_SIZE = 1024;
    private static final List<String> BUILTIN_NAMES = List.of("mobilenet_v2", "mobilenet_v1", "squeezenet1_1");
    private static final ObjectMapper JSON = new ObjectMapper();

    public BackboneSpec {
        require(name != null && !name.isBlank(), "name");
        require(file != null && isInsideModelsDirectory(file), "file (a relative path inside the models directory)");
        require(inputName != null && !inputName.isBlank(), "inputName");
        require(inputSize > 0 && inputSize <= MAX_INPUT_SIZE, "inputSize (from 1 to " + MAX_INPUT_SIZE + ")");
        require(channelOrder != null, "channelOrder (RGB or BGR)");
        require(scale != 0 && Float.isFinite(scale), "scale (non-zero, finite)");
        require(mean != null && mean.length == 3 && allFinite(mean), "mean (3 finite numbers)");
        require(std != null && std.length == 3 && allFinite(std) && std[0] != 0 && std[1] != 0 && std[2] != 0,
                "std (3 finite non-zero numbers)");
        require(sha256 == null || sha256.matches("[0-9a-fA-F]{64}"), "sha256 (64 hex digits)");
        require(spatialOutput != null || pooledOutput == null, "spatialOutput (needed when pooledOutput is given)");
    }

    /** Relative, and no {@code ..} step: it cannot name a file outside the directory it is resolved in. */
    private static boolean isInsideModelsDirectory(String file) {
        try {
            Path path = Path.of(file);
            return !file.isBlank() && !path.isAbsolute() && path.getRoot() == null
                    && StreamSupport.stream(path.spliterator(), false).noneMatch(step -> step.toString().equals(".."));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static boolean allFinite(float[] values) {
        for (float value : values) {
            if (!Float.isFinite(value)) {
                return false;
            }
        }
        return true;
    }

    private static void require(boolean ok, String field) {
        if (!ok) {
            throw new IllegalArgumentException("backbone spec: missing or invalid field '" + field + "'");
        }
    }

    public static List<String> builtinNames() {
        return BUILTIN_NAMES;
    }

    /** A built-in spec by name, or a spec file when {@code nameOrFile} names an existing {@code .json} file. */
    public static BackboneSpec resolve(String nameOrFile) throws IOException {
        Path asFile = Path.of(nameOrFile);
        if (nameOrFile.endsWith(".json") && Files.isRegularFile(asFile)) {
            return load(asFile);
        }
        return builtin(nameOrFile);
    }

    public static BackboneSpec builtin(String name) throws IOException {
        String resource = "backbones/" + name + ".json";
        try (InputStream in = BackboneSpec.class.getResourceAsStream(resource)) {
            if (in == null || !BUILTIN_NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown backbone '" + name + "': use one of " + BUILTIN_NAMES
                        + " or the path of a spec .json file");
            }
            return parse(in, resource);
        }
    }

    public static BackboneSpec load(Path specFile) throws IOException {
        try (InputStream in = Files.newInputStream(specFile)) {
            return parse(in, specFile.toString());
        }
    }

    private static BackboneSpec parse(InputStream in, String source) throws IOException {
        try {
            return JSON.readValue(in, BackboneSpec.class);
        } catch (JacksonException e) {
            throw new IOException(source + ": not a valid backbone spec: " + JsonErrors.describe(e), e);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    /** A builder starting from this spec, e.g. {@code spec.toBuilder().optSha256(hex).build()}. */
    public Builder toBuilder() {
        return new Builder().optName(name).optFile(file).optSha256(sha256).optInputName(inputName)
                .optInputSize(inputSize).optChannelOrder(channelOrder).optScale(scale).optMean(mean).optStd(std)
                .optSpatialOutput(spatialOutput).optPooledOutput(pooledOutput).optClassifierOutput(classifierOutput)
                .optDynamicBatch(dynamicBatch);
    }

    /** Changes fields of an existing spec by name (see the record's parameters); {@link #build()} checks them. */
    public static final class Builder {
        private String name;
        private String file;
        private String sha256;
        private String inputName;
        private int inputSize;
        private ChannelOrder channelOrder;
        private float scale;
        private float[] mean;
        private float[] std;
        private String spatialOutput;
        private String pooledOutput;
        private String classifierOutput;
        private boolean dynamicBatch;

        private Builder() {
        }

        /** @throws IllegalArgumentException naming the first missing or invalid field */
        public BackboneSpec build() {
            return new BackboneSpec(name, file, sha256, inputName, inputSize, channelOrder, scale, mean, std,
                    spatialOutput, pooledOutput, classifierOutput, dynamicBatch);
        }

        public Builder optName(String value) {
            name = value;
            return this;
        }

        public Builder optFile(String value) {
            file = value;
            return this;
        }

        /** The expected SHA-256 in hex, or null to skip the check. */
        public Builder optSha256(String value) {
            sha256 = value;
            return this;
        }

        public Builder optInputName(String value) {
            inputName = value;
            return this;
        }

        public Builder optInputSize(int value) {
            inputSize = value;
            return this;
        }

        public Builder optChannelOrder(ChannelOrder value) {
            channelOrder = value;
            return this;
        }

        public Builder optScale(float value) {
            scale = value;
            return this;
        }

        public Builder optMean(float... value) {
            mean = value;
            return this;
        }

        public Builder optStd(float... value) {
            std = value;
            return this;
        }

        public Builder optSpatialOutput(String value) {
            spatialOutput = value;
            return this;
        }

        public Builder optPooledOutput(String value) {
            pooledOutput = value;
            return this;
        }

        public Builder optClassifierOutput(String value) {
            classifierOutput = value;
            return this;
        }

        public Builder optDynamicBatch(boolean value) {
            dynamicBatch = value;
            return this;
        }
    }

    /** Whether this backbone gives region features (a classification-only model such as SqueezeNet does not). */
    public boolean extractsFeatures() {
        return spatialOutput != null;
    }

    public ImagePreprocessor preprocessor(ResizeMode resizeMode) {
        return new ImagePreprocessor(inputSize, channelOrder, scale, mean, std, resizeMode);
    }

    /**
     * The ONNX file inside {@code modelsDir}. A file that is a link is followed only when it leads to a file inside
     * {@code modelsDir}: nothing else is hashed or loaded.
     *
     * @throws IOException when the file, links followed, is outside {@code modelsDir}
     */
    public Path modelFile(Path modelsDir) throws IOException {
        Path model = modelsDir.resolve(file);
        if (Files.exists(model) && Files.exists(modelsDir)
                && !model.toRealPath().startsWith(modelsDir.toRealPath())) {
            throw new IOException("backbone " + name + ": " + model + " leads outside the models directory " + modelsDir
                    + " (to " + model.toRealPath() + "); backbone files must be inside it");
        }
        return model;
    }

    // Records compare arrays by identity; specs are equal when their JSON is.
    @Override
    public boolean equals(Object o) {
        return o instanceof BackboneSpec other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toString());
    }

    @Override
    public String toString() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
