package org.captioner.train;

import org.captioner.io.AtomicFiles;
import ai.djl.ndarray.NDManager;
import org.captioner.bundle.BundleManifest;
import org.captioner.bundle.ModelBundle;
import org.captioner.data.Dataset;
import org.captioner.data.ImageCaptions;
import org.captioner.data.Split;
import org.captioner.eval.CiderDScorer;
import org.captioner.eval.SplitEvaluation;
import org.captioner.features.BackboneSpec;
import org.captioner.features.FeatureStore;
import org.captioner.features.FeatureStoreManifest;
import org.captioner.model.CaptionModel;
import org.captioner.model.CaptionModels;
import org.captioner.model.WeightPrecision;
import org.captioner.text.TextNormalizer;
import org.captioner.text.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Dataset + feature store + recipe -> trained model bundle: builds the vocabulary from the train split,
 * trains (or resumes) with CIDEr-D on the dev split selecting the best epoch, scores the best model on the
 * dev split with the bundle's default decoding, and writes the bundle. Both dev scores come from
 * {@link SplitEvaluation} against the raw dev captions, as {@code captioner evaluate}'s do.
 */
public final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
    static final String RECIPE_FILE = "recipe.yaml";
    private static final int DECODE_BATCH = 32;

    /** What a run produced. */
    public record Result(Path bundle, TrainingResult training, Map<String, Double> devMetrics, int trainImages,
                         int trainCaptions, int devImages, int vocabularySize, double seconds) {
    }

    private final TrainingRecipe recipe;
    private final Dataset dataset;
    private final FeatureStore features;
    private final Path runDirectory;
    private boolean progressBar = true;
    private BooleanSupplier stopRequested = () -> false;
    private Path initFrom;

    public TrainingRun(TrainingRecipe recipe, Dataset dataset, FeatureStore features, Path runDirectory) {
        this.recipe = recipe;
        this.dataset = dataset;
        this.features = features;
        this.runDirectory = runDirectory;
    }

    /** See {@link Trainer#stopWhen}. */
    public TrainingRun stopWhen(BooleanSupplier stop) {
        this.stopRequested = stop;
        return this;
    }

    /**
     * Starts from the weights of the model bundle {@code bundle} instead of random ones (fine-tuning, e.g. the
     * self-critical stage): its vocabulary, text normalizer and model configuration replace the recipe's, and the
     * feature store must be of its backbone.
     */
    public TrainingRun initFrom(Path bundle) {
        this.initFrom = bundle;
        return this;
    }

    public TrainingRun progressBar(boolean show) {
        this.progressBar = show;
        return this;
    }

    /**
     * @param resume continue the checkpoint in the run directory; without it a run directory that already
     *               holds a checkpoint is refused rather than overwritten
     */
    public Result run(Path bundleDirectory, boolean resume, Map<String, String> provenance) throws IOException {
        long started = System.nanoTime();
        if (!resume && Checkpoint.exists(runDirectory)) {
            throw new IOException("run directory " + runDirectory + " already holds a checkpoint: resume it, or choose another directory");
        }
        if (dataset.split(Split.TRAIN).isEmpty()) {
            throw new IOException(TrainingInputs.noTrainCaption(dataset));
        }
        List<ImageCaptions> train = withFeatures(Split.TRAIN);
        List<ImageCaptions> dev = withFeatures(Split.DEV);
        if (train.isEmpty()) {
            throw new IOException("no train-split image of " + dataset.source() + " has features in the store (extract them first)");
        }
        ModelBundle start = initFrom == null ? null : startingBundle();
        TrainingRecipe used = start == null ? recipe
                : recipe.startingFrom(start.modelConfig(), start.manifest().normalizer());
        TextNormalizer normalizer = used.text().normalizer();
        List<List<String>> trainTokens = train.stream().flatMap(image -> image.captions().stream())
                .map(normalizer::tokens).toList();
        Vocabulary vocabulary = start != null ? start.vocabulary()
                : Vocabulary.build(trainTokens, used.text().maxWords(), used.text().minCount());
        // Refused before the run directory exists: a model without words can only caption "".
        TrainingInputs.requireWords(dataset, trainTokens, vocabulary, used.text().minCount());
        Files.createDirectories(runDirectory);
        AtomicFiles.writeString(runDirectory.resolve(RECIPE_FILE), used.toYaml());
        vocabulary.save(runDirectory.resolve(ModelBundle.VOCABULARY_FILE));
        int maxLength = used.training().maxLength();
        List<TrainingExample> examples = new ArrayList<>();
        for (ImageCaptions image : train) {
            for (String caption : image.captions()) {
                examples.add(new TrainingExample(image.imageId(), vocabulary.encode(normalizer.tokens(caption), maxLength)));
            }
        }
        List<DevImage> devImages = dev.stream().map(image -> new DevImage(image.imageId(), image.captions().stream()
                .map(caption -> vocabulary.encode(normalizer.tokens(caption), maxLength)).toList())).toList();
        // The dev metric and the bundle's dev scores compare with the raw captions, as evaluate does.
        SplitEvaluation devSplit = dev.isEmpty() ? null : new SplitEvaluation(dev);
        LOG.info("training on {} images ({} captions), selecting on {} dev images; vocabulary {} tokens",
                train.size(), examples.size(), dev.size(), vocabulary.size());
        TrainingViews views = TrainingViews.of(features, train.stream().map(ImageCaptions::imageId).toList(), vocabulary,
                used.training().seed());
        if (views.count() > 0) {
            LOG.info("the store holds {} augmented views of train images: each epoch draws one view per image", views.count());
        }

        try (NDManager manager = NDManager.newBaseManager();
             CaptionModel model = start != null ? start.loadModel(manager) : CaptionModels.create(
                     used.modelConfig(vocabulary.size(), features.regions(), features.channels()), manager,
                     used.training().seed(), vocabulary)) {
            Trainer trainer = new Trainer(model, features, examples, devImages, used.training(), runDirectory)
                    .selectionDecoding(used.decoding().withCount(1)).detokenizer(vocabulary::decode)
                    .progressBar(progressBar).stopWhen(stopRequested).views(views);
            if (devSplit != null) {
                trainer.scorer(DevScorer.of(devSplit, CiderDScorer.KEY));
            }
            TrainingResult result = resume ? trainer.trainOrResume() : trainer.train();
            Path best = runDirectory.resolve(Trainer.BEST_MODEL_DIRECTORY);
            // A run stopped before its first dev evaluation has no best model yet: bundle the weights it has.
            try (CaptionModel selected = Files.isDirectory(best) ? CaptionModels.load(best, manager) : null) {
                return bundle(selected != null ? selected : model, result, vocabulary, normalizer, train.size(),
                        examples.size(), devSplit, bundleDirectory, withStart(provenance, start), started);
            }
        }
    }

    /** The bundle to fine-tune, refused unless the feature store was made with its backbone. */
    private ModelBundle startingBundle() throws IOException {
        ModelBundle start = ModelBundle.read(initFrom);
        String bundleBackbone = start.manifest().backbone().sha256();
        if (!bundleBackbone.equals(features.manifest().sha256())) {
            throw new IOException("cannot fine-tune " + initFrom + " on " + features.manifest().describe()
                    + ": the model was trained on features of backbone " + start.manifest().backbone().name()
                    + " with sha256 " + bundleBackbone);
        }
        LOG.info("starting from {} (model, vocabulary and text settings; the recipe's model and text sections are not used)",
                initFrom);
        return start;
    }

    private static Map<String, String> withStart(Map<String, String> provenance, ModelBundle start) {
        if (start == null) {
            return provenance;
        }
        Map<String, String> facts = new LinkedHashMap<>(provenance);
        facts.put("initFrom", start.directory() + " (weights sha256 " + start.weightsSha256() + ")");
        return facts;
    }

    private Result bundle(CaptionModel model, TrainingResult result, Vocabulary vocabulary, TextNormalizer normalizer,
                          int trainImages, int trainCaptions, SplitEvaluation dev, Path bundleDirectory,
                          Map<String, String> provenance, long started) throws IOException {
        // Scored with the recipe's default decoding: the captions the bundle will give.
        Map<String, Double> devMetrics = dev == null ? Map.of() : dev.run(new FeatureCaptioner(model, features,
                recipe.decoding(), DECODE_BATCH, vocabulary::decode)).scores().corpus();
        LOG.info("dev scores of the selected model: {}", devMetrics);
        FeatureStoreManifest store = features.manifest();
        BundleManifest manifest = new BundleManifest(ModelBundle.FORMAT, ModelBundle.VERSION, model.config().family(),
                backboneSpec(store), store.resize(), store.gridHeight(), store.gridWidth(), normalizer, recipe.decoding(),
                devMetrics, provenance(provenance, trainImages, trainCaptions, started));
        ModelBundle.write(bundleDirectory, manifest, vocabulary, model, WeightPrecision.FLOAT16,
                List.of(runDirectory.resolve(RECIPE_FILE), runDirectory.resolve(TrainingLog.CSV_FILE),
                        runDirectory.resolve(TrainingLog.PLOT_FILE)));
        return new Result(bundleDirectory, result, devMetrics, trainImages, trainCaptions, dev == null ? 0 : dev.size(),
                vocabulary.size(), (System.nanoTime() - started) / 1e9);
    }

    private List<ImageCaptions> withFeatures(Split split) {
        List<ImageCaptions> images = dataset.split(split);
        List<ImageCaptions> present = images.stream().filter(image -> features.contains(image.imageId())).toList();
        if (present.size() < images.size()) {
            LOG.warn("{} of {} {}-split images have no features in the store and are left out", images.size() - present.size(),
                    images.size(), split.label());
        }
        return present;
    }

    /** The built-in spec of the store's backbone, pinned to the sha256 the features were made with. */
    private static BackboneSpec backboneSpec(FeatureStoreManifest store) throws IOException {
        return BackboneSpec.resolve(store.backbone()).toBuilder().optSha256(store.sha256()).build();
    }

    private Map<String, String> provenance(Map<String, String> given, int images, int captions, long started) {
        Map<String, String> facts = new LinkedHashMap<>(given);
        facts.put("dataset", dataset.source());
        facts.put("trainImages", Integer.toString(images));
        facts.put("trainCaptions", Integer.toString(captions));
        facts.put("trainingSeconds", String.format(java.util.Locale.ROOT, "%.0f", (System.nanoTime() - started) / 1e9));
        facts.put("created", java.time.Instant.now().toString());
        return facts;
    }
}
