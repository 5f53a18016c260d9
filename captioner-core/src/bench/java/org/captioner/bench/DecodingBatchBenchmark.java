package org.captioner.bench;

import org.captioner.Captioner;
import org.captioner.PictureFeatures;
import org.captioner.SharedData;
import org.captioner.decode.DecodingOptions;
import org.captioner.image.ImageDecoder;
import org.captioner.image.ImageFiles;
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
 * What beam search costs per caption by batch size, not a test: runs only with {@code -Dbench.decodingBatches=N}
 * (N rounds of each size from 1 to 16, after 30 untimed batches of 16). The shipped model and decoding, features of 16
 * Flickr8k pictures; the thread's CPU time per caption. The service's decoding batches are sized by it (docs/server.md,
 * "Throughput: micro-batching"). E.g.
 * <pre>
 * mvn -B -ntp -q -pl captioner-core test -Dtest=DecodingBatchBenchmark -Dbench.decodingBatches=3 -Dtest.mkl.cbwr=AUTO \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class DecodingBatchBenchmark {
    private static final int[] SIZES = {1, 2, 4, 6, 8, 12, 16};
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void cpuPerCaptionBySize() throws Exception {
        String rounds = System.getProperty("bench.decodingBatches");
        Assumptions.assumeTrue(rounds != null, "a benchmark: run with -Dbench.decodingBatches=N");
        List<BufferedImage> pictures = new ArrayList<>();
        ImageDecoder decoder = new ImageDecoder();
        try (Stream<Path> listing = Files.list(SharedData.flickr8k().resolve("images"))) {
            for (Path file : listing.filter(ImageFiles::looksLikeImage).sorted().limit(16).toList()) {
                pictures.add(decoder.decode(file));
            }
        }
        try (Captioner captioner = Captioner.load(Path.of("..", "models", "default"), SharedData.models())) {
            DecodingOptions options = captioner.manifest().decoding();
            PictureFeatures all = captioner.features(pictures);
            int perPicture = all.regionFeatures().length / all.pictures();
            for (int i = 0; i < 30; i++) {
                captioner.caption(all, options);
            }
            for (int round = 0; round < Integer.parseInt(rounds); round++) {
                StringBuilder line = new StringBuilder("ms of CPU per caption by batch size:");
                for (int size : SIZES) {
                    PictureFeatures batch = new PictureFeatures(Arrays.copyOf(all.regionFeatures(), perPicture * size), size);
                    int repeats = Math.max(3, 96 / size);
                    long started = THREADS.getCurrentThreadCpuTime();
                    for (int i = 0; i < repeats; i++) {
                        captioner.caption(batch, options);
                    }
                    line.append(String.format(" %d: %.2f", size, (THREADS.getCurrentThreadCpuTime() - started) / 1e6 / (repeats * size)));
                }
                System.out.println(line);
            }
        }
    }
}
