package org.captioner.train;

import ai.djl.ndarray.NDManager;
import org.captioner.bundle.ModelBundle;
import org.captioner.data.Dataset;
import org.captioner.data.DatasetLoader;
import org.captioner.data.Split;
import org.captioner.eval.CiderDScorer;
import org.captioner.eval.CocoEvaluator;
import org.captioner.eval.SplitEvaluation;
import org.captioner.features.BackboneFeatures;
import org.captioner.features.FeatureStore;
import org.captioner.features.FeatureStoreManifest;
import org.captioner.features.FeatureStoreWriter;
import org.captioner.features.FeatureView;
import org.captioner.model.CaptionModel;
import org.captioner.model.CaptionModels;
import org.captioner.text.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole training pipeline on a made-up dataset with random features: captions file -> bundle. */
class TrainingRunTest {
    private static final String MOBILENET_V2_SHA256 = "900a705b2857270cb50f9f626d915acd0d3cae38e2405a90eab416abbdec3a95";

    private static final String[] CAPTIONS = {"a dog runs on grass", "a black dog runs", "two kids play in water",
            "a child plays in the water", "a man rides a bike", "a person on a bicycle"};

    @TempDir
    Path dir;

    private Dataset dataset() throws IOException {
        List<String> lines = new ArrayList<>(List.of("image,caption,split"));
        for (int image = 0; image < 12; image++) {
            String split = image < 9 ? "train" : "dev";
            lines.add("img" + image + ".jpg," + CAPTIONS[image % 3 * 2] + "," + split);
            lines.add("img" + image + ".jpg," + CAPTIONS[image % 3 * 2 + 1] + "," + split);
        }
        return DatasetLoader.load(Files.write(dir.resolve("captions.csv"), lines));
    }

    /** Images of the same kind get similar features, so the captions are learnable. */
    private FeatureStore features(int skipImage) throws IOException {
        return features(skipImage, 0, MOBILENET_V2_SHA256, "features");
    }

    /**
     * With {@code views} augmented views of each train image (features near the plain ones; odd views mirrored), in
     * a store of {@code directory} made with the backbone {@code backboneSha256}.
     */
    private FeatureStore features(int skipImage, int views, String backboneSha256, String directory) throws IOException {
        FeatureStoreManifest manifest = new FeatureStoreManifest(FeatureStoreManifest.FORMAT, FeatureStoreManifest.VERSION,
                "mobilenet_v2", backboneSha256, "SQUASH", 2, 2, 8, FeatureStoreManifest.DTYPE);
        Random random = new Random(1);
        try (FeatureStoreWriter writer = FeatureStoreWriter.open(dir.resolve(directory), manifest)) {
            for (int image = 0; image < 12; image++) {
                if (image == skipImage) {
                    continue;
                }
                float[] regions = new float[4 * 8];
                for (int i = 0; i < regions.length; i++) {
                    regions[i] = (i % 8 == image % 3 ? 3 : 0) + (float) random.nextGaussian() * 0.1f;
                }
                writer.append(List.of("img" + image + ".jpg"), List.of(new BackboneFeatures(regions, new float[8], 4, 8)));
                for (int view = 1; view <= (image < 9 ? views : 0); view++) {
                    float[] augmented = regions.clone();
                    for (int i = 0; i < augmented.length; i++) {
                        augmented[i] += (float) random.nextGaussian() * 0.3f;
                    }
                    String id = FeatureView.idOf("img" + image + ".jpg", view);
                    writer.append(List.of(id), List.of(new BackboneFeatures(augmented, new float[8], 4, 8)),
                            List.of(new FeatureView(id, "img" + image + ".jpg", view % 2 == 1, "test")));
                }
            }
        }
        return FeatureStore.open(dir.resolve(directory));
    }

    private static TrainingRecipe tinyRecipe(int epochs) throws IOException {
        return TrainingRecipe.load(null, tinyRecipeOverrides(epochs));
    }

    private static List<String> tinyRecipeOverrides(int epochs) {
        return List.of("text.minCount=1", "model.embedDim=16", "model.hiddenDim=16",
                "model.attentionDim=8", "model.dropout=0", "training.epochs=" + epochs, "training.batchSize=6",
                "training.learningRate=0.01", "training.warmupSteps=0", "training.checkpointEvery=0",
                "decoding.maxLength=8", "training.maxLength=8");
    }

    @Test
    void trainsSelectsOnDevAndWritesACompleteBundle() throws IOException {
        Path bundle = dir.resolve("bundle");

        TrainingRun.Result result = new TrainingRun(tinyRecipe(3), dataset(), features(11), dir.resolve("run"))
                .progressBar(false).run(bundle, false, Map.of("command", "test"));

        assertThat(result.trainImages()).isEqualTo(9);
        assertThat(result.trainCaptions()).isEqualTo(18);
        assertThat(result.devImages()).as("img11 has no features").isEqualTo(2);
        assertThat(result.training().epochsCompleted()).isEqualTo(3);
        assertThat(result.devMetrics()).containsKeys("Bleu_1", "Bleu_4", "ROUGE_L", "CIDEr");
        ModelBundle read = ModelBundle.read(bundle);
        assertThat(read.manifest().provenance()).containsEntry("command", "test").containsKey("trainingSeconds");
        assertThat(read.manifest().backbone().name()).isEqualTo("mobilenet_v2");
        assertThat(read.vocabulary().contains("dog")).isTrue();
        assertThat(bundle.resolve("recipe.yaml")).exists();
        assertThat(bundle.resolve("log.csv")).exists();
        try (var siblings = Files.list(dir)) {
            assertThat(siblings.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains(".partial-"));
        }
    }

    /** The other families through the whole pipeline; show-and-tell with frozen GloVe vectors from the recipe. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"transformer", "show-and-tell"})
    void otherFamiliesTrainIntoBundles(String family) throws IOException {
        List<String> overrides = new ArrayList<>(List.of("model.family=" + family, "model.rnn=lstm", "model.heads=2",
                "training.attentionRegularization=0"));
        float[] dog = new float[16];
        if (family.equals("show-and-tell")) {
            StringBuilder glove = new StringBuilder("dog");
            for (int i = 0; i < dog.length; i++) {
                dog[i] = i / 10f;
                glove.append(' ').append(dog[i]);
            }
            Path file = Files.writeString(dir.resolve("glove.txt"), glove.append("\nzebra").append(" 1".repeat(16)).append('\n'));
            overrides.add("model.embeddings={file: '" + file + "', trainable: false}");
        }
        TrainingRecipe recipe = TrainingRecipe.load(null, concat(tinyRecipeOverrides(2), overrides));
        Path bundle = dir.resolve("bundle");

        TrainingRun.Result result = new TrainingRun(recipe, dataset(), features(-1), dir.resolve("run"))
                .progressBar(false).run(bundle, false, Map.of());

        assertThat(result.training().epochsCompleted()).isEqualTo(2);
        ModelBundle read = ModelBundle.read(bundle);
        assertThat(read.manifest().family()).isEqualTo(family);
        if (family.equals("show-and-tell")) {
            try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager();
                 org.captioner.model.CaptionModel model = read.loadModel(manager)) {
                float[] table = model.parameters().tensors().get(org.captioner.model.CaptionModels.EMBEDDING).toFloatArray();
                int id = read.vocabulary().id("dog");
                float[] row = java.util.Arrays.copyOfRange(table, id * 16, id * 16 + 16);
                for (int i = 0; i < 16; i++) {
                    // Frozen through training; the bundle stores float16.
                    assertThat(row[i]).isCloseTo(dog[i], org.assertj.core.api.Assertions.within(1e-3f));
                }
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * The dog images' dogs have names of their own, too rare for the vocabulary (min count 2): they become
     * {@code <unk>}. Scored through the vocabulary, a dev caption saying {@code <unk>} would match them. Training's
     * dev metric and the bundle's dev scores are {@code evaluate}'s split evaluation, against the raw references.
     */
    @Test
    void theDevMetricIsTheSplitEvaluationAgainstTheRawReferences() throws IOException {
        List<String> lines = new ArrayList<>(List.of("image,caption,split"));
        for (int image = 0; image < 12; image++) {
            String split = image < 9 ? "train" : "dev";
            for (char name = 'a'; name <= 'b'; name++) {
                String caption = image % 3 == 0 ? "a dog named wug" + (char) ('a' + image) + name + " runs on grass"
                        : CAPTIONS[image % 3 * 2];
                lines.add("img" + image + ".jpg," + caption + "," + split);
            }
        }
        Dataset dataset = DatasetLoader.load(Files.write(dir.resolve("rare.csv"), lines));
        TrainingRecipe recipe = TrainingRecipe.load(null, concat(tinyRecipeOverrides(30), List.of("text.minCount=2")));
        FeatureStore features = features(-1);
        Path bundle = dir.resolve("bundle");

        TrainingRun.Result result = new TrainingRun(recipe, dataset, features, dir.resolve("run")).progressBar(false)
                .run(bundle, false, Map.of());

        Vocabulary vocabulary = ModelBundle.read(bundle).vocabulary();
        SplitEvaluation.Outcome raw;
        try (NDManager manager = NDManager.newBaseManager();
             CaptionModel best = CaptionModels.load(dir.resolve("run").resolve(Trainer.BEST_MODEL_DIRECTORY), manager)) {
            raw = new SplitEvaluation(dataset.split(Split.DEV)).run(
                    new FeatureCaptioner(best, features, recipe.decoding().withCount(1), 6, vocabulary::decode));
        }
        // The model learned "a dog named <unk> ...", but decoding says its best real word instead.
        assertThat(raw.captions().values()).isNotEmpty().noneMatch(c -> c.contains("<unk>"));
        assertThat(result.training().bestScore()).isEqualTo(raw.score(CiderDScorer.KEY));
        assertThat(result.devMetrics()).isEqualTo(raw.scores().corpus());
        Map<String, List<String>> throughVocabulary = new LinkedHashMap<>();
        dataset.split(Split.DEV).forEach(image -> throughVocabulary.put(image.imageId(), image.captions().stream()
                .map(caption -> vocabulary.decode(vocabulary.encode(recipe.text().normalizer().tokens(caption), 8)))
                .toList()));
        // Against references with <unk> for the rare names the score would differ: the equalities above are the raw ones.
        double throughUnknown = CocoEvaluator.withTokenizer().evaluate(throughVocabulary, raw.captions())
                .corpus().get(CiderDScorer.KEY);
        assertThat(throughUnknown).isNotEqualTo(raw.score(CiderDScorer.KEY));
    }

    @Test
    void refusesToOverwriteARunUnlessResuming() throws IOException {
        FeatureStore features = features(-1);
        TrainingRun run = new TrainingRun(tinyRecipe(1), dataset(), features, dir.resolve("run")).progressBar(false);
        run.run(dir.resolve("bundle"), false, Map.of());

        assertThatThrownBy(() -> run.run(dir.resolve("bundle"), false, Map.of()))
                .hasMessageContaining("already holds a checkpoint");
        TrainingRun.Result resumed = new TrainingRun(tinyRecipe(2), dataset(), features, dir.resolve("run"))
                .progressBar(false).run(dir.resolve("bundle"), true, Map.of());
        assertThat(resumed.training().epochsCompleted()).isEqualTo(2);
    }

    @Test
    void trainsOnAugmentedViewsAndResumesExactly() throws IOException {
        FeatureStore features = features(-1, 2, MOBILENET_V2_SHA256, "features");
        List<EpochRecord> straight = new TrainingRun(tinyRecipe(2), dataset(), features, dir.resolve("straight"))
                .progressBar(false).run(dir.resolve("bundle-a"), false, Map.of()).training().history();
        TrainingRecipe interrupted = TrainingRecipe.load(null, concat(tinyRecipeOverrides(2), List.of("training.maxSteps=4")));
        new TrainingRun(interrupted, dataset(), features, dir.resolve("resumed")).progressBar(false)
                .run(dir.resolve("bundle-b"), false, Map.of());
        List<EpochRecord> resumed = new TrainingRun(tinyRecipe(2), dataset(), features, dir.resolve("resumed"))
                .progressBar(false).run(dir.resolve("bundle-b"), true, Map.of()).training().history();

        assertThat(resumed).extracting(EpochRecord::trainLoss, EpochRecord::devLoss)
                .isEqualTo(straight.stream().map(r -> org.assertj.core.groups.Tuple.tuple(r.trainLoss(), r.devLoss())).toList());
        Path plainDir = dir.resolve("plain");
        Files.createDirectories(plainDir);
        for (String file : List.of("manifest.json", "index.txt", "features.f16")) {
            Files.copy(dir.resolve("features").resolve(file), plainDir.resolve(file));
        }
        List<EpochRecord> plain = new TrainingRun(tinyRecipe(2), dataset(), FeatureStore.open(plainDir), dir.resolve("plain-run"))
                .progressBar(false).run(dir.resolve("bundle-c"), false, Map.of()).training().history();
        assertThat(plain.get(0).trainLoss()).as("the views were trained on").isNotEqualTo(straight.get(0).trainLoss());
    }

    /** Self-critical fine-tuning of a bundle: its model, vocabulary and text settings, whatever the recipe says. */
    @Test
    void fineTunesABundleSelfCritically() throws IOException {
        FeatureStore features = features(-1);
        new TrainingRun(tinyRecipe(2), dataset(), features, dir.resolve("xe")).progressBar(false)
                .run(dir.resolve("xe-bundle"), false, Map.of());
        List<String> overrides = new ArrayList<>(tinyRecipeOverrides(2));
        overrides.addAll(List.of("model.attentionDim=32", "text.normalizer.lowerCase=false", "training.batchSize=4",
                "training.learningRate=0.001", "training.scst={samples: 3, baseline: MEAN}"));

        TrainingRun.Result result = new TrainingRun(TrainingRecipe.load(null, overrides), dataset(), features,
                dir.resolve("scst")).initFrom(dir.resolve("xe-bundle")).progressBar(false)
                .run(dir.resolve("scst-bundle"), false, Map.of());

        assertThat(result.training().steps()).as("9 train images, 4 a step").isEqualTo(6);
        ModelBundle start = ModelBundle.read(dir.resolve("xe-bundle"));
        ModelBundle tuned = ModelBundle.read(dir.resolve("scst-bundle"));
        assertThat(tuned.modelConfig()).isEqualTo(start.modelConfig());
        assertThat(tuned.vocabulary().size()).isEqualTo(start.vocabulary().size());
        assertThat(tuned.manifest().normalizer()).isEqualTo(start.manifest().normalizer());
        assertThat(tuned.manifest().provenance().get("initFrom")).contains(start.weightsSha256());
        assertThat(tuned.weightsSha256()).isNotEqualTo(start.weightsSha256());
        TrainingRecipe saved = TrainingRecipe.load(dir.resolve("scst").resolve(TrainingRun.RECIPE_FILE), List.of());
        assertThat(saved.model().get("attentionDim").asInt()).as("the bundle's model").isEqualTo(8);
        assertThat(saved.training().scst()).isEqualTo(new ScstConfig(3, ScstConfig.Baseline.MEAN));
        assertThat(Files.readAllLines(dir.resolve("scst").resolve("log.csv")).get(0)).endsWith(",train_reward");
    }

    @Test
    void refusesToFineTuneOnFeaturesOfAnotherBackbone() throws IOException {
        new TrainingRun(tinyRecipe(1), dataset(), features(-1), dir.resolve("xe")).progressBar(false)
                .run(dir.resolve("xe-bundle"), false, Map.of());
        FeatureStore other = features(-1, 0, "a".repeat(64), "other");

        assertThatThrownBy(() -> new TrainingRun(tinyRecipe(1), dataset(), other, dir.resolve("scst"))
                .initFrom(dir.resolve("xe-bundle")).progressBar(false).run(dir.resolve("scst-bundle"), false, Map.of()))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot fine-tune")
                .hasMessageContaining("900a705b");
        assertThat(dir.resolve("scst")).doesNotExist();
    }

    private Dataset datasetOf(String... trainCaptions) throws IOException {
        List<String> lines = new ArrayList<>(List.of("image,caption,split"));
        for (int i = 0; i < trainCaptions.length; i++) {
            lines.add("img" + (i % 12) + ".jpg," + trainCaptions[i] + ",train");
        }
        return DatasetLoader.load(Files.write(dir.resolve("captions.csv"), lines));
    }

    @Test
    void aFileWithoutUsableCaptionsIsBlamedNotTheFeatures() throws IOException {
        Dataset empty = datasetOf("\"\"", "   ", "\"\"");

        assertThatThrownBy(() -> new TrainingRun(tinyRecipe(1), empty, features(-1), dir.resolve("run")).progressBar(false)
                .run(dir.resolve("bundle"), false, Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no usable caption in " + dir.resolve("captions.csv") + "'s train split")
                .hasMessageContaining("3 problem(s) while loading").hasMessageContaining("empty caption for img0.jpg")
                .hasMessageNotContaining("features");
        assertThat(dir.resolve("run")).doesNotExist();
    }

    @Test
    void punctuationOnlyCaptionsAreRefusedBeforeTraining() throws IOException {
        Dataset punctuation = datasetOf("!!!", "...", "?! -", "\";;\"");

        assertThatThrownBy(() -> new TrainingRun(tinyRecipe(1), punctuation, features(-1), dir.resolve("run"))
                .progressBar(false).run(dir.resolve("bundle"), false, Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no usable caption in " + dir.resolve("captions.csv") + "'s train split: none of its 4");
        assertThat(dir.resolve("run")).doesNotExist();
        assertThat(dir.resolve("bundle")).doesNotExist();
    }

    @Test
    void aVocabularyWithoutWordsIsRefusedBeforeTraining() throws IOException {
        TrainingRecipe rareWords = TrainingRecipe.load(null, List.of("text.minCount=50", "training.epochs=1"));

        assertThatThrownBy(() -> new TrainingRun(rareWords, dataset(), features(-1), dir.resolve("run"))
                .progressBar(false).run(dir.resolve("bundle"), false, Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("empty vocabulary: none of the").hasMessageContaining("occurs at least 50 times");
        assertThat(dir.resolve("run")).doesNotExist();
    }
}
