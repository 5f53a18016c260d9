package org.captioner.serve;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import io.javalin.http.staticfiles.Location;
import org.captioner.Caption;
import org.captioner.bundle.BundleManifest;
import org.captioner.image.ImageDecodeException;
import org.captioner.image.ImageDecoder;
import org.captioner.image.ImageHeader;
import org.captioner.image.ImageLimits;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The caption service: a JSON API under {@code /api/v1}, health and readiness probes, Prometheus metrics
 * and a web page, all on one Javalin server. Pictures from concurrent requests are captioned together by a
 * {@link MicroBatcher}. {@link #stop()} is graceful: it stops taking caption requests, lets those in flight
 * finish, then closes the server.
 */
public final class CaptionServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaptionServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAPTIONS_ROUTE = "/api/v1/captions";
    private static final String MODELS_ROUTE = "/api/v1/models";
    /** The API routes and the methods each answers (any other method: 405 with this as {@code Allow}). */
    private static final Map<String, String> API_ROUTES = Map.of(CAPTIONS_ROUTE, "POST", MODELS_ROUTE, "GET, HEAD",
            "/healthz", "GET, HEAD", "/readyz", "GET, HEAD", "/metrics", "GET, HEAD");
    /**
     * The page loads only its own script, style and data; it shows the picture from a local file (blob:) or from
     * the address the user typed, so images may come from anywhere. No page may frame it.
     */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' blob: data: http: https:; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    /** A JSON body only carries a URL and options; anything bigger is not one of ours. */
    private static final long MAX_JSON_BYTES = 64 * 1024;
    /** Multipart framing and option fields on top of the image itself. */
    private static final long MULTIPART_OVERHEAD_BYTES = 64 * 1024;

    private final LoadedModel model;
    private final ServerConfig config;
    private final ImageDecoder decoder;
    private final ImageUrlFetcher fetcher;
    private final MicroBatcher batcher;
    private final ServerMetrics metrics;
    private final Javalin app;
    private final Admission admission;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean ready;

    private CaptionServer(LoadedModel model, ServerConfig config) {
        this.model = model;
        this.config = config;
        // Decodes as the CLI does: large pictures subsampled to twice the backbone's input on the short side.
        this.decoder = ImageDecoder.forModelInput(model.manifest().backbone().inputSize(),
                new ImageLimits(config.maxImagePixels(), config.maxUploadBytes()));
        this.fetcher = new ImageUrlFetcher(config.addressPolicy(), config.fetch(), config.maxUploadBytes());
        // The gauge reads the batcher only when scraped, after construction.
        this.metrics = new ServerMetrics(this::queueDepth);
        // Admission bounds the pictures in the service; the batcher's own bound never refuses one it let in.
        this.batcher = new MicroBatcher(model.engine(), config.batchWorkers(), config.admissionPlaces(),
                config.maxBatchSize(), config.batchWait(), metrics::batch);
        this.admission = new Admission(config.admissionPlaces(), config.batchWorkers() * config.maxBatchSize(),
                config.requests().latencyBudget(), batcher::nanosPerPicture, config.requests().decodedPixels(),
                config.requests().decodeWait());
        this.app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/org/captioner/serve/web";
                files.location = Location.CLASSPATH;
            });
            javalin.jetty.multipartConfig.maxFileSize(config.maxUploadBytes(), SizeUnit.BYTES);
            javalin.jetty.multipartConfig.maxTotalRequestSize(config.maxUploadBytes() + MULTIPART_OVERHEAD_BYTES, SizeUnit.BYTES);
            javalin.http.prefer405over404 = true;
            ServerConfig.RequestLimits limits = config.requests();
            // Bodies have a deadline: a silent connection is closed after the idle timeout, a trickling one fails
            // once it falls below the minimum rate; neither holds a thread for long.
            javalin.jetty.modifyHttpConfiguration(http -> {
                // Jetty would hold a request until its first body bytes arrive: refusals made from the headers
                // (a full service, an oversized Content-Length) must not wait for a body they will not read.
                http.setDelayDispatchUntilContent(false);
                http.setIdleTimeout(limits.idleTimeout().toMillis());
                http.setMinRequestDataRate(limits.minBodyBytesPerSecond());
            });
            javalin.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(config.host());
                connector.setPort(config.port());
                connector.setIdleTimeout(limits.idleTimeout().toMillis());
                return connector;
            });
            javalin.jetty.modifyServer(server -> {
                // Jetty's graceful stop lets responses in flight be written before connections close.
                server.setStopTimeout(config.shutdownGrace().toMillis());
                server.setErrorHandler(new JsonErrors());
            });
            javalin.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrors()));
            javalin.requestLogger.http((ctx, millis) -> metrics.request(routeOf(ctx), ctx.method().name(),
                    ctx.statusCode(), millis / 1000.0));
        });
        app.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Referrer-Policy", "no-referrer");
            ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        });
        app.get("/healthz", ctx -> json(ctx, 200, JSON.createObjectNode().put("status", "ok")));
        app.get("/readyz", this::readiness);
        app.get("/metrics", this::scrape);
        app.get(MODELS_ROUTE, ctx -> json(ctx, 200, describeModel()));
        app.post(CAPTIONS_ROUTE, this::caption);
        app.exception(ApiError.class, (error, ctx) -> error(ctx, error));
        app.exception(HttpResponseException.class, (error, ctx) -> error(ctx,
                new ApiError(error.getStatus(), "http_" + error.getStatus(), error.getMessage())));
        app.exception(Exception.class, (error, ctx) -> {
            Optional<ApiError> clientFault = JsonErrors.clientFault(error);
            if (clientFault.isPresent()) {
                error(ctx, clientFault.get());
                return;
            }
            LOG.error("{} {} failed", ctx.method(), ctx.path(), error);
            error(ctx, new ApiError(500, "internal_error", "the service failed to answer; the error is in its log"));
        });
        app.error(404, ctx -> error(ctx, new ApiError(404, "not_found", "no such route: " + ctx.method() + " " + ctx.path())));
        app.error(405, ctx -> {
            String allowed = API_ROUTES.getOrDefault(ctx.path(), "GET, HEAD");
            ctx.header("Allow", allowed);
            error(ctx, new ApiError(405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path()
                    + "; allowed: " + allowed));
        });
    }

    /**
     * Starts serving {@code model} as {@code config} says; returns once the server listens, which it does only after
     * the warm-up (bounded by {@link ServerConfig#warmUp()}).
     */
    public static CaptionServer start(LoadedModel model, ServerConfig config) {
        CaptionServer server = new CaptionServer(model, config);
        server.warmUp();
        try {
            server.app.start();
        } catch (RuntimeException e) {
            server.closeWorkers(); // e.g. the port is taken: leave no batcher thread behind
            throw e;
        }
        server.ready = true;
        LOG.info("serving model {} on http://{}:{}/", model.name(), config.host(), server.port());
        return server;
    }

    /** Captions synthetic pictures before listening, so that the first clients find a warm process; logged. */
    private void warmUp() {
        if (config.warmUp().isZero()) {
            return;
        }
        LOG.info("warming up: captioning synthetic pictures for at most {} ms before listening", config.warmUp().toMillis());
        WarmUp.Outcome outcome = WarmUp.run(model.engine(), decoder, model.manifest().decoding(), config.maxBatchSize(),
                config.warmUp());
        if (outcome.failure() != null) {
            LOG.warn("warm-up failed after {} pictures; serving anyway", outcome.pictures(), outcome.failure());
        } else {
            LOG.info("warmed up: {} synthetic pictures in {} ms", outcome.pictures(), outcome.took().toMillis());
        }
    }

    /** The port the server listens on (the chosen one when the configuration asked for port 0). */
    public int port() {
        return app.port();
    }

    private int queueDepth() {
        return batcher.queueDepth();
    }

    private void readiness(Context ctx) {
        boolean accepting = ready;
        json(ctx, accepting ? 200 : 503, JSON.createObjectNode().put("status", accepting ? "ready" : "stopping")
                .put("model", model.name()));
    }

    private void scrape(Context ctx) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        ctx.contentType(metrics.contentType()).result(out.toByteArray());
    }

    private ObjectNode describeModel() {
        BundleManifest manifest = model.manifest();
        ObjectNode description = JSON.createObjectNode().put("name", model.name()).put("family", manifest.family())
                .put("vocabulary_size", model.vocabularySize());
        description.putObject("backbone").put("name", manifest.backbone().name())
                .put("sha256", manifest.backbone().sha256()).put("input_size", manifest.backbone().inputSize())
                .put("resize", manifest.resize());
        description.putObject("grid").put("height", manifest.gridHeight()).put("width", manifest.gridWidth());
        description.set("decoding_defaults", JSON.valueToTree(manifest.decoding()));
        description.set("dev_metrics", JSON.valueToTree(manifest.devMetrics()));
        // Not the provenance: it names the training machine's paths and command line.
        description.putObject("limits").put("max_upload_bytes", config.maxUploadBytes())
                .put("max_image_pixels", config.maxImagePixels()).put("max_beam", CaptionRequest.MAX_BEAM)
                .put("max_length", CaptionRequest.MAX_LENGTH).put("queue_capacity", config.queueCapacity())
                .put("decoded_pixels_at_once", config.requests().decodedPixels());
        ObjectNode answer = JSON.createObjectNode();
        answer.putArray("models").add(description);
        return answer;
    }

    private void caption(Context ctx) throws IOException, InterruptedException {
        long started = System.nanoTime();
        // Counted before the readiness check, so that stop() never misses a request it let in.
        inFlight.incrementAndGet();
        try {
            if (!ready) {
                throw retryLater(ctx, "the service is shutting down");
            }
            // Admitted before anything of the body is read: a full service refuses at no cost.
            Admission.Ticket ticket = admission.enter();
            if (ticket == null) {
                throw retryLater(ctx, "the service is busy: " + admission.admitted() + " requests are in it, as many as"
                        + " it answers within its latency budget (" + config.requests().latencyBudget().toMillis()
                        + " ms) or its " + config.admissionPlaces() + " places allow");
            }
            try (ticket) {
                captionAdmitted(ctx, ticket, started);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void captionAdmitted(Context ctx, Admission.Ticket ticket, long started) throws IOException, InterruptedException {
        Body body = bodyOf(ctx);
        long announced = ctx.req().getContentLengthLong();
        if (announced > body.maxBytes()) {
            throw new ApiError(413, body.tooLargeCode(), body.description() + " is " + announced
                    + " bytes, more than the limit of " + body.maxBytes() + " bytes");
        }
        JsonNode json = body.kind() == BodyKind.JSON ? readJson(ctx, body) : null;
        // A multipart body is parsed first: its option fields come from the same parse.
        byte[] upload = body.kind() == BodyKind.MULTIPART ? uploadedImage(ctx) : null;
        CaptionRequest options = CaptionRequest.parse(parameters(ctx, json, upload != null),
                model.manifest().decoding());
        BufferedImage picture = picture(ctx, ticket, json, upload);
        CompletableFuture<List<Caption>> captions;
        try {
            captions = batcher.submit(picture, options.decoding());
        } catch (MicroBatcher.QueueFullException e) {
            throw retryLater(ctx, "the service is busy: " + e.getMessage());
        }
        json(ctx, 200, answer(await(ctx, captions), options, started));
    }

    private enum BodyKind { JSON, MULTIPART, RAW }

    /** How the picture comes, with that kind of body's size limit and the words to refuse a larger one. */
    private record Body(BodyKind kind, long maxBytes, String tooLargeCode, String description) {
    }

    private Body bodyOf(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json")) {
            return new Body(BodyKind.JSON, MAX_JSON_BYTES, "body_too_large",
                    "the JSON body (a URL and options; URLs have at most 2048 characters)");
        }
        if (type.startsWith("multipart/form-data")) {
            return new Body(BodyKind.MULTIPART, config.maxUploadBytes() + MULTIPART_OVERHEAD_BYTES, "image_too_large",
                    "the multipart upload (the image and its form fields)");
        }
        return new Body(BodyKind.RAW, config.maxUploadBytes(), "image_too_large", "the image in the request body");
    }

    /** Options from the query string first, then from the JSON body or the form fields. */
    private static Function<String, String> parameters(Context ctx, JsonNode json, boolean form) {
        return name -> {
            String value = ctx.queryParam(name);
            if (value != null) {
                return value;
            }
            if (json != null) {
                return json.hasNonNull(name) ? json.get(name).asText() : null;
            }
            return form ? ctx.formParam(name) : null;
        };
    }

    private ObjectNode answer(List<Caption> captions, CaptionRequest options, long started) {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode list = answer.putArray("captions");
        for (Caption caption : captions) {
            ObjectNode item = list.addObject().put("text", caption.text()).put("score", caption.logProbability());
            if (options.attention()) {
                item.set("words", JSON.valueToTree(caption.words()));
                item.set("attention", JSON.valueToTree(caption.attention()));
            }
        }
        answer.put("model", model.name());
        if (options.attention()) {
            answer.putObject("grid").put("height", model.manifest().gridHeight()).put("width", model.manifest().gridWidth());
        }
        answer.put("timing_ms", Math.round((System.nanoTime() - started) / 1e5) / 10.0);
        return answer;
    }

    private ApiError retryLater(Context ctx, String message) {
        metrics.rejected();
        ctx.header("Retry-After", "1");
        return new ApiError(503, "unavailable", message);
    }

    private List<Caption> await(Context ctx, CompletableFuture<List<Caption>> captions) {
        try {
            return captions.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw retryLater(ctx, "the service is shutting down");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MicroBatcher.QueueFullException) {
                throw retryLater(ctx, e.getCause().getMessage());
            }
            LOG.error("captioning failed", e.getCause());
            throw new ApiError(500, "captioning_failed", "the model failed on this picture; the error is in the service log");
        }
    }

    private static JsonNode readJson(Context ctx, Body body) throws IOException {
        try (InputStream input = ctx.bodyInputStream()) {
            JsonNode json = JSON.readTree(readBody(() -> BoundedInput.readAtMost(input, body.maxBytes(),
                    body.tooLargeCode(), body.description())));
            if (json == null || !json.isObject()) {
                throw new ApiError(400, "invalid_json", "the body must be a JSON object such as {\"url\": \"https://...\"}");
            }
            return json;
        } catch (JacksonException e) {
            throw new ApiError(400, "invalid_json", "the body is not valid JSON");
        }
    }

    /** Reading a request body, which the client may cut off, stall or malform. */
    private interface BodyRead {
        byte[] read() throws IOException;
    }

    /** The body {@code read} gives; the client's faults in sending it are answered as such, not as 500s. */
    private static byte[] readBody(BodyRead read) throws IOException {
        try {
            return read.read();
        } catch (IOException | RuntimeException e) {
            Optional<ApiError> clientFault = e instanceof ApiError ? Optional.empty() : JsonErrors.clientFault(e);
            if (clientFault.isPresent()) {
                throw clientFault.get();
            }
            throw e;
        }
    }

    /** The picture from a JSON {@code url}, the multipart upload, or the raw body, decoded within the pixel budget. */
    private BufferedImage picture(Context ctx, Admission.Ticket ticket, JsonNode json, byte[] upload)
            throws IOException, InterruptedException {
        byte[] bytes;
        String source;
        if (json != null) {
            JsonNode url = json.get("url");
            if (url == null || !url.isTextual()) {
                throw new ApiError(400, "missing_image", "a JSON body needs a \"url\" string");
            }
            bytes = fetcher.fetch(url.asText());
            source = "the image at the URL";
        } else if (upload != null) {
            bytes = upload;
            source = "the uploaded image";
        } else {
            try (InputStream raw = ctx.bodyInputStream()) {
                bytes = readBody(() -> BoundedInput.readImage(raw, config.maxUploadBytes(), "the image in the request body"));
            }
            source = "the request body";
        }
        if (bytes.length == 0) {
            throw new ApiError(400, "missing_image",
                    "no image: send it as multipart field 'image', as the raw body, or as JSON {\"url\": ...}");
        }
        try {
            reserveDecodingMemory(ctx, ticket, decoder.probe(bytes, source));
            return decoder.decode(bytes, source);
        } catch (ImageDecodeException e) {
            throw switch (e.kind()) {
                case TOO_MANY_BYTES -> new ApiError(413, "image_too_large", e.getMessage());
                case TOO_MANY_PIXELS -> new ApiError(413, "too_many_pixels", e.getMessage());
                case NOT_AN_IMAGE -> new ApiError(415, "not_an_image", e.getMessage());
                case CORRUPT, UNREADABLE -> new ApiError(400, "corrupt_image", e.getMessage());
            };
        } catch (OutOfMemoryError e) {
            // The pixel budget should make this impossible; if the heap is smaller than the budget needs, the
            // request is refused as a busy service would refuse it, and the cause is logged for the operator.
            LOG.warn("decoding {} bytes ran out of memory: the heap is too small for the decoded-pixel budget of {} ({})",
                    bytes.length, config.requests().decodedPixels(), e.toString());
            throw retryLater(ctx, "the service has no memory free to decode this picture now");
        }
    }

    /**
     * Waits (bounded) for room in the decoded-pixel budget for this picture: the pixels its reader holds while
     * decoding it (subsampled, so a 40-megapixel PNG holds about 0.3 megapixels), as its header says. Pictures
     * the decoder would refuse never get here: the probe refuses them from the header alone.
     */
    private void reserveDecodingMemory(Context ctx, Admission.Ticket ticket, ImageHeader header) throws InterruptedException {
        long pixels = header.heldPixels();
        if (!ticket.reservePixels(pixels)) {
            throw retryLater(ctx, "the service is busy decoding other large pictures (" + pixels + " pixels wanted, "
                    + admission.pixelBudget() + " decoded at once at most; waited " + admission.pixelWait().toMillis() + " ms)");
        }
    }

    private byte[] uploadedImage(Context ctx) throws IOException {
        UploadedFile file;
        try {
            file = ctx.uploadedFile("image");
        } catch (Exception e) {
            throw multipartFailure(e);
        }
        if (file == null) {
            throw new ApiError(400, "missing_image", "the multipart form has no file field named 'image'");
        }
        try (InputStream content = file.content()) {
            return BoundedInput.readImage(content, config.maxUploadBytes(), "the uploaded image");
        }
    }

    /**
     * Jetty's multipart parser reports limits with IllegalStateException (too many parts, a part or the body over
     * the size limits), a malformed body with IOException, a stalled or cut-off one as any read (undeclared: the
     * call is Kotlin).
     */
    private ApiError multipartFailure(Exception e) {
        Optional<ApiError> clientFault = JsonErrors.clientFault(e);
        if (clientFault.isPresent()) {
            return clientFault.get();
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalStateException limit) {
                String message = String.valueOf(limit.getMessage());
                if (message.toLowerCase(Locale.ROOT).contains("too many parts")) {
                    return new ApiError(400, "too_many_parts", "the multipart form has too many parts (" + message
                            + "): send the field 'image' and the few option fields");
                }
                return new ApiError(413, "image_too_large", "the upload is larger than the limit of "
                        + config.maxUploadBytes() + " bytes");
            }
        }
        return new ApiError(400, "invalid_multipart", "the multipart/form-data body cannot be parsed");
    }

    /** The API route a request went to; the page's files and unknown paths share one label to bound the series. */
    private static String routeOf(Context ctx) {
        return API_ROUTES.containsKey(ctx.path()) ? ctx.path() : "other";
    }

    private static void error(Context ctx, ApiError error) {
        ctx.status(error.status()).contentType("application/json").result(JsonErrors.body(error));
    }

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    /**
     * Stops gracefully: readiness turns to 503 and new caption requests are refused at once, requests in flight
     * finish (for up to the configured grace), the batcher captions what it holds, then the server closes.
     */
    public void stop() {
        ready = false;
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        closeWorkers();
        app.stop();
        LOG.info("stopped");
    }

    /** Captions what the batcher holds, then stops it and the URL fetcher. */
    private void closeWorkers() {
        try {
            batcher.close();
            fetcher.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("closing the URL fetcher failed: {}", e.toString());
        }
    }

    private static void sleepBriefly() {
        try {
            TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
