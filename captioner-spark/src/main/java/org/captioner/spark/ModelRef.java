package org.captioner.spark;

import org.apache.spark.SparkFiles;
import org.captioner.bundle.ModelBundle;
import org.captioner.features.ModelsDirectory;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which model bundle a job captions with, as executors receive it: paths they can all read (a shared file
 * system, or names shipped with {@code --files}/{@code --archives}) and the sha256 of the weights the driver saw,
 * so an executor whose copy differs refuses to caption instead of silently giving other captions.
 *
 * @param bundle         bundle directory as given to the driver
 * @param modelsDir      folder of the ONNX backbones, as the driver resolved it
 * @param weightsSha256  sha256 of the bundle's weights file, reported in every output row
 * @param decoderThreads libtorch threads per executor JVM
 */
public record ModelRef(String bundle, String modelsDir, String weightsSha256, int decoderThreads) implements Serializable {

    /** The bundle as the driver read it (complete and checked); its weights' sha256 is recorded. */
    public static ModelRef of(ModelBundle bundle, Path modelsDir, int decoderThreads) throws IOException {
        return new ModelRef(bundle.directory().toString(), ModelsDirectory.resolve(modelsDir).toString(),
                bundle.weightsSha256(), decoderThreads);
    }

    /** The bundle's name in output rows: its directory name. */
    public String modelName() {
        return Path.of(bundle).getFileName().toString();
    }

    /** Where this JVM finds the bundle: the path itself, else the copy Spark shipped into its working files. */
    Path localBundle() {
        return local(bundle);
    }

    Path localModelsDir() {
        return local(modelsDir);
    }

    static Path local(String path) {
        Path given = Path.of(path);
        if (Files.exists(given)) {
            return given;
        }
        Path shipped = Path.of(SparkFiles.getRootDirectory()).resolve(given.getFileName());
        return Files.exists(shipped) ? shipped : given;
    }
}
