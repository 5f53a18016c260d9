package org.captioner.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file of a seeded corpus of mutated images ({@link FuzzCorpus}) either decodes to a picture within the limits
 * or is refused with an {@link ImageDecodeException} whose one-line message names the file; nothing else escapes,
 * and no file makes the decoder allocate more than {@link #MAX_BYTES_PER_FILE}. CI runs 300 files; the large run:
 * <pre>
 * mvn -B -ntp -pl captioner-core test -Dtest=ImageFuzzTest -Dfuzz.count=10000 -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * {@code -Dfuzz.seed=N} picks another corpus; {@code -Dfuzz.out=DIR} also writes the files to DIR with
 * {@code corpus.tsv} (file, mutation, what the decoder said) to replay them against the web service.
 */
class ImageFuzzTest {
    /** 4 MP decoded as RGB is 16 MB; readers' buffers and the conversion to INT_RGB come on top. */
    private static final long MAX_BYTES_PER_FILE = 128L << 20;

    private final ImageDecoder decoder = new ImageDecoder();

    @TempDir
    Path dir;

    @Test
    void everyMutantDecodesWithinLimitsOrIsRefusedWithAClearMessage() throws IOException {
        int count = Integer.getInteger("fuzz.count", 300);
        FuzzCorpus corpus = new FuzzCorpus(Long.getLong("fuzz.seed", 15),
                FuzzCorpus.defaultSeeds(Path.of(System.getProperty("captioner.shared", "../shared"), "data/flickr8k/images")));
        String out = System.getProperty("fuzz.out");
        Path corpusDir = out == null ? dir : Files.createDirectories(Path.of(out));
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> crashes = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        long maxAllocated = 0;
        String hungriest = "";
        TreeMap<Long, String> slowest = new TreeMap<>();
        long start = System.nanoTime();
        for (FuzzCorpus.Mutant mutant : corpus.mutants(count).toList()) {
            // Every tenth file goes through the file path, the others through bytes as uploads do.
            boolean asFile = mutant.index() % 10 == 0 || out != null;
            if (asFile) {
                FuzzCorpus.write(corpusDir, mutant);
            }
            long before = Allocation.current();
            long began = System.nanoTime();
            String outcome = outcome(mutant, asFile ? corpusDir.resolve(mutant.name()) : null);
            long allocated = Allocation.current() - before;
            slowest.put(System.nanoTime() - began, mutant.name());
            if (slowest.size() > 3) {
                slowest.pollFirstEntry();
            }
            if (allocated > maxAllocated) {
                maxAllocated = allocated;
                hungriest = mutant.name();
            }
            if (outcome.startsWith("CRASH")) {
                crashes.add(mutant.name() + ": " + outcome);
            }
            outcomes.merge(outcome.startsWith("CRASH") ? "CRASH" : outcome.replaceAll("\\d+", "N"), 1, Integer::sum);
            rows.add(mutant.name() + "\t" + mutant.mutation() + "\t" + outcome);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (out != null) {
            Files.write(corpusDir.resolve("corpus.tsv"), rows, StandardCharsets.UTF_8);
        }
        System.out.printf("fuzz: %d files in %.1f s, at most %.1f MB allocated for one file (%s), peak heap %.0f MB%n",
                count, seconds, maxAllocated / 1e6, hungriest, peakHeapBytes() / 1e6);
        outcomes.forEach((outcome, n) -> System.out.printf("%6d  %s%n", n, outcome));
        slowest.descendingMap().forEach((nanos, name) -> System.out.printf("slow: %s %.0f ms%n", name, nanos / 1e6));
        assertThat(crashes).as("files that neither decoded nor were refused cleanly").isEmpty();
        assertThat(maxAllocated).as("bytes allocated for " + hungriest).isLessThan(MAX_BYTES_PER_FILE);
    }

    /** "decoded", "refused KIND: reason" or "CRASH ..." for anything else, checking probe and decode agree. */
    private String outcome(FuzzCorpus.Mutant mutant, Path file) {
        String source = file == null ? mutant.name() : file.toString();
        try {
            ImageHeader header = file == null ? decoder.probe(mutant.data(), source) : decoder.probe(file);
            BufferedImage picture = file == null ? decoder.decode(mutant.data(), source) : decoder.decode(file);
            long pixels = (long) picture.getWidth() * picture.getHeight();
            if (pixels != header.decodedPixels() || pixels > ImageLimits.DEFAULT.maxDecodedPixels()) {
                return "CRASH decoded " + picture.getWidth() + "x" + picture.getHeight() + " but the header said " + header;
            }
            return "decoded";
        } catch (ImageDecodeException e) {
            if (!e.getMessage().startsWith(source + ": ") || e.getMessage().contains("\n")) {
                return "CRASH unclear message: " + e.getMessage();
            }
            return "refused " + e.kind() + ": " + e.reason();
        } catch (Throwable e) {
            return "CRASH " + e;
        }
    }

    private static long peakHeapBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }
}
