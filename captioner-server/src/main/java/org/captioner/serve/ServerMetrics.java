package org.captioner.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.IntSupplier;

/** The service's Prometheus metrics: requests by route and status, latencies, batch sizes, queue depth. */
final class ServerMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests = Counter.builder()
            .name("captioner_http_requests_total").help("HTTP requests answered, by route, method and status")
            .labelNames("route", "method", "status").register(registry);
    private final Histogram latency = Histogram.builder()
            .name("captioner_http_request_duration_seconds").help("Time to answer an HTTP request, by route")
            .labelNames("route").classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
    private final Histogram batchSizes = Histogram.builder()
            .name("captioner_batch_size").help("Pictures captioned together in one model call")
            .classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64).register(registry);
    private final Counter rejected = Counter.builder()
            .name("captioner_requests_rejected_total")
            .help("Caption requests refused with 503 because the queue was full or the service was stopping")
            .register(registry);

    ServerMetrics(IntSupplier queueDepth) {
        GaugeWithCallback.builder().name("captioner_queue_depth").help("Pictures waiting for the model")
                .callback(callback -> callback.call(queueDepth.getAsInt())).register(registry);
    }

    void request(String route, String method, int status, double seconds) {
        requests.labelValues(route, method, Integer.toString(status)).inc();
        latency.labelValues(route).observe(seconds);
    }

    void batch(int size) {
        batchSizes.observe(size);
    }

    void rejected() {
        rejected.inc();
    }

    String contentType() {
        return writer.getContentType();
    }

    void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
