package org.captioner.bundle;

import ai.djl.ndarray.NDManager;
import org.captioner.decode.DecodingOptions;
import org.captioner.features.BackboneSpec;
import org.captioner.model.CaptionModel;
import org.captioner.model.CaptionModels;
import org.captioner.model.ModelConfig;
import org.captioner.model.TinyConfigs;
import org.captioner.model.WeightPrecision;
import org.captioner.text.TextNormalizer;
import org.captioner.text.Vocabulary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes a small untrained bundle for the real MobileNetV2 (7x7x1280 regions), for mechanics tests. */
public final class TinyBundle {
    private static final int DEFAULT_SEED = 7;

    private TinyBundle() {
    }

    public static Path write(Path directory) throws IOException {
        return write(directory, BackboneSpec.builtin(BackboneSpec.DEFAULT_NAME));
    }

    public static Path write(Path directory, BackboneSpec backbone) throws IOException {
        return write(directory, backbone, ModelConfig.SHOW_ATTEND_TELL, DEFAULT_SEED);
    }

    /** A bundle of the given model family (tiny sizes, as {@link TinyConfigs}). */
    public static Path write(Path directory, String family) throws IOException {
        return write(directory, BackboneSpec.builtin(BackboneSpec.DEFAULT_NAME), family, DEFAULT_SEED);
    }

    /** The default bundle's model with weights drawn from another seed. */
    public static Path write(Path directory, int seed) throws IOException {
        return write(directory, BackboneSpec.builtin(BackboneSpec.DEFAULT_NAME), ModelConfig.SHOW_ATTEND_TELL, seed);
    }

    private static Path write(Path directory, BackboneSpec backbone, String family, int seed) throws IOException {
        Vocabulary vocabulary = Vocabulary.build(List.of(List.of("a", "dog", "runs", "on", "the", "grass")), 0, 1);
        // Show-attend-tell keeps the sizes (and so the weights and captions) the older tests were written against.
        ModelConfig config = ModelConfig.SHOW_ATTEND_TELL.equals(family)
                ? new ModelConfig(ModelConfig.SHOW_ATTEND_TELL, ModelConfig.GRU, vocabulary.size(), 49, 1280, 16, 16, 8, 0)
                : TinyConfigs.all(vocabulary.size(), 49, 1280, 16, 16, 0).stream()
                        .filter(c -> c.family().equals(family)).findFirst().orElseThrow();
        BundleManifest manifest = new BundleManifest(ModelBundle.FORMAT, ModelBundle.VERSION, config.family(), backbone,
                "SQUASH", 7, 7, TextNormalizer.defaults(), DecodingOptions.beam(3, 8), Map.of("CIDEr", 0.0), Map.of("test", "yes"));
        try (NDManager manager = NDManager.newBaseManager(); CaptionModel model = CaptionModels.create(config, manager, seed)) {
            ModelBundle.write(directory, manifest, vocabulary, model, WeightPrecision.FLOAT32, List.of());
        }
        return directory;
    }
}
