package org.captioner.serve;

import ai.djl.ndarray.NDManager;
import org.captioner.Captioner;
import org.captioner.bundle.BundleManifest;
import org.captioner.bundle.ModelBundle;
import org.captioner.decode.DecodingOptions;
import org.captioner.features.BackboneSpec;
import org.captioner.features.ModelChecksums;
import org.captioner.model.CaptionModel;
import org.captioner.model.CaptionModels;
import org.captioner.model.ModelConfig;
import org.captioner.model.WeightPrecision;
import org.captioner.text.TextNormalizer;
import org.captioner.text.Vocabulary;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An untrained, tiny caption model bundled with the real MobileNetV2 backbone from {@code ../shared/models}:
 * the server's whole path runs for real, only the words are random. Tests needing it are skipped when the
 * shared backbones are absent.
 */
public final class TinyModel {
    private static final List<String> CAPTIONS = List.of("a dog runs on the grass", "a child plays with a red ball",
            "two people walk along the beach", "a man rides a bike down the street", "a black cat sits on a sofa");

    private TinyModel() {
    }

    /** The folder of the shared ONNX backbones; skips the calling test when it is absent. */
    public static Path modelsDirectory() {
        Path models = Path.of(System.getProperty("captioner.shared", "../shared")).resolve("models");
        Assumptions.assumeTrue(Files.isRegularFile(models.resolve("mobilenet_v2_1.0_224.onnx")),
                "the shared MobileNetV2 backbone is absent: " + models.toAbsolutePath());
        return models;
    }

    /** Writes a random-weight bundle (beam 3, at most 12 tokens by default) into {@code directory}/tiny and loads it. */
    public static Captioner load(Path directory) throws IOException {
        Path models = modelsDirectory();
        BackboneSpec builtin = BackboneSpec.builtin(BackboneSpec.DEFAULT_NAME);
        String sha256 = ModelChecksums.sha256(models.resolve(builtin.file()));
        BackboneSpec backbone = builtin.toBuilder().optSha256(sha256).build();
        TextNormalizer normalizer = TextNormalizer.defaults();
        Vocabulary vocabulary = Vocabulary.build(CAPTIONS.stream().map(normalizer::tokens).toList(), 100, 1);
        ModelConfig config = new ModelConfig(ModelConfig.SHOW_ATTEND_TELL, ModelConfig.GRU, vocabulary.size(), 49, 1280,
                16, 32, 16, 0.0);
        BundleManifest manifest = new BundleManifest(ModelBundle.FORMAT, ModelBundle.VERSION, config.family(), backbone,
                "SQUASH", 7, 7, normalizer, DecodingOptions.beam(3, 12), Map.of(), Map.of("source", "random weights for tests"));
        Path bundle = directory.resolve("tiny");
        try (NDManager manager = NDManager.newBaseManager(); CaptionModel model = CaptionModels.create(config, manager, 7)) {
            ModelBundle.write(bundle, manifest, vocabulary, model, WeightPrecision.FLOAT32, List.of());
        }
        return Captioner.load(bundle, models);
    }
}
