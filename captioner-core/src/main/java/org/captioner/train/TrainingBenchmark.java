package org.captioner.train;

import ai.djl.ndarray.NDManager;
import org.captioner.engine.MatmulPrecision;
import org.captioner.engine.TorchThreads;
import org.captioner.features.FeatureSource;
import org.captioner.features.RandomFeatures;
import org.captioner.model.CaptionModel;
import org.captioner.model.CaptionModels;
import org.captioner.model.ModelConfig;
import org.captioner.text.SpecialTokens;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Training speed on the reference workload, with no data needed: a model of the given family at its default sizes,
 * 49 x 1,280 region features (MobileNetV2's grid), a vocabulary of 5,000, batches of 64 random captions of 10-22
 * tokens grouped by length as training groups them, the default training settings. It times the very step
 * {@link Trainer} runs (waiting for the batch read ahead, forward, loss, backward, Adam), after a few untimed steps,
 * and where the time went.
 */
public final class TrainingBenchmark {
    private static final int REGIONS = 49;
    private static final int CHANNELS = 1280;
    private static final int VOCABULARY = 5000;
    private static final int BATCH = 64;
    private static final int IMAGES = 256;
    private static final int WARMUP_STEPS = 3;
    private static final int SHORTEST_CAPTION = 10;
    private static final int LONGEST_CAPTION = 22;
    /**
     * The environment that decides what freed tensor memory costs the next step: glibc keeping it (the launcher sets
     * the first two for training), libtorch's huge pages (bench/README.md, "Training speed").
     */
    private static final List<String> MEMORY_SETTINGS =
            List.of("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "THP_MEM_ALLOC_ENABLE");

    private TrainingBenchmark() {
    }

    /** The reference configuration of {@code family}: its documented default sizes at the workload's shapes. */
    static ModelConfig referenceConfig(String family) {
        return switch (family) {
            case ModelConfig.SHOW_ATTEND_TELL -> ModelConfig.showAttendTell(VOCABULARY, REGIONS, CHANNELS);
            case ModelConfig.TRANSFORMER -> ModelConfig.transformer(VOCABULARY, REGIONS, CHANNELS);
            case ModelConfig.SHOW_AND_TELL -> ModelConfig.showAndTell(VOCABULARY, REGIONS, CHANNELS);
            default -> throw new IllegalArgumentException("unknown model family '" + family + "'; expected "
                    + ModelConfig.SHOW_ATTEND_TELL + ", " + ModelConfig.TRANSFORMER + " or " + ModelConfig.SHOW_AND_TELL);
        };
    }

    /**
     * Runs {@code steps} timed steps of {@code family} with products in {@code precision} and batches in
     * {@code batchParts} parts, printing the figures to {@code out}.
     */
    public static void run(String family, int steps, MatmulPrecision precision, int batchParts, PrintWriter out) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        ModelConfig config = referenceConfig(family);
        TrainingConfig training = TrainingConfig.builder().optBatchSize(BATCH).optPrecision(precision)
                .optBatchParts(batchParts).build();
        FeatureSource features = new RandomFeatures(REGIONS, CHANNELS, IMAGES, 1);
        List<TrainingExample> examples = randomExamples((WARMUP_STEPS + steps) * BATCH);
        List<List<TrainingExample>> batches = batches(examples, training);
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(config, root, training.seed());
             Adam optimizer = new Adam(model.parameters(), model.manager(), training.weightAveraging())) {
            out.printf(Locale.ROOT, "%s (%s), %,d parameters, %d libtorch threads, %d batch parts, %s products, %s, "
                            + "batch %d, %d steps after %d untimed%n", family, config.rnn(), model.parameters().count(),
                    TorchThreads.get(), training.batchParts(), precision.name().toLowerCase(Locale.ROOT),
                    MEMORY_SETTINGS.stream().map(name -> name + "=" + Objects.requireNonNullElse(System.getenv(name), "unset"))
                            .collect(Collectors.joining(" ")),
                    BATCH, steps, WARMUP_STEPS);
            out.flush();
            StepPhases phases = StepPhases.measuring();
            try (TrainingStep step = new TrainingStep(model, features, training, optimizer, phases)) {
                runSteps(step, batches, 0, WARMUP_STEPS, training);
                phases.clear(); // the warm-up read the first timed batch ahead, as any step reads the next
                runSteps(step, batches, WARMUP_STEPS, steps, training);
            }
            report(phases, steps, out);
        }
    }

    private static void runSteps(TrainingStep step, List<List<TrainingExample>> batches, int from, int count,
                                 TrainingConfig training) {
        for (int i = from; i < from + count; i++) {
            List<TrainingExample> next = i + 1 < batches.size() ? batches.get(i + 1) : null;
            step.run(batches.get(i), next, i, training.learningRateAt(i, batches.size()));
        }
    }

    private static void report(StepPhases phases, int steps, PrintWriter out) {
        long wall = 0;
        long cpu = 0;
        StringBuilder where = new StringBuilder();
        for (StepPhases.Phase phase : StepPhases.Phase.values()) {
            wall += phases.wallNanos(phase);
            cpu += phases.cpuNanos(phase);
            where.append(String.format(Locale.ROOT, "%s%s %.1f / %.1f", where.isEmpty() ? "" : ", ",
                    phase.label, phases.wallNanos(phase) / 1e6 / steps,
                    phases.cpuNanos(phase) / 1e6 / steps));
        }
        double millis = wall / 1e6 / steps;
        out.printf(Locale.ROOT, "training: %.1f ms per step (%.2f steps/s, %.0f captions/s), %.1f ms CPU per step%n",
                millis, 1000 / millis, 1000 / millis * BATCH, cpu / 1e6 / steps);
        out.printf(Locale.ROOT, "per step, wall / CPU ms: %s%n", where);
        out.flush();
    }

    /** The examples cut into batches as an epoch of training cuts them (similar lengths together). */
    private static List<List<TrainingExample>> batches(List<TrainingExample> examples, TrainingConfig training) {
        int[] lengths = examples.stream().mapToInt(e -> e.tokens().length).toArray();
        List<List<TrainingExample>> batches = new ArrayList<>();
        for (int[] batch : EpochBatches.of(lengths, BATCH, training.seed(), 0)) {
            List<TrainingExample> chosen = new ArrayList<>(batch.length);
            for (int index : batch) {
                chosen.add(examples.get(index));
            }
            batches.add(chosen);
        }
        return batches;
    }

    private static List<TrainingExample> randomExamples(int count) {
        Random random = new Random(2);
        List<TrainingExample> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int[] caption = new int[SHORTEST_CAPTION + random.nextInt(LONGEST_CAPTION - SHORTEST_CAPTION + 1)];
            caption[0] = SpecialTokens.START;
            for (int t = 1; t < caption.length - 1; t++) {
                caption[t] = SpecialTokens.COUNT + random.nextInt(VOCABULARY - SpecialTokens.COUNT);
            }
            caption[caption.length - 1] = SpecialTokens.END;
            examples.add(new TrainingExample(RandomFeatures.id(random.nextInt(IMAGES)), caption));
        }
        return examples;
    }
}
