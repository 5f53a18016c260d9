package org.captioner.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.captioner.decode.CaptionDecoder;
import org.captioner.decode.DecodingOptions;
import org.captioner.features.RegionBatch;
import org.captioner.model.CaptionModel;
import org.captioner.model.CaptionModels;
import org.captioner.model.GeneratedFeatures;
import org.captioner.model.ModelConfig;
import org.captioner.text.SpecialTokens;
import org.captioner.train.TrainingConfig;
import org.captioner.train.TrainingResult;
import org.captioner.train.Trainer;
import org.captioner.train.TrainingExample;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Training and decoding speed at the real shapes (49 x 1280 MobileNetV2 regions, vocabulary 5000, batch 64,
 * captions of 10-22 tokens) on synthetic data. Not a unit test: run it by hand (bench/README.md), e.g.
 * <pre>
 * mvn -B -ntp -q -pl captioner-core test-compile exec:exec -Dbench.args="[steps] [rnn] [family]" \
 *     -Dtest.jvm="-Xmx6g -Dai.djl.pytorch.num_threads=2"
 * </pre>
 * {@code family}: show-attend-tell (default), transformer or show-and-tell, each at its documented default sizes
 * ({@link ModelConfig#showAttendTell}, {@link ModelConfig#transformer}, {@link ModelConfig#showAndTell}).
 */
public final class ModelBenchmark {
    private static final int REGIONS = 49;
    private static final int CHANNELS = 1280;
    private static final int VOCAB = 5000;
    private static final int BATCH = 64;

    private ModelBenchmark() {
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String rnn = args.length > 1 ? args[1] : ModelConfig.GRU;
        int images = 200;
        GeneratedFeatures features = new GeneratedFeatures(REGIONS, CHANNELS, images, 1);
        Random random = new Random(2);
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < BATCH * steps; i++) {
            int[] caption = new int[10 + random.nextInt(13)];
            caption[0] = SpecialTokens.START;
            for (int t = 1; t < caption.length - 1; t++) {
                caption[t] = SpecialTokens.COUNT + random.nextInt(VOCAB - SpecialTokens.COUNT);
            }
            caption[caption.length - 1] = SpecialTokens.END;
            examples.add(new TrainingExample(GeneratedFeatures.id(random.nextInt(images)), caption));
        }
        String family = args.length > 2 ? args[2] : ModelConfig.SHOW_ATTEND_TELL;
        ModelConfig config = switch (family) {
            case ModelConfig.TRANSFORMER -> ModelConfig.transformer(VOCAB, REGIONS, CHANNELS);
            case ModelConfig.SHOW_AND_TELL -> ModelConfig.showAndTell(VOCAB, REGIONS, CHANNELS).withRnn(rnn);
            default -> ModelConfig.showAttendTell(VOCAB, REGIONS, CHANNELS).withRnn(rnn);
        };
        Path run = Files.createTempDirectory("captioner-bench");
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(config, root, 1)) {
            System.out.printf(Locale.ROOT, "threads intra=%s inter=%s, %s (%s), %,d parameters%n",
                    System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    System.getProperty("ai.djl.pytorch.num_interop_threads", "default"), family, config.rnn(),
                    model.parameters().count());
            TrainingConfig warmup = TrainingConfig.builder().optEpochs(1).optBatchSize(BATCH).optMaxSteps(3).build();
            new Trainer(model, features, examples, List.of(), warmup, run.resolve("warmup")).progressBar(false).train();

            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            TrainingResult result = new Trainer(model, features, examples, List.of(),
                    TrainingConfig.builder().optEpochs(1).optBatchSize(BATCH).build(), run.resolve("timed"))
                    .progressBar(false).train();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            double stepsPerSecond = result.steps() / seconds;
            // CPU time shows how much of the wall time other processes on the shared machine took.
            System.out.printf(Locale.ROOT, "training: %d steps of %d in %.1f s wall (%.1f s CPU) = %.2f steps/s, "
                            + "%.0f captions/s, 30,000-caption epoch %.1f min (incl. one checkpoint)%n", result.steps(),
                    BATCH, seconds, cpuSeconds, stepsPerSecond, stepsPerSecond * BATCH,
                    30_000 / (stepsPerSecond * BATCH) / 60);

            for (int width : new int[] {1, 3}) {
                DecodingOptions options = width == 1 ? DecodingOptions.greedy(20) : DecodingOptions.beam(width, 20);
                try (NDManager manager = model.manager().newSubManager()) {
                    NDArray one = RegionBatch.load(manager, features, List.of(GeneratedFeatures.id(0)));
                    CaptionDecoder.decode(model, one, options);
                    int repeats = 10;
                    long decodeStart = System.nanoTime();
                    for (int i = 0; i < repeats; i++) {
                        CaptionDecoder.decode(model, one, options);
                    }
                    System.out.printf(Locale.ROOT, "decode width %d, one image, 20 tokens max: %.1f ms%n", width,
                            (System.nanoTime() - decodeStart) / 1e6 / repeats);
                }
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    ids.add(GeneratedFeatures.id(i));
                }
                long batchStart = System.nanoTime();
                CaptionDecoder.decode(model, features, ids, options, BATCH);
                System.out.printf(Locale.ROOT, "decode width %d, batch of %d images: %.1f ms per image%n", width, BATCH,
                        (System.nanoTime() - batchStart) / 1e6 / BATCH);
            }
        }
    }
}
