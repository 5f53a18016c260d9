package org.captioner.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.captioner.Captioner;
import org.captioner.image.FuzzCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core's seeded corpus of mutated images ({@link FuzzCorpus}: bit flips, truncations, header sizes edited to
 * huge and zero, ...) uploaded to the real server on loopback, half as raw bodies and half as multipart uploads,
 * by a few concurrent clients. Every answer is a caption (200), a JSON client error (4xx) or a JSON "busy" (503):
 * never a 500, never a dropped connection, and the heap the service keeps afterwards does not grow. CI runs 150
 * files; the large run (counts by answer, time and peak RSS are printed; bench/README.md):
 * <pre>
 * mvn -B -ntp -pl captioner-server -am test -Dtest=ApiFuzzTest -Dfuzz.count=2000 -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * {@code -Dfuzz.seed=N} picks another corpus, {@code -Dfuzz.clients=N} the concurrent clients (default 4).
 */
class ApiFuzzTest {
    /** Heap the service may keep after the run beyond what it kept before: caches and metrics, no pictures. */
    private static final long MAX_RETAINED_GROWTH_BYTES = 64L << 20;

    @TempDir
    static Path directory;

    @Test
    void everyMutatedUploadIsCaptionedOrRefusedWithAJsonClientErrorAndNothingLeaks() throws Exception {
        int count = Integer.getInteger("fuzz.count", 150);
        int clients = Integer.getInteger("fuzz.clients", 4);
        FuzzCorpus corpus = new FuzzCorpus(Long.getLong("fuzz.seed", 15),
                FuzzCorpus.defaultSeeds(Path.of(System.getProperty("captioner.shared", "../shared"), "data/flickr8k/images")));
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try (Captioner captioner = TinyModel.load(directory)) {
            CaptionServer server = CaptionServer.start(LoadedModel.of("tiny", captioner),
                    ServerConfig.builder().optAddress("127.0.0.1", 0).build());
            try {
                ServiceClient client = new ServiceClient(server.port());
                long heapBefore = retainedHeapBytes();
                long start = System.nanoTime();
                ExecutorService pool = Executors.newFixedThreadPool(clients);
                List<Future<?>> uploads = new ArrayList<>();
                for (FuzzCorpus.Mutant mutant : corpus.mutants(count).toList()) {
                    uploads.add(pool.submit(() -> answers.merge(upload(client, mutant, failures), 1, Integer::sum)));
                }
                for (Future<?> upload : uploads) {
                    upload.get();
                }
                pool.shutdown();
                double seconds = (System.nanoTime() - start) / 1e9;
                long retainedGrowth = retainedHeapBytes() - heapBefore;
                System.out.printf("api fuzz: %d files, %d clients, %.1f s, peak RSS (VmHWM) %d MB, retained heap %+d MB%n",
                        count, clients, seconds, ProcessMemory.peakResidentKilobytes() / 1024, retainedGrowth >> 20);
                new TreeMap<>(answers).forEach((answer, n) -> System.out.printf("%6d  %s%n", n, answer));

                assertThat(failures).as("answers that are neither a caption nor a JSON 4xx/503").isEmpty();
                assertThat(retainedGrowth).as("heap retained after the run, beyond what was before").isLessThan(MAX_RETAINED_GROWTH_BYTES);
                assertThat(client.postImage("", TestImages.jpeg(224, 224, 1), "image/jpeg").status())
                        .as("the service captions normally right after").isEqualTo(200);
            } finally {
                server.stop();
            }
        }
    }

    /** Sends one mutant (even index: raw body; odd: multipart) and says how it was answered, e.g. "400 corrupt_image". */
    private static String upload(ServiceClient client, FuzzCorpus.Mutant mutant, List<String> failures) {
        ServiceClient.Answer answer;
        try {
            answer = mutant.index() % 2 == 0 ? client.postImage("", mutant.data(), mediaType(mutant.name()))
                    : client.postMultipart(mutant.data(), Map.of());
        } catch (IOException e) {
            failures.add(mutant.name() + ": no answer (" + e + ")");
            return "no answer";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        String code = answer.status() == 200 ? "captioned" : errorCode(answer);
        boolean refusal = answer.status() >= 400 && answer.status() < 500 || answer.status() == 503;
        boolean wellFormed = answer.status() == 200 ? answer.body().contains("\"captions\"") : refusal && !code.isEmpty();
        if (!wellFormed) {
            failures.add(mutant.name() + ": " + answer.status() + " " + answer.body());
        }
        return answer.status() + " " + code;
    }

    /** The error code of a JSON error body; empty when the body is not one. */
    private static String errorCode(ServiceClient.Answer answer) {
        try {
            JsonNode code = answer.json().path("error").path("code");
            return code.isTextual() ? code.asText() : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The media type a client would send for the file's name; the service goes by the content anyway. */
    private static String mediaType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return switch (extension) {
            case "jpg" -> "image/jpeg";
            case "tif" -> "image/tiff";
            default -> "image/" + extension;
        };
    }

    /** Heap in use after a full collection. */
    private static long retainedHeapBytes() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
