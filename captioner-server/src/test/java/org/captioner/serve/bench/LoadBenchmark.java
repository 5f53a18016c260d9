package org.captioner.serve.bench;

import org.captioner.Captioner;
import org.captioner.serve.CaptionServer;
import org.captioner.serve.LoadedModel;
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
 * with a tiny random model (or the bundle named by {@code -Dbench.model}) on loopback, warms up, then lets 16 clients upload 224x224 JPEGs back to back for
 * N seconds and reports captions/s, latency percentiles, errors and the process's resident memory.
 * See bench/README.md.
 */
class LoadBenchmark {
    private static final int CLIENTS = Integer.getInteger("bench.clients", 16);
    private static final int WORKERS = Integer.getInteger("bench.workers", ServerConfig.DEFAULT_BATCH_WORKERS);
    private static final int WARM_UP_SECONDS = 5;
    private static final int MAX_SECONDS = 900;
    private static final int DISTINCT_PICTURES = 32;

    @TempDir
    Path directory;

    @Test
    void sustainedCaptionsPerSecondAndLatency() throws Exception {
        String seconds = System.getProperty("bench.seconds");
        Assumptions.assumeTrue(seconds != null, "a benchmark: run with -Dbench.seconds=N");
        int measuredSeconds = Math.min(MAX_SECONDS, Integer.parseInt(seconds));
        List<byte[]> pictures = new ArrayList<>();
        for (int i = 0; i < DISTINCT_PICTURES; i++) {
            pictures.add(TestImages.jpeg(224, 224, i));
        }
        // -Dbench.model=DIR measures a real bundle (e.g. models/default); without it, a tiny random one.
        String bundle = System.getProperty("bench.model");
        try (Captioner captioner = bundle != null ? Captioner.load(Path.of(bundle), TinyModel.modelsDirectory())
                : TinyModel.load(directory)) {
            CaptionServer server = CaptionServer.start(LoadedModel.of(bundle != null ? bundle : "tiny", captioner),
                    ServerConfig.defaults().withAddress("127.0.0.1", 0).withBatching(WORKERS,
                            ServerConfig.DEFAULT_QUEUE_CAPACITY, ServerConfig.DEFAULT_MAX_BATCH_SIZE,
                            Duration.ofMillis(ServerConfig.DEFAULT_BATCH_WAIT_MILLIS)));
            try {
                ServiceClient client = new ServiceClient(server.port());
                run(client, pictures, WARM_UP_SECONDS, new ArrayList<>());
                long rssBefore = residentKilobytes();
                long cpuBefore = processCpuNanos();
                List<String> rssSamples = new ArrayList<>();
                Result result = run(client, pictures, measuredSeconds, rssSamples);
                double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
                long rssAfter = residentKilobytes();
                report(bundle != null ? bundle : "tiny random model", result, measuredSeconds, cpuSeconds, rssBefore, rssAfter,
                        rssSamples, client.get("/metrics").body());
            } finally {
                server.stop();
            }
        }
    }

    private record Result(List<Long> latenciesNanos, Map<Integer, AtomicLong> statuses, long failures, double seconds) {
    }

    /** {@code clients} threads post back to back for {@code seconds}; RSS is sampled every 10 s. */
    private static Result run(ServiceClient client, List<byte[]> pictures, int seconds, List<String> rssSamples)
            throws InterruptedException {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
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
                        int status = client.postImage("", pictures.get(i % pictures.size()), "image/jpeg").status();
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                        if (status == 200) {
                            latencies.add(System.nanoTime() - sent);
                        }
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
                    residentKilobytes() / 1024, Runtime.getRuntime().totalMemory() >> 20,
                    jvm < 0 ? "" : String.format(Locale.ROOT, ", JVM total committed %dMB", jvm / 1024)));
        }
        return new Result(latencies, statuses, failures.get(), (System.nanoTime() - started) / 1e9);
    }

    private static void report(String model, Result result, int seconds, double cpuSeconds, long rssBefore, long rssAfter, List<String> rssSamples,
                               String metrics) throws IOException {
        List<Long> sorted = new ArrayList<>(result.latenciesNanos());
        Collections.sort(sorted);
        String batches = metrics.lines().filter(line -> line.startsWith("captioner_batch_size_sum")
                || line.startsWith("captioner_batch_size_count")).reduce((a, b) -> a + ", " + b).orElse("");
        String report = String.format(Locale.ROOT, """
                        load benchmark: %d clients, 224x224 JPEG uploads, model %s, default decoding,
                          %d batch workers, %d s measured
                          captions/s     %.1f
                          latency ms     p50 %.0f   p90 %.0f   p99 %.0f   max %.0f
                          answers        %s   transport failures %d
                          CPU            %.1f core-seconds (%.2f cores on average), %.1f core-ms per caption, clients included
                          RSS            before %d MB, after %d MB; every 10 s: %s
                          batches        %s
                        """, CLIENTS, model, WORKERS, seconds, sorted.size() / result.seconds(), percentile(sorted, 50), percentile(sorted, 90),
                percentile(sorted, 99), percentile(sorted, 100), result.statuses(), result.failures(), cpuSeconds,
                cpuSeconds / result.seconds(), 1000 * cpuSeconds / Math.max(1, sorted.size()), rssBefore / 1024,
                rssAfter / 1024, rssSamples, batches);
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

    /** VmRSS of this JVM (server and clients share it), in kB; 0 where /proc is absent. */
    private static long residentKilobytes() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
