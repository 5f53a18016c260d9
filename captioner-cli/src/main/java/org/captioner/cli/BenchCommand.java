package org.captioner.cli;

import org.captioner.BatchCaptioning;
import org.captioner.Captioner;
import org.captioner.decode.DecodingOptions;
import org.captioner.model.ModelConfig;
import org.captioner.engine.MatmulPrecision;
import org.captioner.train.TrainingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code captioner bench}: end-to-end captioning speed as a user meets it. Latency is one image at a time,
 * from the JPEG file to the caption (decode + backbone + decoder); throughput captions a folder in batches.
 * With {@code --train}, training speed on the reference workload instead (synthetic features, no data needed).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures captioning latency (one image at a time, file to caption) and folder throughput (batched).",
                "With --train: training speed on the reference workload (synthetic 49x1280 features, vocabulary 5,000, "
                        + "batch 64, captions of 10-22 tokens); no images or data needed."})
final class BenchCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "Image files or folders of images to use (not with --train).")
    List<Path> inputs = List.of();

    @Option(names = "--train", description = "Time training steps instead of captioning.")
    boolean train;

    @Within(min = 1)
    @Option(names = "--steps", defaultValue = "30", description = "With --train: timed steps, 1 or more. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--family", defaultValue = ModelConfig.SHOW_ATTEND_TELL, paramLabel = "F",
            description = "With --train: model family at its default sizes, " + ModelConfig.SHOW_ATTEND_TELL + ", "
                    + ModelConfig.TRANSFORMER + " or " + ModelConfig.SHOW_AND_TELL + ". Default: ${DEFAULT-VALUE}.")
    String family;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "P",
            description = "With --train: the products' precision, fp32 or bf16 (as training.precision). Default: ${DEFAULT-VALUE}.")
    String precision;

    @Within(min = 1, max = 2)
    @Option(names = "--batch-parts", defaultValue = "2", paramLabel = "N",
            description = "With --train: parts of each batch computed at once (as training.batchParts), from 1 to 2. Default: ${DEFAULT-VALUE}.")
    int batchParts;

    @Mixin
    ModelOptions model;

    @Mixin
    DecodingFlags decoding;

    @Within(min = 1)
    @Option(names = "--count", defaultValue = "200", description = "Images timed one at a time, 1 or more. Default: ${DEFAULT-VALUE}.")
    int count;

    @Within(min = 0)
    @Option(names = "--warmup", defaultValue = "20", description = "Untimed images first, 0 or more. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Within(min = 1, max = OptionRanges.MAX_BATCH)
    @Option(names = "--batch", defaultValue = "16",
            description = "Batch size of the throughput run, from 1 to " + OptionRanges.MAX_BATCH + ". Default: ${DEFAULT-VALUE}.")
    int batch;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (train) {
            if (!inputs.isEmpty()) {
                throw new IllegalArgumentException("bench --train uses synthetic features; it takes no images");
            }
            TrainingBenchmark.run(family, steps, MatmulPrecision.of(precision), batchParts, out);
            return 0;
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("bench needs IMAGE files or folders to caption, or --train");
        }
        List<Path> images = CaptionCommand.expand(inputs);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images in " + inputs);
        }
        try (Captioner captioner = model.load()) {
            DecodingOptions options = decoding.over(captioner.defaultOptions());
            for (int i = 0; i < warmup; i++) {
                captioner.caption(images.get(i % images.size()), options);
            }
            double[] millis = new double[count];
            long cpuStarted = processCpuNanos();
            for (int i = 0; i < count; i++) {
                long started = System.nanoTime();
                captioner.caption(images.get(i % images.size()), options);
                millis[i] = (System.nanoTime() - started) / 1e6;
            }
            double latencyCpuMillis = (processCpuNanos() - cpuStarted) / 1e6 / count;
            Arrays.sort(millis);
            out.printf("latency, one image at a time (%s, beam %d), %d images: median %.1f ms, p90 %.1f ms, p99 %.1f ms, "
                            + "mean %.1f ms; process CPU %.1f ms per image%n", options.strategy(), options.beamWidth(), count,
                    percentile(millis, 50), percentile(millis, 90), percentile(millis, 99),
                    Arrays.stream(millis).average().orElse(0), latencyCpuMillis);
            long started = System.nanoTime();
            cpuStarted = processCpuNanos();
            BatchCaptioning.run(captioner, images, image -> image, options, batch,
                    skipped -> spec.commandLine().getErr().println("bench: skipped " + skipped),
                    (image, captions) -> { });
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf("throughput, folder of %d images in batches of %d: %.1f images/s (%.1f s; process CPU %.1f ms per image)%n",
                    images.size(), batch, images.size() / seconds, seconds,
                    (processCpuNanos() - cpuStarted) / 1e6 / images.size());
        }
        return 0;
    }

    /** CPU time of the whole process (all threads, native ones included): what a loaded machine cannot inflate as much. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double percentile(double[] sorted, double percent) {
        int index = (int) Math.ceil(percent / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
