package org.captioner.bench;

import ai.djl.ndarray.NDManager;
import org.captioner.SharedData;
import org.captioner.bundle.ModelBundle;
import org.captioner.decode.CaptionDecoder;
import org.captioner.decode.DecodingOptions;
import org.captioner.decode.DecoderStep;
import org.captioner.decode.Stepper;
import org.captioner.features.BackboneFeatures;
import org.captioner.features.OnnxBackbone;
import org.captioner.image.ImageDecoder;
import org.captioner.image.ImageFiles;
import org.captioner.image.ResizeMode;
import org.captioner.model.CaptionModel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the time of one caption goes, not a test: runs only with {@code -Dbench.stages=N} (N Flickr8k images, one at
 * a time, after 20 untimed). Prints the median of each stage (JPEG decoding, resizing and normalizing, the backbone,
 * beam search with the plain-Java steps and with the model's DJL steps) and, for each beam search, the median time
 * per decoding step and the share of the search spent outside the steps. The shipped model, its decoding. E.g.
 * <pre>
 * mvn -B -ntp -q -pl captioner-core test -Dtest=StageBenchmark -Dbench.stages=200 -Dtest.mkl.cbwr=AUTO \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class StageBenchmark {
    private static final int WARMUP = 20;
    private static final int BATCH = 16;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void stagesOfOneCaption() throws Exception {
        String count = System.getProperty("bench.stages");
        Assumptions.assumeTrue(count != null, "a benchmark: run with -Dbench.stages=N");
        int images = Integer.parseInt(count);
        List<Path> files;
        try (Stream<Path> listing = Files.list(SharedData.flickr8k().resolve("images"))) {
            files = listing.filter(ImageFiles::looksLikeImage).sorted().limit(images + WARMUP).toList();
        }
        ModelBundle bundle = ModelBundle.read(Path.of("..", "models", "default"));
        DecodingOptions options = bundle.manifest().decoding();
        images = files.size() - WARMUP;
        double[][] millis = new double[6][images];
        double[][] cpu = new double[6][images];
        try (NDManager manager = NDManager.newBaseManager(); CaptionModel model = bundle.loadModel(manager);
             OnnxBackbone backbone = OnnxBackbone.open(bundle.manifest().backbone(), SharedData.models(),
                     OnnxBackbone.DEFAULT_INTRA_OP_THREADS, ResizeMode.valueOf(bundle.manifest().resize()))) {
            ImageDecoder decoder = backbone.imageDecoder();
            List<float[]> regionFeatures = new ArrayList<>();
            TimedSteps java = new TimedSteps(DecoderStep.of(model), images);
            TimedSteps torch = new TimedSteps(DecoderStep.torch(model), images);
            for (int i = 0; i < files.size(); i++) {
                long t0 = System.nanoTime();
                long c0 = THREADS.getCurrentThreadCpuTime();
                BufferedImage picture = decoder.decode(files.get(i));
                long t1 = System.nanoTime();
                long c1 = THREADS.getCurrentThreadCpuTime();
                float[] tensor = backbone.preprocessor().toTensor(picture);
                long t2 = System.nanoTime();
                long c2 = THREADS.getCurrentThreadCpuTime();
                BackboneFeatures features = backbone.extractTensors(List.of(tensor)).get(0);
                regionFeatures.add(features.regionFeatures());
                long t3 = System.nanoTime();
                long c3 = THREADS.getCurrentThreadCpuTime();
                java.reset();
                CaptionDecoder.decode(java, features.regionFeatures(), 1, options);
                long t4 = System.nanoTime();
                long c4 = THREADS.getCurrentThreadCpuTime();
                torch.reset();
                CaptionDecoder.decode(torch, features.regionFeatures(), 1, options);
                long t5 = System.nanoTime();
                long c5 = THREADS.getCurrentThreadCpuTime();
                if (i >= WARMUP) {
                    int k = i - WARMUP;
                    cpu[0][k] = (c1 - c0) / 1e6;
                    cpu[1][k] = (c2 - c1) / 1e6;
                    cpu[2][k] = (c3 - c2) / 1e6;
                    cpu[3][k] = (c4 - c3) / 1e6;
                    cpu[5][k] = (c5 - c4) / 1e6;
                    millis[0][k] = (t1 - t0) / 1e6;
                    millis[1][k] = (t2 - t1) / 1e6;
                    millis[2][k] = (t3 - t2) / 1e6;
                    millis[3][k] = (t4 - t3) / 1e6;
                    millis[4][k] = java.stepNanos / 1e6 / java.steps;
                    millis[5][k] = (t5 - t4) / 1e6;
                    torch.perStep[k] = torch.stepNanos / 1e6 / torch.steps;
                    java.stepsPerCaption[k] = java.steps;
                }
            }
            System.out.printf("stages, medians of %d images (%s, beam %d):%n", images, options.strategy(), options.beamWidth());
            System.out.printf("  JPEG decoding %.2f ms (CPU %.2f), resize + normalize %.2f ms (CPU %.2f), "
                            + "backbone %.2f ms (CPU of the calling thread %.2f)%n", median(millis[0]), median(cpu[0]),
                    median(millis[1]), median(cpu[1]), median(millis[2]), median(cpu[2]));
            System.out.printf("  beam search, plain Java: %.2f ms (CPU %.2f; %.0f steps, %.3f ms per step)%n",
                    median(millis[3]), median(cpu[3]), median(java.stepsPerCaption), median(millis[4]));
            System.out.printf("  beam search, DJL:        %.2f ms (CPU %.2f; %.3f ms per step)%n", median(millis[5]),
                    median(cpu[5]), median(torch.perStep));
            for (int batch : new int[] {BATCH / 2, BATCH}) {
                System.out.printf("  beam search in batches of %d, per image: plain Java %s, DJL %s%n", batch,
                        batched(java, regionFeatures, batch, options), batched(torch, regionFeatures, batch, options));
            }
        }
    }

    /** Wall and CPU milliseconds per image of decoding {@code all} in batches (the first two batches untimed). */
    private static String batched(DecoderStep steps, List<float[]> all, int batch, DecodingOptions options) {
        long wall = 0;
        long cpu = 0;
        int timed = 0;
        for (int from = 0; from + batch <= all.size(); from += batch) {
            float[] regions = new float[batch * all.get(0).length];
            for (int i = 0; i < batch; i++) {
                System.arraycopy(all.get(from + i), 0, regions, i * all.get(0).length, all.get(0).length);
            }
            long t0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            CaptionDecoder.decode(steps, regions, batch, options);
            if (from >= 2 * batch) {
                wall += System.nanoTime() - t0;
                cpu += THREADS.getCurrentThreadCpuTime() - c0;
                timed += batch;
            }
        }
        return String.format(java.util.Locale.ROOT, "%.2f ms (CPU %.2f)", wall / 1e6 / timed, cpu / 1e6 / timed);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Counts and times the step calls of another implementation. */
    private static final class TimedSteps implements DecoderStep {
        private final DecoderStep inner;
        private final double[] perStep;
        private final double[] stepsPerCaption;
        private long stepNanos;
        private int steps;

        TimedSteps(DecoderStep inner, int captions) {
            this.inner = inner;
            this.perStep = new double[captions];
            this.stepsPerCaption = new double[captions];
        }

        void reset() {
            stepNanos = 0;
            steps = 0;
        }

        @Override
        public Stepper start(float[] regionFeatures, int images) {
            Stepper stepper = inner.start(regionFeatures, images);
            return new Stepper() {
                @Override
                public void step(int[] previousTokens) {
                    long start = System.nanoTime();
                    stepper.step(previousTokens);
                    stepNanos += System.nanoTime() - start;
                    steps++;
                }

                @Override
                public void selectRows(int[] rows) {
                    stepper.selectRows(rows);
                }

                @Override
                public int vocabularySize() {
                    return stepper.vocabularySize();
                }

                @Override
                public float logProb(int row, int token) {
                    return stepper.logProb(row, token);
                }

                @Override
                public float[] attention(int row) {
                    return stepper.attention(row);
                }

                @Override
                public void close() {
                    stepper.close();
                }
            };
        }
    }
}
