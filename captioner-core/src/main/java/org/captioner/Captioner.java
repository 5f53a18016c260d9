package org.captioner;

import ai.djl.ndarray.NDManager;
import org.captioner.bundle.BundleManifest;
import org.captioner.bundle.ModelBundle;
import org.captioner.decode.CaptionDecoder;
import org.captioner.decode.DecodingOptions;
import org.captioner.decode.DecoderStep;
import org.captioner.decode.GeneratedCaption;
import org.captioner.features.BackboneFeatures;
import org.captioner.features.ModelsDirectory;
import org.captioner.features.OnnxBackbone;
import org.captioner.image.ImageDecoder;
import org.captioner.image.ResizeMode;
import org.captioner.model.CaptionModel;
import org.captioner.text.Vocabulary;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Captions pictures with a trained model bundle:
 * <pre>{@code
 * try (Captioner captioner = Captioner.load(Path.of("models/default"))) {
 *     String text = captioner.caption(Path.of("photo.jpg")).get(0).text();
 * }
 * }</pre>
 * Safe for concurrent callers; each call decodes with its own native memory scope.
 */
public final class Captioner implements AutoCloseable {
    private final ModelBundle bundle;
    private final OnnxBackbone backbone;
    private final NDManager manager;
    private final CaptionModel model;
    private final DecoderStep steps;
    private final ImageDecoder imageDecoder;

    private Captioner(ModelBundle bundle, OnnxBackbone backbone, NDManager manager, CaptionModel model) {
        this.bundle = bundle;
        this.backbone = backbone;
        this.imageDecoder = backbone.imageDecoder();
        this.manager = manager;
        this.model = model;
        this.steps = DecoderStep.of(model);
    }

    /** The bundle Captioner ships: {@code models/default} in the Captioner home (the repository root). */
    public static Path defaultBundle() {
        return Path.of(System.getProperty("captioner.home", System.getProperty("user.dir"))).resolve("models/default");
    }

    /** Loads a bundle; its backbone is looked up as {@link ModelsDirectory#resolve} says. */
    public static Captioner load(Path bundleDirectory) throws IOException {
        return load(bundleDirectory, ModelsDirectory.resolve(null));
    }

    /**
     * Loads a bundle with its backbone from {@code modelsDirectory}.
     *
     * @throws IOException naming the file when the bundle is incomplete or inconsistent, or the backbone is
     *                     missing or not the one the model was trained with (its sha256 differs)
     */
    public static Captioner load(Path bundleDirectory, Path modelsDirectory) throws IOException {
        ModelBundle bundle = ModelBundle.read(bundleDirectory);
        BundleManifest manifest = bundle.manifest();
        OnnxBackbone backbone;
        try {
            backbone = OnnxBackbone.open(manifest.backbone(), modelsDirectory, OnnxBackbone.DEFAULT_INTRA_OP_THREADS,
                    ResizeMode.valueOf(manifest.resize()));
        } catch (IOException e) {
            throw new IOException("model bundle " + bundleDirectory + " needs backbone " + manifest.backbone().name()
                    + " (sha256 " + manifest.backbone().sha256() + "): " + e.getMessage(), e);
        }
        NDManager manager = NDManager.newBaseManager();
        try {
            if (backbone.gridHeight() != manifest.gridHeight() || backbone.gridWidth() != manifest.gridWidth()
                    || backbone.channels() != bundle.modelConfig().featureChannels()) {
                throw new IOException("model bundle " + bundleDirectory + " expects " + manifest.gridHeight() + "x"
                        + manifest.gridWidth() + "x" + bundle.modelConfig().featureChannels() + " features but backbone "
                        + manifest.backbone().name() + " gives " + backbone.gridHeight() + "x" + backbone.gridWidth() + "x"
                        + backbone.channels());
            }
            return new Captioner(bundle, backbone, manager, bundle.loadModel(manager));
        } catch (IOException | RuntimeException e) {
            manager.close();
            backbone.close();
            throw e;
        }
    }

    /** The decoding options the bundle recommends (e.g. beam search of width 3). */
    public DecodingOptions defaultOptions() {
        return bundle.manifest().decoding();
    }

    public BundleManifest manifest() {
        return bundle.manifest();
    }

    /** SHA-256 of the loaded weights file: which weights these captions come from. */
    public String weightsSha256() {
        return bundle.weightsSha256();
    }

    public Vocabulary vocabulary() {
        return bundle.vocabulary();
    }

    /** Captions an image file with the default options; the best caption first. */
    public List<Caption> caption(Path image) throws IOException {
        return caption(image, defaultOptions());
    }

    public List<Caption> caption(Path image, DecodingOptions options) throws IOException {
        return caption(imageDecoder.decode(image), options);
    }

    public List<Caption> caption(BufferedImage picture, DecodingOptions options) throws IOException {
        return caption(List.of(picture), options).get(0);
    }

    /** Captions several pictures in one backbone run and one batched decode; one list per picture, best first. */
    public List<List<Caption>> caption(List<BufferedImage> pictures, DecodingOptions options) throws IOException {
        return caption(features(pictures), options);
    }

    /** Runs the backbone on several pictures at once: the first half of {@link #caption(List, DecodingOptions)}. */
    public PictureFeatures features(List<BufferedImage> pictures) throws IOException {
        if (pictures.isEmpty()) {
            return new PictureFeatures(new float[0], 0);
        }
        List<float[]> tensors = new ArrayList<>(pictures.size());
        for (BufferedImage picture : pictures) {
            tensors.add(backbone.preprocessor().toTensor(picture));
        }
        List<BackboneFeatures> features = backbone.extractTensors(tensors);
        int perImage = backbone.regions() * backbone.channels();
        float[] regions = new float[features.size() * perImage];
        for (int i = 0; i < features.size(); i++) {
            System.arraycopy(features.get(i).regionFeatures(), 0, regions, i * perImage, perImage);
        }
        return new PictureFeatures(regions, features.size());
    }

    /** Decodes what {@link #features} gave: the second half of {@link #caption(List, DecodingOptions)}. */
    public List<List<Caption>> caption(PictureFeatures features, DecodingOptions options) {
        if (features.pictures() == 0) {
            return List.of();
        }
        List<List<GeneratedCaption>> generated = CaptionDecoder.decode(steps, features.regionFeatures(),
                features.pictures(), options);
        return generated.stream().map(captions -> captions.stream().map(this::toCaption).toList()).toList();
    }

    private Caption toCaption(GeneratedCaption generated) {
        Vocabulary vocabulary = bundle.vocabulary();
        List<String> words = vocabulary.decodeTokens(generated.tokens());
        List<float[]> attention = generated.attention() == null ? List.of() : Arrays.asList(generated.attention());
        return new Caption(String.join(" ", words), words, generated.logProbability(), attention,
                backbone.gridHeight(), backbone.gridWidth());
    }

    @Override
    public void close() throws IOException {
        model.close();
        manager.close();
        backbone.close();
    }
}
