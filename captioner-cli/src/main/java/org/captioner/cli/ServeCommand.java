package org.captioner.cli;

import org.captioner.Captioner;
import org.captioner.serve.CaptionServer;
import org.captioner.serve.LoadedModel;
import org.captioner.serve.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code captioner serve}: the caption service, web page and JSON API. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves captions over HTTP: a web page at /, the JSON API at /api/v1",
                "(OpenAPI at /openapi.yaml), /healthz, /readyz and Prometheus metrics at /metrics.",
                "The model is loaded once. Ctrl-C or SIGTERM stops gracefully, finishing the",
                "requests in flight. See docs/server.md."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = ServerConfig.DEFAULT_HOST,
            description = "Interface to listen on. Default: ${DEFAULT-VALUE} (this machine only);"
                    + " --host 0.0.0.0 exposes the service on every interface.")
    String host;

    @Option(names = "--port", defaultValue = "" + ServerConfig.DEFAULT_PORT, description = "Port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Mixin
    ModelOptions model;

    @Option(names = "--max-upload-mb", defaultValue = "" + ServerConfig.DEFAULT_MAX_UPLOAD_MEGABYTES,
            description = "Largest image accepted, in MB (larger: 413). Default: ${DEFAULT-VALUE}.")
    int maxUploadMegabytes;

    @Option(names = "--max-batch", defaultValue = "" + ServerConfig.DEFAULT_MAX_BATCH_SIZE,
            description = "Pictures captioned together at most. Default: ${DEFAULT-VALUE}.")
    int maxBatch;

    @Option(names = "--batch-wait-ms", defaultValue = "" + ServerConfig.DEFAULT_BATCH_WAIT_MILLIS,
            description = "How long a batch waits for more pictures. Default: ${DEFAULT-VALUE}.")
    int batchWaitMillis;

    @Option(names = "--workers", defaultValue = "" + ServerConfig.DEFAULT_BATCH_WORKERS,
            description = "Batching pipelines, each running the backbone on one batch while it decodes the one before (2 threads"
                    + " each; 2 keep 2 cores busy). Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--queue", defaultValue = "" + ServerConfig.DEFAULT_QUEUE_CAPACITY,
            description = "Pictures waiting at most (a bound on memory); beyond, requests get 503 with Retry-After"
                    + " before their body is read. Default: ${DEFAULT-VALUE}.")
    int queue;

    @Option(names = "--latency-budget-ms", defaultValue = "" + ServerConfig.DEFAULT_LATENCY_BUDGET_MILLIS,
            description = "Admit a request only while those in the service would be captioned within this time at"
                    + " the measured rate (always one batch); beyond, 503 with Retry-After. 0: the queue alone"
                    + " bounds the wait. Default: ${DEFAULT-VALUE}.")
    int latencyBudgetMillis;

    @Option(names = "--warm-up-ms", defaultValue = "" + ServerConfig.DEFAULT_WARM_UP_MILLIS,
            description = "Caption synthetic pictures for at most this long before listening, so that the first"
                    + " clients find a warm process. 0: listen at once. Default: ${DEFAULT-VALUE}.")
    int warmUpMillis;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path bundle = model.bundle != null ? model.bundle : Captioner.defaultBundle();
        ServerConfig config = ServerConfig.builder().optAddress(host, port)
                .optMaxUploadBytes(maxUploadMegabytes * 1024L * 1024)
                .optBatching(workers, queue, maxBatch, Duration.ofMillis(batchWaitMillis))
                .optLatencyBudget(Duration.ofMillis(latencyBudgetMillis)).optWarmUp(Duration.ofMillis(warmUpMillis)).build();
        Captioner captioner = model.load();
        CaptionServer server = CaptionServer.start(LoadedModel.of(bundle.toAbsolutePath().normalize().getFileName().toString(),
                captioner), config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            try {
                captioner.close();
            } catch (IOException e) {
                spec.commandLine().getErr().println("captioner serve: closing the model failed: " + e.getMessage());
                spec.commandLine().getErr().flush();
            }
        }, "captioner-shutdown"));
        // The heap shown: the service's memory arithmetic (docs/server.md) depends on it.
        spec.commandLine().getOut().println("captioner serve: listening on http://" + host + ":" + server.port()
                + "/ (heap at most " + (Runtime.getRuntime().maxMemory() >> 20) + " MB; Ctrl-C stops)");
        spec.commandLine().getOut().flush();
        // The server runs on its own threads; this one waits until the shutdown hook has stopped it.
        Thread.currentThread().join();
        return 0;
    }
}
