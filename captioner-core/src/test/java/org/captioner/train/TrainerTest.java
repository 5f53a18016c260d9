package org.captioner.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.captioner.decode.CaptionDecoder;
import org.captioner.decode.DecodingOptions;
import org.captioner.decode.GeneratedCaption;
import org.captioner.model.CaptionModel;
import org.captioner.model.CaptionModels;
import org.captioner.model.GeneratedFeatures;
import org.captioner.model.ModelConfig;
import org.captioner.model.ModelFiles;
import org.captioner.model.TinyConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerTest {
    private static final int VOCAB = 14;
    private static final ModelConfig TINY = new ModelConfig(ModelConfig.SHOW_ATTEND_TELL, ModelConfig.GRU, VOCAB, 5, 8,
            16, 32, 16, 0.1);
    /** One distinct caption per image: START, words, END. */
    private static final int[][] CAPTIONS = {
        {1, 4, 5, 6, 7, 2}, {1, 8, 9, 10, 2}, {1, 4, 11, 12, 13, 6, 2}, {1, 10, 5, 2},
    };
    private final GeneratedFeatures features = new GeneratedFeatures(5, 8, CAPTIONS.length, 11);

    /** Every family at the sizes of {@link #TINY}. */
    static List<ModelConfig> families() {
        return TinyConfigs.all(VOCAB, 5, 8, 16, 32, 0.1);
    }

    @ParameterizedTest
    @MethodSource("families")
    void tinyModelOverfitsItsCaptionsAndGreedyDecodesThem(ModelConfig family, @TempDir Path run) throws Exception {
        // Epochs to get the training loss (dropout on) below 0.05: the transformer's dropout sits on every
        // sub-layer, and the merge model sees the image only through one addition at the output.
        int epochs = switch (family.family()) {
            case ModelConfig.TRANSFORMER -> 30;
            case ModelConfig.SHOW_AND_TELL -> 50;
            default -> 20;
        };
        TrainingConfig config = TrainingConfig.builder().optEpochs(epochs).optBatchSize(8).optLearningRate(1e-2)
                .optWarmupSteps(0).optDecay(1.0).optAttentionRegularization(0).optLabelSmoothing(0).optPatience(0)
                .build();
        List<TrainingExample> examples = new ArrayList<>();
        for (int copy = 0; copy < 6; copy++) {
            examples.addAll(examples());
        }
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(family, root, 1)) {
            TrainingResult result = new Trainer(model, features, examples, devImages(), config, run)
                    .progressBar(false).train();
            EpochRecord last = result.history().get(result.history().size() - 1);
            // Dropout on the pooled image keeps the merge model's training loss noisier (0.04-0.07 at the end).
            assertThat(last.trainLoss()).isLessThan(ModelConfig.SHOW_AND_TELL.equals(family.family()) ? 0.08 : 0.05);
            assertThat(last.devLoss()).isLessThan(0.05);
            assertThat(result.bestScore()).isEqualTo(1.0);

            List<List<GeneratedCaption>> decoded = CaptionDecoder.decode(model, features, ids(), DecodingOptions.greedy(10), 3);
            for (int i = 0; i < CAPTIONS.length; i++) {
                int[] words = Arrays.copyOfRange(CAPTIONS[i], 1, CAPTIONS[i].length - 1);
                assertThat(decoded.get(i).get(0).tokens()).as("image %d", i).containsExactly(words);
            }
            assertThat(Files.readAllLines(run.resolve(TrainingLog.CSV_FILE))).hasSize(epochs + 1)
                    .first().isEqualTo("epoch,step,train_loss,dev_loss,dev_metric,lr,seconds");
            assertThat(run.resolve(TrainingLog.PLOT_FILE)).isNotEmptyFile();
            assertThat(run.resolve(Trainer.BEST_MODEL_DIRECTORY).resolve(ModelFiles.WEIGHTS_FILE)).isNotEmptyFile();
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void resumingAnInterruptedRunEndsWithTheSameWeights(ModelConfig family, @TempDir Path runs) throws Exception {
        // Three batches per epoch (the last one short), dropout on, attention penalty, smoothing and averaging on.
        TrainingConfig config = TrainingConfig.builder().optEpochs(3).optBatchSize(3).optLearningRate(5e-3).optWarmupSteps(2)
                .optDecay(0.9).optAttentionRegularization(0.5).optLabelSmoothing(0.1).optPatience(0)
                .optWeightAveraging(0.9).build();
        List<TrainingExample> examples = new ArrayList<>(examples());
        examples.addAll(examples().subList(0, 3));

        Map<String, float[]> uninterrupted;
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(family, root, 5)) {
            new Trainer(model, features, examples, devImages(), config, runs.resolve("a")).progressBar(false).train();
            uninterrupted = weights(model);
        }
        try (NDManager root = NDManager.newBaseManager()) {
            try (CaptionModel model = CaptionModels.create(family, root, 5)) {
                TrainingResult stopped = new Trainer(model, features, examples, devImages(),
                        config.toBuilder().optMaxSteps(4).build(), runs.resolve("b")).progressBar(false).train();
                assertThat(stopped.finished()).isFalse();
                assertThat(stopped.steps()).isEqualTo(4);
            }
            // A fresh process would build the model from a different seed: the checkpoint must overwrite it all.
            try (CaptionModel model = CaptionModels.create(family, root, 99)) {
                TrainingResult resumed = new Trainer(model, features, examples, devImages(), config, runs.resolve("b"))
                        .progressBar(false).resume();
                assertThat(resumed.finished()).isTrue();
                assertThat(resumed.steps()).isEqualTo(9);
                assertThat(resumed.history()).hasSize(3);
                Map<String, float[]> after = weights(model);
                assertThat(after.keySet()).containsExactlyElementsOf(uninterrupted.keySet());
                for (String name : after.keySet()) {
                    assertThat(after.get(name)).as(name).containsExactly(uninterrupted.get(name));
                }
            }
        }
        assertThat(Files.readString(runs.resolve("b").resolve(TrainingLog.CSV_FILE)).lines().count()).isEqualTo(4);
        Path bestWeights = Path.of(Trainer.BEST_MODEL_DIRECTORY, ModelFiles.WEIGHTS_FILE);
        assertThat(Files.mismatch(runs.resolve("a").resolve(bestWeights), runs.resolve("b").resolve(bestWeights)))
                .as("the saved (averaged) model").isEqualTo(-1L);
    }

    /**
     * Autograd keeps the constants a step multiplies by until the backward pass. DJL's {@code mul(Number)} freed
     * them at once, so a garbage collection in between changed the gradients: under load, runs and resumed runs
     * ended with different weights.
     */
    @ParameterizedTest
    @MethodSource("families")
    void trainingDoesNotDependOnWhenTheGarbageCollectorRuns(ModelConfig family, @TempDir Path runs) throws Exception {
        TrainingConfig config = TrainingConfig.builder().optEpochs(2).optBatchSize(2).optAttentionRegularization(0.5)
                .optLabelSmoothing(0.1).optPatience(0).build();
        Map<String, float[]> quiet = trainedWeights(family, config, runs.resolve("quiet"));
        Map<String, float[]> collected = whileCollectingGarbage(() -> trainedWeights(family, config, runs.resolve("gc")));
        for (String name : quiet.keySet()) {
            assertThat(collected.get(name)).as(name).containsExactly(quiet.get(name));
        }
    }

    private Map<String, float[]> trainedWeights(ModelConfig family, TrainingConfig config, Path run) throws Exception {
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(family, root, 5)) {
            new Trainer(model, features, examples(), devImages(), config, run).progressBar(false).train();
            return weights(model);
        }
    }

    private static <T> T whileCollectingGarbage(Callable<T> work) throws Exception {
        Thread collector = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                LockSupport.parkNanos(2_000_000);
            }
        }, "garbage-collector");
        collector.setDaemon(true);
        collector.start();
        try {
            return work.call();
        } finally {
            collector.interrupt();
            collector.join();
        }
    }

    /** GloVe vectors (frozen unless trainable) through a run, checkpoint and resume: Adam must leave frozen ones alone. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void pretrainedEmbeddingsStayFrozenUnlessTrainable(boolean trainable, @TempDir Path run) throws Exception {
        // Ids 4..13 are the words w4..w13 (each seen once, so in id order).
        List<List<String>> words = new ArrayList<>();
        for (int id = 4; id < VOCAB; id++) {
            words.add(List.of("w" + id));
        }
        org.captioner.text.Vocabulary vocabulary = org.captioner.text.Vocabulary.build(words, 0, 1);
        StringBuilder glove = new StringBuilder();
        java.util.Random random = new java.util.Random(3);
        for (int id = 4; id < VOCAB - 2; id++) { // w12 and w13 are missing
            glove.append("w").append(id);
            for (int i = 0; i < 16; i++) {
                glove.append(' ').append(random.nextGaussian() * 0.3);
            }
            glove.append('\n');
        }
        Path file = Files.writeString(run.resolve("glove.txt"), glove);
        ModelConfig config = families().get(2).withEmbeddings(new ModelConfig.PretrainedEmbeddings(file.toString(), trainable));
        TrainingConfig train = TrainingConfig.builder().optEpochs(2).optBatchSize(3).optPatience(0).build();
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(config, root, 1, vocabulary)) {
            Map<String, float[]> before = weights(model);
            TrainingConfig stopEarly = train.toBuilder().optMaxSteps(3).build();
            new Trainer(model, features, examples(), devImages(), stopEarly, run.resolve("a")).progressBar(false).train();
            // Resuming restores Adam's moments of the trainable tensors only.
            new Trainer(model, features, examples(), devImages(), train, run.resolve("a")).progressBar(false).resume();
            Map<String, float[]> after = weights(model);
            if (trainable) {
                assertThat(after.get(CaptionModels.EMBEDDING)).isNotEqualTo(before.get(CaptionModels.EMBEDDING));
            } else {
                assertThat(after.get(CaptionModels.EMBEDDING)).containsExactly(before.get(CaptionModels.EMBEDDING));
            }
            assertThat(after.get("vocabulary.weight")).isNotEqualTo(before.get("vocabulary.weight"));
        }
    }

    @Test
    void scoresDevCaptionsMadeWithTheSelectionDecoding(@TempDir Path runs) throws Exception {
        List<Integer> longestCaption = new ArrayList<>();
        DevScorer recording = captioner -> {
            longestCaption.add(captioner.caption(ids()).values().stream().mapToInt(c -> c.isBlank() ? 0 : c.split(" ").length)
                    .max().orElse(0));
            return 0.5;
        };
        TrainingConfig config = TrainingConfig.builder().optEpochs(1).optBatchSize(4).build();
        try (NDManager root = NDManager.newBaseManager()) {
            try (CaptionModel model = CaptionModels.create(TINY, root, 1)) {
                new Trainer(model, features, examples(), devImages(), config, runs.resolve("greedy"))
                        .scorer(recording).progressBar(false).train();
            }
            try (CaptionModel model = CaptionModels.create(TINY, root, 1)) {
                new Trainer(model, features, examples(), devImages(), config, runs.resolve("beam"))
                        .scorer(recording).selectionDecoding(DecodingOptions.beam(2, 1)).progressBar(false).train();
            }
        }
        // Same weights after one epoch: only the decoding differs (greedy runs to 21 tokens, this beam to 1).
        assertThat(longestCaption.get(0)).isGreaterThan(1);
        assertThat(longestCaption.get(1)).isEqualTo(1);
    }

    @Test
    void stopsWhenTheDevMetricStopsImprovingAndKeepsTheBestEpoch(@TempDir Path run) throws Exception {
        double[] scores = {0.2, 0.5, 0.4, 0.5, 0.3, 0.9};
        int[] evaluations = {0};
        DevScorer scripted = captioner -> scores[evaluations[0]++];
        TrainingConfig config = TrainingConfig.builder().optEpochs(6).optBatchSize(4).optPatience(3).build();
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(TINY, root, 1)) {
            TrainingResult result = new Trainer(model, features, examples(), devImages(), config, run)
                    .scorer(scripted).progressBar(false).train();
            assertThat(result.stoppedEarly()).isTrue();
            assertThat(result.epochsCompleted()).isEqualTo(5);
            assertThat(result.bestEpoch()).isEqualTo(2);
            assertThat(result.bestScore()).isEqualTo(0.5);
            assertThat(result.bestModel()).isEqualTo(run.resolve(Trainer.BEST_MODEL_DIRECTORY));
            assertThat(ModelFiles.readConfig(result.bestModel())).isEqualTo(TINY);

            TrainingResult resumed = new Trainer(model, features, examples(), devImages(), config, run)
                    .scorer(scripted).progressBar(false).resume();
            assertThat(resumed.stoppedEarly()).isTrue();
            assertThat(resumed.steps()).isEqualTo(result.steps());
        }
    }

    @Test
    void refusesToResumeWithSettingsThatChangeTheRunAndToTrainOnMissingFeatures(@TempDir Path run) throws Exception {
        TrainingConfig config = TrainingConfig.builder().optEpochs(2).optBatchSize(4).optMaxSteps(1).build();
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(TINY, root, 1)) {
            new Trainer(model, features, examples(), devImages(), config, run).progressBar(false).train();
            Trainer changed = new Trainer(model, features, examples(), devImages(),
                    config.toBuilder().optLearningRate(1e-3).optWarmupSteps(0).optDecay(1.0).build(), run);
            assertThatThrownBy(changed::resume).isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("would not continue the same run");
            // More epochs and other stopping rules are fine.
            TrainingResult longer = new Trainer(model, features, examples(), devImages(),
                    config.toBuilder().optEpochs(3).optMaxSteps(0).build(), run).progressBar(false).resume();
            assertThat(longer.epochsCompleted()).isEqualTo(3);

            List<TrainingExample> unknown = List.of(new TrainingExample("missing.jpg", CAPTIONS[0]));
            assertThatThrownBy(() -> new Trainer(model, features, unknown, devImages(), config, run))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.jpg");
        }
    }

    /** libtorch's grad mode is per thread and on by default: servers and CLIs may train, load or decode anywhere. */
    @Test
    void trainsLoadsAndDecodesOnAFreshThread(@TempDir Path run) throws Exception {
        TrainingConfig config = TrainingConfig.builder().optEpochs(2).optBatchSize(4).build();
        Engine.getInstance(); // initialized here, the engine turns grad mode off for this thread only
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(() -> {
            try (NDManager root = NDManager.newBaseManager();
                 CaptionModel model = CaptionModels.create(TINY, root, 1)) {
                TrainingResult result = new Trainer(model, features, examples(), devImages(), config, run)
                        .progressBar(false).train();
                try (CaptionModel best = CaptionModels.load(result.bestModel(), root)) {
                    assertThat(CaptionDecoder.decode(best, features, ids(), DecodingOptions.beam(2, 5), 4)).hasSize(4);
                }
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        worker.start();
        worker.join();
        assertThat(failure[0]).isNull();
    }

    static Map<String, float[]> weights(CaptionModel model) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> p : model.parameters().tensors().entrySet()) {
            copy.put(p.getKey(), p.getValue().toFloatArray());
        }
        return copy;
    }

    private static List<TrainingExample> examples() {
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < CAPTIONS.length; i++) {
            examples.add(new TrainingExample(GeneratedFeatures.id(i), CAPTIONS[i]));
        }
        return examples;
    }

    private static List<DevImage> devImages() {
        List<DevImage> dev = new ArrayList<>();
        for (int i = 0; i < CAPTIONS.length; i++) {
            dev.add(new DevImage(GeneratedFeatures.id(i), List.of(CAPTIONS[i])));
        }
        return dev;
    }

    private List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CAPTIONS.length; i++) {
            ids.add(GeneratedFeatures.id(i));
        }
        return ids;
    }
}
