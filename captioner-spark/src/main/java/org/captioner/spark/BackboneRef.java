package org.captioner.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.captioner.features.BackboneSpec;
import org.captioner.features.ModelsDirectory;
import org.captioner.image.ResizeMode;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Which backbone a feature job runs, as executors receive it: the spec itself (as JSON, so a spec file need not
 * exist on the executors), the models folder and the resize mode. The model file's sha256 is checked by
 * {@link org.captioner.features.OnnxBackbone#open} on each executor, against the spec.
 */
public record BackboneRef(String specJson, String modelsDir, ResizeMode resize) implements Serializable {

    public static BackboneRef of(BackboneSpec spec, Path modelsDir, ResizeMode resize) {
        if (!spec.extractsFeatures()) {
            throw new IllegalArgumentException("backbone " + spec.name() + " has no feature outputs (classification only); use "
                    + BackboneSpec.DEFAULT_NAME);
        }
        return new BackboneRef(spec.toString(), ModelsDirectory.resolve(modelsDir).toString(), resize);
    }

    BackboneSpec spec() {
        try {
            return new ObjectMapper().readValue(specJson, BackboneSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path localModelsDir() {
        return ModelRef.local(modelsDir);
    }
}
