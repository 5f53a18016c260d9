package org.captioner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.captioner.decode.DecodingOptions;
import org.captioner.features.FeatureSource;
import org.captioner.model.CaptionModel;
import org.captioner.model.Dropout;
import org.captioner.engine.NoGradient;
import org.captioner.features.RegionBatch;
import org.captioner.model.TeacherForcedOutput;
import org.captioner.model.WeightPrecision;
import org.captioner.text.SpecialTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Teacher-forced training (or, with {@link TrainingConfig#scst()}, self-critical training) with Adam, warm-up and decay, clipping, per-epoch dev loss and metric, early stopping,
 * best-model keeping and exact resumption.
 *
 * <p>Reproducibility: the batch order of an epoch and the view of each image it trains on ({@link TrainingViews}) are
 * pure functions of (seed, epoch), and dropout is reseeded
 * from (seed, step) before every step, so a run resumed from any checkpoint ends with the same weights as one
 * that never stopped.
 *
 * <p>Run directory: {@code checkpoint.bin} (latest), {@code best/} (best model), {@code log.csv}, {@code loss.png}.
 */
public final class Trainer {
    public static final String BEST_MODEL_DIRECTORY = "best";
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final int SAMPLE_IMAGES = 3;
    private static final int MAX_SKIPPED_IN_A_ROW = 20;

    private final CaptionModel model;
    private final FeatureSource features;
    private final List<TrainingExample> examples;
    /** The distinct images of the examples, in order: what self-critical batches are made of. */
    private final List<String> images;
    private final List<DevImage> dev;
    private final TrainingConfig config;
    private final Path runDirectory;
    private DevScorer scorer;
    private Function<int[], String> detokenizer = Trainer::joinIds;
    private boolean progressBar = true;
    private DecodingOptions selectionDecoding;
    private BooleanSupplier stopRequested = () -> false;
    private TrainingViews views = TrainingViews.NONE;
    private int skippedInARow;

    public Trainer(CaptionModel model, FeatureSource features, List<TrainingExample> examples, List<DevImage> dev,
                   TrainingConfig config, Path runDirectory) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        if (features.regions() != model.config().regions()
                || features.channels() != model.config().featureChannels()) {
            throw new IllegalArgumentException("features are " + features.regions() + "x" + features.channels()
                    + ", the model expects " + model.config().regions() + "x" + model.config().featureChannels());
        }
        requireFeatures(features, examples.stream().map(TrainingExample::imageId), "training");
        requireFeatures(features, dev.stream().map(DevImage::imageId), "dev");
        this.model = model;
        this.features = features;
        this.examples = List.copyOf(examples);
        this.images = examples.stream().map(TrainingExample::imageId).distinct().toList();
        this.dev = List.copyOf(dev);
        this.config = config;
        this.runDirectory = runDirectory;
    }

    /** Fails now rather than an hour into the run. */
    private static void requireFeatures(FeatureSource features, Stream<String> imageIds, String split) {
        List<String> missing = imageIds.distinct().filter(id -> !features.contains(id)).collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(missing.size() + " " + split + " images have no features, e.g. "
                    + missing.subList(0, Math.min(3, missing.size())));
        }
    }

    /**
     * The dev metric to select and early-stop on. The default, unigram F1 against the encoded references (through the
     * {@link #detokenizer}), stands in when there is no text; {@link TrainingRun} scores CIDEr-D against the raw
     * references instead.
     */
    public Trainer scorer(DevScorer devScorer) {
        this.scorer = devScorer;
        return this;
    }

    /**
     * How dev captions are decoded for the metric (default: greedy). Selecting with the decoding the model will
     * ship with picks the epoch that captions best that way; greedy and beam rankings of epochs differ.
     */
    public Trainer selectionDecoding(DecodingOptions options) {
        this.selectionDecoding = options;
        return this;
    }

    /** Turns word ids (no START/END/PAD) into the text the scorer compares (default: ids joined by spaces). */
    public Trainer detokenizer(Function<int[], String> words) {
        this.detokenizer = words;
        return this;
    }

    /**
     * Asked before every step; once true, training saves a checkpoint and throws {@link TrainingStoppedException}.
     * Lets a shutdown hook stop the run between steps instead of the JVM exiting under libtorch's threads.
     */
    public Trainer stopWhen(BooleanSupplier stop) {
        this.stopRequested = stop;
        return this;
    }

    /** The augmented views of the training images to draw from each epoch (default none: the plain pictures). */
    Trainer views(TrainingViews trainingViews) {
        this.views = trainingViews;
        return this;
    }

    /** Whether to draw a progress bar on stderr (default yes). */
    public Trainer progressBar(boolean show) {
        this.progressBar = show;
        return this;
    }

    /** Trains from the model's current weights, overwriting any checkpoint in the run directory. */
    public TrainingResult train() throws IOException {
        try (Adam optimizer = new Adam(model.parameters(), model.manager(), config.weightAveraging())) {
            return run(optimizer, new TrainingProgress());
        }
    }

    /** Continues the run whose checkpoint is in the run directory, exactly where it stopped. */
    public TrainingResult resume() throws IOException {
        try (Adam optimizer = new Adam(model.parameters(), model.manager(), config.weightAveraging())) {
            TrainingProgress progress = Checkpoint.load(runDirectory, config, model, optimizer);
            LOG.info("resuming at epoch {} batch {} (step {})", progress.epoch + 1, progress.batchInEpoch,
                    progress.globalStep);
            return run(optimizer, progress);
        }
    }

    /** Trains if the run directory has no checkpoint, resumes otherwise. */
    public TrainingResult trainOrResume() throws IOException {
        return Checkpoint.exists(runDirectory) ? resume() : train();
    }

    private TrainingResult run(Adam optimizer, TrainingProgress progress) throws IOException {
        long started = System.nanoTime();
        double secondsBefore = progress.seconds;
        Runnable clock = () -> progress.seconds = secondsBefore + (System.nanoTime() - started) / 1e9;
        // A resumed run whose patience had already run out stays stopped.
        boolean stoppedEarly = config.patience() > 0 && progress.evaluationsWithoutImprovement >= config.patience();
        try (BatchStep batchStep = batchStep(optimizer)) {
            return run(optimizer, progress, batchStep, clock, stoppedEarly);
        }
    }

    /** The epochs from {@code progress} on, with {@code batchStep}; {@code clock} brings the run's seconds up to date. */
    private TrainingResult run(Adam optimizer, TrainingProgress progress, BatchStep batchStep, Runnable clock,
                               boolean stoppedBefore) throws IOException {
        int batches = stepsPerEpoch();
        boolean stoppedEarly = stoppedBefore;
        while (progress.epoch < config.epochs() && !stoppedEarly) {
            List<int[]> epochBatches = epochBatches(progress.epoch);
            // Self-critical steps train on the plain images; only cross-entropy draws the epoch's views.
            List<TrainingExample> epochExamples = config.scst() == null ? views.forEpoch(examples, progress.epoch) : examples;
            try (ProgressBar bar = progressBar(progress)) {
                while (progress.batchInEpoch < batches) {
                    boolean stop = stopRequested.getAsBoolean();
                    if (stop || (config.maxSteps() > 0 && progress.globalStep >= config.maxSteps())) {
                        clock.run();
                        Checkpoint.save(runDirectory, config, model, optimizer, progress);
                        if (stop) {
                            throw new TrainingStoppedException(runDirectory, progress.globalStep);
                        }
                        return result(progress, false, false);
                    }
                    int[] batch = epochBatches.get(progress.batchInEpoch);
                    int[] next = progress.batchInEpoch + 1 < batches ? epochBatches.get(progress.batchInEpoch + 1) : null;
                    double learningRate = config.learningRateAt(progress.globalStep, batches);
                    TrainingStep.Outcome outcome = trainStep(batchStep, epochExamples, batch, next,
                            progress.globalStep, learningRate);
                    if (outcome != null) { // null: the step was skipped
                        progress.epochLossSum += outcome.loss();
                        progress.epochRewardSum += outcome.reward();
                        progress.epochLossSteps++;
                    }
                    progress.batchInEpoch++;
                    progress.globalStep++;
                    if (bar != null) {
                        bar.stepTo(progress.batchInEpoch);
                        bar.setExtraMessage(config.scst() == null
                                ? String.format(Locale.ROOT, " loss %.3f lr %.1e",
                                        progress.epochLossSum / progress.epochLossSteps, learningRate)
                                : String.format(Locale.ROOT, " reward %.3f lr %.1e",
                                        progress.epochRewardSum / progress.epochLossSteps, learningRate));
                    }
                    if (config.checkpointEvery() > 0 && progress.globalStep % config.checkpointEvery() == 0) {
                        clock.run();
                        Checkpoint.save(runDirectory, config, model, optimizer, progress);
                    }
                }
            }
            clock.run();
            try (Adam.Restorer raw = optimizer.averagedWeights()) { // evaluated and kept; training goes on from the raw ones
                stoppedEarly = endEpoch(progress, batches);
            }
            progress.epoch++;
            progress.batchInEpoch = 0;
            progress.epochLossSum = 0;
            progress.epochLossSteps = 0;
            progress.epochRewardSum = 0;
            clock.run();
            Checkpoint.save(runDirectory, config, model, optimizer, progress);
        }
        return result(progress, stoppedEarly, true);
    }

    /** Dev loss, dev metric, best model, log; returns whether patience ran out. */
    private boolean endEpoch(TrainingProgress progress, int batches) throws IOException {
        int epoch = progress.epoch + 1;
        double trainLoss = progress.epochLossSum / Math.max(1, progress.epochLossSteps);
        Double trainReward = config.scst() == null ? null : progress.epochRewardSum / Math.max(1, progress.epochLossSteps);
        double devLoss = dev.isEmpty() ? Double.NaN : devLoss();
        Double metric = null;
        boolean patienceOut = false;
        if (!dev.isEmpty() && epoch % config.evalEvery() == 0) {
            metric = devMetric();
            if (progress.bestScore == null || metric > progress.bestScore) {
                progress.bestScore = metric;
                progress.bestEpoch = epoch;
                progress.evaluationsWithoutImprovement = 0;
                model.save(runDirectory.resolve(BEST_MODEL_DIRECTORY), WeightPrecision.FLOAT32);
            } else {
                progress.evaluationsWithoutImprovement++;
                patienceOut = config.patience() > 0 && progress.evaluationsWithoutImprovement >= config.patience();
            }
        }
        double learningRate = config.learningRateAt(Math.max(0, progress.globalStep - 1), batches);
        progress.history.add(new EpochRecord(epoch, progress.globalStep, trainLoss, devLoss, metric, learningRate,
                progress.seconds, trainReward));
        TrainingLog.write(runDirectory, progress.history);
        LOG.info(String.format(Locale.ROOT, "epoch %d: train %s, dev loss %.4f, dev metric %s (best %s, epoch %d)",
                epoch, trainReward == null ? String.format(Locale.ROOT, "loss %.4f", trainLoss)
                        : String.format(Locale.ROOT, "reward %.4f", trainReward), devLoss, metric == null ? "-" : String.format(Locale.ROOT, "%.4f", metric),
                progress.bestScore == null ? "-" : String.format(Locale.ROOT, "%.4f", progress.bestScore),
                progress.bestEpoch));
        if (patienceOut) {
            LOG.info("no dev improvement in {} evaluations: stopping", progress.evaluationsWithoutImprovement);
        }
        return patienceOut;
    }

    /**
     * One optimization step on the batch {@code batch} of the epoch's order (caption or image indices); {@code next}
     * is the batch of the following step in this epoch (null: none), which it may read ahead.
     */
    @FunctionalInterface
    private interface BatchStep extends AutoCloseable {
        TrainingStep.Outcome run(List<TrainingExample> epochExamples, int[] batch, int[] next, long step,
                                 double learningRate);

        /** Ends what the step holds between batches (a reading thread). */
        @Override
        default void close() {
        }
    }

    /**
     * Cross-entropy on batches of the epoch's captions (each image's view of the epoch), or self-critical training on
     * batches of the plain images.
     */
    private BatchStep batchStep(Adam optimizer) {
        if (config.scst() == null) {
            TrainingStep step = new TrainingStep(model, features, config, optimizer, StepPhases.NONE);
            return new BatchStep() {
                @Override
                public TrainingStep.Outcome run(List<TrainingExample> epochExamples, int[] batch, int[] next, long index,
                                                double learningRate) {
                    return step.run(examplesOf(epochExamples, batch), next == null ? null : examplesOf(epochExamples, next),
                            index, learningRate);
                }

                @Override
                public void close() {
                    step.close();
                }
            };
        }
        SelfCriticalStep step = new SelfCriticalStep(model, features, config, optimizer, examples);
        // Sampling dominates a self-critical step; its features are read on the spot.
        return (epochExamples, batch, next, index, learningRate) -> step.run(
                Arrays.stream(batch).mapToObj(images::get).toList(), index, learningRate);
    }

    private static List<TrainingExample> examplesOf(List<TrainingExample> epochExamples, int[] batch) {
        return Arrays.stream(batch).mapToObj(epochExamples::get).toList();
    }

    /** @return null when the gradient was not finite and the update skipped */
    private TrainingStep.Outcome trainStep(BatchStep batchStep, List<TrainingExample> epochExamples, int[] batch,
                                           int[] next, long step, double learningRate) {
        TrainingStep.Outcome outcome = batchStep.run(epochExamples, batch, next, step, learningRate);
        if (!Double.isFinite(outcome.gradientNorm())) {
            skippedInARow++;
            LOG.warn("step {}: gradient norm {}, update skipped", step, outcome.gradientNorm());
            if (skippedInARow >= MAX_SKIPPED_IN_A_ROW) {
                throw new IllegalStateException("training diverged: " + skippedInARow + " steps in a row had a gradient"
                        + " that is not finite (step " + step + "); lower training.learningRate or raise warmupSteps");
            }
            return null;
        }
        skippedInARow = 0;
        return outcome;
    }

    /** Mean per-token cross-entropy of the dev references, without dropout (label smoothing off). */
    private double devLoss() {
        List<TrainingExample> references = new ArrayList<>();
        for (DevImage image : dev) {
            for (int[] reference : image.references()) {
                references.add(new TrainingExample(image.imageId(), reference));
            }
        }
        // Order does not change the mean; similar lengths in a batch avoid padded recurrent steps.
        references.sort(Comparator.comparingInt(r -> r.tokens().length));
        double weightedSum = 0;
        long tokens = 0;
        for (int from = 0; from < references.size(); from += config.batchSize()) {
            List<TrainingExample> chosen = references.subList(from, Math.min(references.size(), from + config.batchSize()));
            try (NoGradient noGradient = NoGradient.scope();
                 NDManager manager = model.manager().newSubManager(); NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray regions = RegionBatch.load(manager, features,
                        chosen.stream().map(TrainingExample::imageId).collect(Collectors.toList()));
                TokenBatch batch = TokenBatch.of(manager, chosen.stream().map(TrainingExample::tokens)
                        .collect(Collectors.toList()), config.maxLength());
                TeacherForcedOutput output = model.teacherForced(regions, batch.inputs(), Dropout.OFF);
                long count = (long) MaskedLoss.tokenMask(batch.targets()).sum().getFloat();
                weightedSum += MaskedLoss.crossEntropy(output.logits(), batch.targets(), 0).getFloat() * count;
                tokens += count;
            }
        }
        return weightedSum / Math.max(1, tokens);
    }

    /** Scores the dev captions made with the {@link #selectionDecoding}; logs a few fixed images' captions. */
    private double devMetric() throws IOException {
        DecodingOptions options = selectionDecoding != null ? selectionDecoding : DecodingOptions.greedy(config.maxLength() - 1);
        FeatureCaptioner captioner = new FeatureCaptioner(model, features, options, config.batchSize(), detokenizer);
        DevScorer metric = scorer != null ? scorer : DevScorer.unigramF1(encodedReferences());
        return metric.score(imageIds -> {
            Map<String, String> captions = captioner.caption(imageIds);
            imageIds.stream().limit(SAMPLE_IMAGES).forEach(id -> LOG.info("dev {}: {}", id, captions.get(id)));
            return captions;
        });
    }

    private TrainingResult result(TrainingProgress progress, boolean stoppedEarly, boolean finished) {
        Path best = progress.bestScore == null ? null : runDirectory.resolve(BEST_MODEL_DIRECTORY);
        return new TrainingResult(progress.globalStep, progress.epoch, progress.bestScore, progress.bestEpoch,
                stoppedEarly, finished, best, List.copyOf(progress.history));
    }

    private int stepsPerEpoch() {
        int units = config.scst() == null ? examples.size() : images.size();
        return (units + config.batchSize() - 1) / config.batchSize();
    }

    /**
     * The epoch's batches of caption indices (of image indices in self-critical training, where every image has the
     * same cost); a pure function of (seed, epoch), so resuming can skip the finished ones.
     */
    private List<int[]> epochBatches(int epoch) {
        int[] lengths = config.scst() != null ? new int[images.size()]
                : examples.stream().mapToInt(e -> Math.min(e.tokens().length, config.maxLength())).toArray();
        return EpochBatches.of(lengths, config.batchSize(), config.seed(), epoch);
    }

    private ProgressBar progressBar(TrainingProgress progress) {
        if (!progressBar) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", progress.epoch + 1, config.epochs()))
                .setInitialMax(stepsPerEpoch())
                .startsFrom(progress.batchInEpoch, Duration.ZERO)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUnit(" steps", 1)
                .setMaxRenderedLength(160)
                .showSpeed()
                .build();
    }

    private Map<String, List<String>> encodedReferences() {
        Map<String, List<String>> references = new LinkedHashMap<>();
        dev.forEach(image -> references.put(image.imageId(),
                image.references().stream().map(reference -> detokenizer.apply(wordsOf(reference))).toList()));
        return references;
    }

    private static int[] wordsOf(int[] caption) {
        return Arrays.stream(caption).filter(t -> t >= SpecialTokens.COUNT || t == SpecialTokens.UNKNOWN).toArray();
    }

    private static String joinIds(int[] words) {
        return Arrays.stream(words).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }
}
