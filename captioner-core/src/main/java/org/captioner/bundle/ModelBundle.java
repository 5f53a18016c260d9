package org.captioner.bundle;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.captioner.features.ModelChecksums;
import org.captioner.io.JsonErrors;
import org.captioner.model.CaptionModel;
import org.captioner.model.CaptionModels;
import org.captioner.model.ModelConfig;
import org.captioner.model.ModelFiles;
import org.captioner.model.WeightPrecision;
import org.captioner.text.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A trained captioner on disk: one directory with {@code bundle.json} ({@link BundleManifest}), {@code model.json}
 * and {@code weights.bin} (the model), {@code vocab.tsv}, and optional extras such as the training configuration,
 * log and loss plot. Reading checks every value of {@code bundle.json} and {@code model.json} against its range, the
 * weights against the SHA-256 recorded at writing, and that the pieces belong together; opening the backbone (and
 * checking its sha256) is the caller's part, since the backbone file lives outside the bundle.
 */
public final class ModelBundle {
    public static final String FORMAT = "captioner-bundle";
    /** 2: bundle.json records the weights' SHA-256 ({@code weightsSha256}); version 1 bundles load without the check. */
    public static final int VERSION = 2;
    private static final int FIRST_VERSION_WITH_WEIGHTS_SHA256 = 2;
    private static final Logger LOG = LoggerFactory.getLogger(ModelBundle.class);
    public static final String MANIFEST_FILE = "bundle.json";
    public static final String VOCABULARY_FILE = "vocab.tsv";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path directory;
    private final BundleManifest manifest;
    private final Vocabulary vocabulary;
    private final ModelConfig modelConfig;
    private final String weightsSha256;

    private ModelBundle(Path directory, BundleManifest manifest, Vocabulary vocabulary, ModelConfig modelConfig,
                        String weightsSha256) {
        this.directory = directory;
        this.manifest = manifest;
        this.vocabulary = vocabulary;
        this.weightsSha256 = weightsSha256;
        this.modelConfig = modelConfig;
    }

    /**
     * Writes a bundle to {@code directory}, replacing any bundle there only once the new one is complete.
     *
     * @param extras files copied in as they are (configuration, training log, plots)
     */
    public static void write(Path directory, BundleManifest manifest, Vocabulary vocabulary, CaptionModel model,
                             WeightPrecision precision, List<Path> extras) throws IOException {
        Path parent = directory.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // Not createTempDirectory: its owner-only permissions would stay on the finished bundle.
        Path staging = Files.createDirectory(parent.resolve(directory.getFileName() + ".partial-"
                + ProcessHandle.current().pid() + "-" + System.nanoTime()));
        try {
            model.save(staging, precision);
            vocabulary.save(staging.resolve(VOCABULARY_FILE));
            for (Path extra : extras) {
                if (Files.isRegularFile(extra)) {
                    Files.copy(extra, staging.resolve(extra.getFileName()));
                }
            }
            String weightsSha256 = ModelChecksums.sha256(staging.resolve(ModelFiles.WEIGHTS_FILE));
            Files.write(staging.resolve(MANIFEST_FILE), JSON.writeValueAsBytes(manifest.withWeightsSha256(weightsSha256)));
            replaceDirectory(staging, directory.toAbsolutePath());
        } finally {
            deleteRecursively(staging);
        }
    }

    /**
     * Reads a bundle and checks its pieces: format and version, every field in range, files present, the weights'
     * checksum, the vocabulary and the backbone grid matching the model.
     */
    public static ModelBundle read(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("model bundle " + directory + " not found (expected a directory with " + MANIFEST_FILE + ")");
        }
        for (String required : List.of(MANIFEST_FILE, VOCABULARY_FILE, ModelFiles.CONFIG_FILE, ModelFiles.WEIGHTS_FILE)) {
            if (!Files.isRegularFile(directory.resolve(required))) {
                throw new IOException("model bundle " + directory + " is incomplete: " + required + " is missing");
            }
        }
        Path manifestFile = directory.resolve(MANIFEST_FILE);
        BundleManifest manifest;
        try {
            manifest = JSON.readValue(manifestFile.toFile(), BundleManifest.class);
        } catch (JacksonException e) {
            throw new IOException(manifestFile + ": not a valid bundle manifest: " + JsonErrors.describe(e), e);
        }
        if (!FORMAT.equals(manifest.format())) {
            throw new IOException(directory.resolve(MANIFEST_FILE) + ": format is '" + manifest.format() + "', not " + FORMAT);
        }
        if (manifest.version() > VERSION) {
            throw new IOException(directory + ": bundle version " + manifest.version() + " is newer than this Captioner reads ("
                    + VERSION + "); upgrade Captioner");
        }
        if (manifest.backbone().sha256() == null) {
            throw new IOException(manifestFile + ": no backbone with its sha256 recorded");
        }
        String weightsSha256 = checkWeights(directory, manifest);
        Vocabulary vocabulary = Vocabulary.load(directory.resolve(VOCABULARY_FILE));
        ModelConfig config = ModelFiles.readConfig(directory);
        if (!config.family().equals(manifest.family())) {
            throw new IOException(directory + ": bundle.json says family " + manifest.family() + " but model.json "
                    + config.family());
        }
        if (config.vocabSize() != vocabulary.size()) {
            throw new IOException(directory + ": model.json expects " + config.vocabSize() + " words but vocab.tsv has "
                    + vocabulary.size());
        }
        if (config.regions() != manifest.gridHeight() * manifest.gridWidth()) {
            throw new IOException(directory + ": model.json expects " + config.regions() + " regions but the backbone grid is "
                    + manifest.gridHeight() + "x" + manifest.gridWidth());
        }
        return new ModelBundle(directory, manifest, vocabulary, config, weightsSha256);
    }

    /**
     * The weights must be the ones written: a changed or damaged file would load and caption differently.
     *
     * @return the weights' sha256, computed once here
     */
    private static String checkWeights(Path directory, BundleManifest manifest) throws IOException {
        Path weights = directory.resolve(ModelFiles.WEIGHTS_FILE);
        String actual = ModelChecksums.sha256(weights);
        if (manifest.weightsSha256() == null) {
            if (manifest.version() >= FIRST_VERSION_WITH_WEIGHTS_SHA256) {
                throw new IOException(directory.resolve(MANIFEST_FILE) + ": no weightsSha256 recorded (required from bundle version "
                        + FIRST_VERSION_WITH_WEIGHTS_SHA256 + ")");
            }
            LOG.warn("{}: a version {} bundle records no checksum of {}; a damaged weights file cannot be detected",
                    directory, manifest.version(), ModelFiles.WEIGHTS_FILE);
            return actual;
        }
        if (!actual.equals(manifest.weightsSha256())) {
            throw new IOException("weights file " + weights + " has sha256 " + actual + ", which does not match "
                    + manifest.weightsSha256() + " in " + MANIFEST_FILE + ": the file is corrupt or was changed");
        }
        return actual;
    }

    public CaptionModel loadModel(NDManager manager) throws IOException {
        return CaptionModels.load(directory, manager);
    }

    public Path directory() {
        return directory;
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** SHA-256 of the weights file as read (and, from bundle version 2, checked against bundle.json). */
    public String weightsSha256() {
        return weightsSha256;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public ModelConfig modelConfig() {
        return modelConfig;
    }

    private static void replaceDirectory(Path staging, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling(target.getFileName() + ".old-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteRecursively(old);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
