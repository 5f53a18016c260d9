package org.captioner.spark;

import org.captioner.features.BackboneSpec;
import org.captioner.image.ResizeMode;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The flags choosing the backbone of a feature job, as {@code captioner features} has them. */
public final class BackboneFlags {
    @Option(names = "--backbone", defaultValue = BackboneSpec.DEFAULT_NAME,
            description = "Built-in backbone (mobilenet_v2, mobilenet_v1) or a spec .json file. Default: ${DEFAULT-VALUE}.")
    String backbone;

    @Option(names = "--models-dir", paramLabel = "DIR",
            description = "Folder of the ONNX backbones, readable by every executor (default: $CAPTIONER_MODELS, else ../shared/models beside Captioner).")
    Path modelsDir;

    @Option(names = "--resize", defaultValue = "SQUASH", description = "SQUASH or CENTER_CROP. Default: ${DEFAULT-VALUE}.")
    ResizeMode resize;

    public BackboneRef backbone() throws IOException {
        return BackboneRef.of(BackboneSpec.resolve(backbone), modelsDir, resize);
    }
}
