package org.captioner.serve.bench;

import org.captioner.Captioner;
import org.captioner.image.FlatPng;
import org.captioner.serve.CaptionServer;
import org.captioner.serve.LoadedModel;
import org.captioner.serve.ProcessMemory;
import org.captioner.serve.ServerConfig;
import org.captioner.serve.ServiceClient;
import org.captioner.serve.TestImages;
import org.captioner.serve.TinyModel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Load benchmark, not a test: runs only with {@code -Dbench.seconds=N} (N at most 900). Starts the server
 * with a tiny random model (or the bundle named by {@code -Dbench.model}) on loopback, warms up, then lets 16 clients
 * (or {@code -Dbench.clients}) upload pictures back to back for N seconds, ignoring Retry-After, and reports
 * captions/s, latency percentiles, answers by status, the process's resident memory (samples and peak), and how
 * ten ordinary requests fare right after. Pictures are 224x224 JPEGs unless {@code -Dbench.image=WIDTHxHEIGHT}
 * and {@code -Dbench.format=png} ask otherwise; {@code -Dbench.queue} sets the queue, {@code -Dbench.warmUpMillis} the
 * service's warm-up before it listens. See bench/README.md.
 */
class LoadBenchmark {
    private static final int CLIENTS = Integer.getInteger("bench.clients", 16);
    private static final int WORKERS = Integer.getInteger("bench.workers", ServerConfig.DEFAULT_BATCH_WORKERS);
    private static final int QUEUE = Integer.getInteger("bench.queue", ServerConfig.DEFAULT_QUEUE_CAPACITY);
    private static final int SERVICE_WARM_UP_MILLIS = Integer.getInteger("bench.warmUpMillis", ServerConfig.DEFAULT_WARM_UP_MILLIS);
    private static final String IMAGE = System.getProperty("bench.image", "224x224");
    private static final String FORMAT = System.getProperty("bench.format", "jpg");
    private static final String CONTENT_TYPE = "image/" + ("jpg".equals(FORMAT) ? "jpeg" : FORMAT);
    private static final int WARM_UP_SECONDS = 5;
    private static final int MAX_SECONDS = 900;
    /** Different pictures, fewer when they are large: each takes seconds and width x height x 4 bytes to draw. */
    private static final int DISTINCT_PICTURES = 32;
    private static final int DISTINCT_LARGE_PICTURES = 2;
    private static final int AFTERWARDS = 10;

    @TempDir
    Path directory;

    @Test
    void sustainedCaptionsPerSecondAndLatency() throws Exception {
        String seconds = System.getProperty("bench.seconds");
        Assumptions.assumeTrue(seconds != null, "a benchmark: run with -Dbench.seconds=N");
        int measuredSeconds = Math.min(MAX_SECONDS, Integer.parseInt(seconds));
        int width = Integer.parseInt(IMAGE.substring(0, IMAGE.indexOf('x')));
        int height = Integer.parseInt(IMAGE.substring(IMAGE.indexOf('x') + 1));
        List<byte[]> pictures = pictures(width, height);
        String described = String.format(Locale.ROOT, "%dx%d %s uploads (%.0f kB each)", width, height,
                FORMAT.toUpperCase(Locale.ROOT), pictures.get(0).length / 1024.0);
        // -Dbench.model=DIR measures a real bundle (e.g. models/default); without it, a tiny random one.
        String bundle = System.getProperty("bench.model");
        try (Captioner captioner = bundle != null ? Captioner.load(Path.of(bundle), TinyModel.modelsDirectory())
                : TinyModel.load(directory)) {
            CaptionServer server = CaptionServer.start(LoadedModel.of(bundle != null ? bundle : "tiny", captioner),
                    ServerConfig.builder().optAddress("127.0.0.1", 0).optBatching(WORKERS,
                            QUEUE, ServerConfig.DEFAULT_MAX_BATCH_SIZE,
                            Duration.ofMillis(ServerConfig.DEFAULT_BATCH_WAIT_MILLIS))
                            .optWarmUp(Duration.ofMillis(SERVICE_WARM_UP_MILLIS)).build());
            try {
                ServiceClient client = new ServiceClient(server.port());
                // The first seconds of a fresh service, reported apart: what its first clients get.
                Result warmUp = run(client, pictures, WARM_UP_SECONDS, new ArrayList<>());
                long rssBefore = ProcessMemory.residentKilobytes();
                long cpuBefore = processCpuNanos();
                List<String> rssSamples = new ArrayList<>();
                Result result = run(client, pictures, measuredSeconds, rssSamples);
                double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
                long rssAfter = ProcessMemory.residentKilobytes();
                String afterwards = afterwards(client);
                report(bundle != null ? bundle : "tiny random model", described, warmUp, result, measuredSeconds, cpuSeconds,
                        rssBefore, rssAfter, rssSamples, client.get("/metrics").body(), afterwards);
            } finally {
                server.stop();
            }
        }
    }

    /** The pictures the clients upload, in turn. */
    private static List<byte[]> pictures(int width, int height) throws IOException {
        boolean large = (long) width * height > 4_000_000;
        if (large && "png".equals(FORMAT)) {
            // Made row by row: drawing 40 megapixels first would grow this JVM's heap before the service is measured.
            return List.of(FlatPng.of(width, height));
        }
        List<byte[]> pictures = new ArrayList<>();
        for (int i = 0; i < (large ? DISTINCT_LARGE_PICTURES : DISTINCT_PICTURES); i++) {
            pictures.add(TestImages.encoded(FORMAT, width, height, i));
        }
        return pictures;
    }

    /** Ten ordinary pictures, one at a time, right after the load: their statuses and median latency. */
    private static String afterwards(ServiceClient client) throws IOException, InterruptedException {
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < AFTERWARDS; i++) {
            long sent = System.nanoTime();
            int status = client.postImage("", TestImages.jpeg(224, 224, 1000 + i), "image/jpeg").status();
            latencies.add(System.nanoTime() - sent);
            statuses.merge(status, 1, Integer::sum);
        }
        Collections.sort(latencies);
        return String.format(Locale.ROOT, "%s, median %.0f ms", statuses, percentile(latencies, 50));
    }

    private record Result(List<Long> latenciesNanos, List<Long> refusalNanos, Map<Integer, AtomicLong> statuses, long failures, double seconds) {
    }

    /** {@code clients} threads post back to back for {@code seconds}; RSS is sampled every 10 s. */
    private static Result run(ServiceClient client, List<byte[]> pictures, int seconds, List<String> rssSamples)
            throws InterruptedException {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Long> refusals = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong failures = new AtomicLong();
        long started = System.nanoTime();
        long end = started + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            int clientIndex = c;
            pool.execute(() -> {
                for (int i = clientIndex; System.nanoTime() < end; i += CLIENTS) {
                    long sent = System.nanoTime();
                    try {
                        int status = client.postImage("", pictures.get(i % pictures.size()), CONTENT_TYPE).status();
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                        (status == 200 ? latencies : refusals).add(System.nanoTime() - sent);
                    } catch (IOException | InterruptedException e) {
                        failures.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        while (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            long jvm = jvmCommittedKilobytes();
            rssSamples.add(String.format(Locale.ROOT, "%.0fs:%dMB (heap committed %dMB%s)", (System.nanoTime() - started) / 1e9,
                    ProcessMemory.residentKilobytes() / 1024, Runtime.getRuntime().totalMemory() >> 20,
                    jvm < 0 ? "" : String.format(Locale.ROOT, ", JVM total committed %dMB", jvm / 1024)));
        }
        return new Result(latencies, refusals, statuses, failures.get(), (System.nanoTime() - started) / 1e9);
    }

    private static void report(String model, String pictures, Result warmUp, Result result, int seconds, double cpuSeconds,
                               long rssBefore, long rssAfter, List<String> rssSamples, String metrics, String afterwards)
            throws IOException {
        List<Long> sorted = new ArrayList<>(result.latenciesNanos());
        Collections.sort(sorted);
        List<Long> first = new ArrayList<>(warmUp.latenciesNanos());
        Collections.sort(first);
        List<Long> refused = new ArrayList<>(result.refusalNanos());
        Collections.sort(refused);
        String batches = metrics.lines().filter(line -> line.startsWith("captioner_batch_size_sum")
                || line.startsWith("captioner_batch_size_count")).reduce((a, b) -> a + ", " + b).orElse("");
        String report = String.format(Locale.ROOT, """
                        load benchmark: %d clients, %s, model %s, default decoding,
                          %d batch workers, queue %d, service warm-up at most %d ms, %d s measured, max heap %d MB
                          JVM options    %s
                          first %d s      %.1f captions/s, p50 %.0f   p99 %.0f   max %.0f ms (not measured below)
                          captions/s     %.1f
                          latency ms     p50 %.0f   p90 %.0f   p99 %.0f   max %.0f
                          answers        %s   transport failures %d
                          refusals ms    p50 %.0f   p99 %.0f   max %.0f (latency of the answers other than 200)
                          CPU            %.1f core-seconds (%.2f cores on average), %.1f core-ms per caption, clients included
                          RSS            before %d MB, after %d MB, peak (VmHWM) %d MB; every 10 s: %s
                          batches        %s
                          right after    %d ordinary 224x224 JPEGs, one at a time: %s
                        """, CLIENTS, pictures, model, WORKERS, QUEUE, SERVICE_WARM_UP_MILLIS, seconds, Runtime.getRuntime().maxMemory() >> 20,
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()), WARM_UP_SECONDS,
                first.size() / warmUp.seconds(), percentile(first, 50), percentile(first, 99), percentile(first, 100),
                sorted.size() / result.seconds(), percentile(sorted, 50), percentile(sorted, 90),
                percentile(sorted, 99), percentile(sorted, 100), result.statuses(), result.failures(),
                percentile(refused, 50), percentile(refused, 99), percentile(refused, 100), cpuSeconds,
                cpuSeconds / result.seconds(), 1000 * cpuSeconds / Math.max(1, sorted.size()), rssBefore / 1024,
                rssAfter / 1024, ProcessMemory.peakResidentKilobytes() / 1024, rssSamples, batches, AFTERWARDS, afterwards);
        System.out.println(report);
        Path out = Path.of("target/bench/report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static double percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    /** CPU time of the whole process (server and clients), all threads, native ones included. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * What the JVM itself has committed (heap, metaspace, threads, code, GC, its own mallocs), in kB, from Native
     * Memory Tracking; -1 unless run with {@code -XX:NativeMemoryTracking=summary}. RSS minus this is what the
     * native libraries (libtorch, ONNX Runtime) hold.
     */
    private static long jvmCommittedKilobytes() {
        try {
            String summary = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Matcher total = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(summary);
            return total.find() ? Long.parseLong(total.group(1)) : -1;
        } catch (JMException e) {
            return -1;
        }
    }
}
