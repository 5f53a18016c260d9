package org.captioner.serve;

import org.captioner.Caption;
import org.captioner.Captioner;
import org.captioner.PictureFeatures;
import org.captioner.decode.DecodingOptions;
import org.captioner.image.FlatPng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real server and model, with the model's first batch held at a gate: this makes "the model is busy"
 * a fact the test controls, rather than a race against the clock.
 */
class ServerBackpressureTest {
    private static final byte[] PHOTO = TestImages.jpeg(224, 224, 3);

    @TempDir
    static Path directory;
    private static Captioner captioner;
    private final CountDownLatch busy = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private CaptionServer server;
    private ServiceClient client;

    @BeforeAll
    static void loadModel() throws Exception {
        captioner = TinyModel.load(directory);
    }

    @AfterAll
    static void closeModel() throws Exception {
        captioner.close();
    }

    /** One worker, one picture a batch and one place in the queue, so the third concurrent request finds the queue full. */
    private void startServer() {
        startServer(ServerConfig.builder().optAddress("127.0.0.1", 0).optBatching(1, 1, 1, Duration.ZERO).build());
    }

    private void startServer(ServerConfig config) {
        CaptionEngine model = CaptionEngine.of(captioner);
        CaptionEngine held = new CaptionEngine() {
            @Override
            public PictureFeatures features(List<BufferedImage> pictures) throws IOException {
                busy.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return model.features(pictures);
            }

            @Override
            public List<List<Caption>> caption(PictureFeatures features, DecodingOptions options) {
                return model.caption(features, options);
            }
        };
        // No warm-up: it would wait at the gate like any batch.
        server = CaptionServer.start(LoadedModel.of("tiny", captioner).withEngine(held),
                config.toBuilder().optWarmUp(Duration.ZERO).build());
        client = new ServiceClient(server.port());
    }

    @AfterEach
    void stop() {
        gate.countDown();
        server.stop();
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndTheWaitingRequestsStillSucceed() throws Exception {
        List<CompletableFuture<ServiceClient.Answer>> inService = fillTheService();

        ServiceClient.Answer refused = client.postImage("", PHOTO, "image/jpeg");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.raw().headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.errorCode()).isEqualTo("unavailable");

        openTheGateAndExpectCaptions(inService);
        assertThat(client.get("/metrics").body()).contains("captioner_requests_rejected_total 1.0");
    }

    @Test
    void aFullServiceRefusesAtOnceWithoutWaitingForTheBody() throws Exception {
        List<CompletableFuture<ServiceClient.Answer>> inService = fillTheService();

        // Headers announcing 5 MB and no body at all: only a refusal made before reading the body can answer.
        try (RawHttp raw = new RawHttp(server.port(), Duration.ofSeconds(5))) {
            String answer = raw.send("POST /api/v1/captions HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
                    + "Content-Length: 5000000\r\n\r\n").answer();
            assertThat(answer).as("an answer within 5 s").isNotNull();
            assertThat(RawHttp.status(answer)).isEqualTo(503);
            assertThat(answer).containsIgnoringCase("Retry-After: 1").contains("\"code\":\"unavailable\"", "requests are in it");
        }
        openTheGateAndExpectCaptions(inService);
    }

    @Test
    void decodedPicturesAreBoundedByThePixelBudgetAndALateRequestIsRefusedAfterABoundedWait() throws Exception {
        // Room for one 1000x1000 picture (decoded subsampled to 500x500) at a time; requests wait 300 ms for room.
        startServer(ServerConfig.builder().optAddress("127.0.0.1", 0).optBatching(1, 4, 1, Duration.ZERO)
                .optRequestLimits(pixelBudget(500 * 500)).build());
        byte[] large = TestImages.encoded("png", 1000, 1000, 7);
        byte[] small = TestImages.encoded("png", 300, 200, 8);
        CompletableFuture<ServiceClient.Answer> holding = postAsync(large);
        assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();

        long sent = System.nanoTime();
        ServiceClient.Answer refused = client.postImage("", small, "image/png");
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo("unavailable");
        assertThat(refused.json().get("error").get("message").asText()).contains("decoding other large pictures");
        assertThat(refused.raw().headers().firstValue("Retry-After")).hasValue("1");
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        gate.countDown();
        assertThat(holding.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        ServiceClient.Answer after = client.postImage("", small, "image/png");
        assertThat(after.status()).as("the budget is given back: %s", after.body()).isEqualTo(200);
    }

    @Test
    void aHugePictureIsChargedThePixelsItIsDecodedToNotThoseOfItsHeader() throws Exception {
        // 7,300 x 5,440 (39.7 megapixels in the header) is decoded to 609 x 454 for the tiny model's 224 input:
        // a budget of 1 megapixel holds three of them, where charging the header would hold one.
        startServer(ServerConfig.builder().optAddress("127.0.0.1", 0).optBatching(1, 4, 1, Duration.ZERO)
                .optRequestLimits(pixelBudget(1_000_000)).build());
        byte[] huge = FlatPng.of(7300, 5440);
        CompletableFuture<ServiceClient.Answer> holding = postAsync(huge);
        assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();

        List<CompletableFuture<ServiceClient.Answer>> waiting = List.of(postAsync(huge), postAsync(huge));
        // Both decoded and queued behind the gate, or one refused after its 300 ms wait for room.
        awaitUntil(() -> waiting.stream().anyMatch(CompletableFuture::isDone)
                || client.get("/metrics").body().contains("captioner_queue_depth 2.0"));
        gate.countDown();
        assertThat(holding.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
        for (CompletableFuture<ServiceClient.Answer> answer : waiting) {
            assertThat(answer.get(60, TimeUnit.SECONDS).status()).as(answer.get().body()).isEqualTo(200);
        }
    }

    /** No latency budget, {@code pixels} decoded pixels held at once, 300 ms of waiting for room. */
    private static ServerConfig.RequestLimits pixelBudget(long pixels) {
        return new ServerConfig.RequestLimits(Duration.ZERO, pixels, Duration.ofMillis(300), Duration.ofSeconds(10), 1024);
    }

    @Test
    void stoppingFinishesRequestsInFlightAndRefusesNewOnes() throws Exception {
        startServer();
        CompletableFuture<ServiceClient.Answer> inFlight = postAsync();
        assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
        awaitNotReady();

        ServiceClient.Answer refused = client.postImage("", PHOTO, "image/jpeg");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.raw().headers().firstValue("Retry-After")).hasValue("1");
        assertThat(stopping).isNotDone();

        gate.countDown();
        ServiceClient.Answer finished = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(finished.status()).isEqualTo(200);
        assertThat(finished.json().get("captions").get(0).get("text").asText()).isNotBlank();
        stopping.get(30, TimeUnit.SECONDS);
    }

    /** One request held captioning at the gate and one queued behind it: every place of the default server taken. */
    private List<CompletableFuture<ServiceClient.Answer>> fillTheService() throws Exception {
        startServer();
        CompletableFuture<ServiceClient.Answer> captioning = postAsync();
        assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<ServiceClient.Answer> queued = postAsync();
        awaitQueueDepth(1);
        return List.of(captioning, queued);
    }

    private void openTheGateAndExpectCaptions(List<CompletableFuture<ServiceClient.Answer>> requests) throws Exception {
        gate.countDown();
        for (CompletableFuture<ServiceClient.Answer> request : requests) {
            assertThat(request.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }

    private CompletableFuture<ServiceClient.Answer> postAsync() {
        return postAsync(PHOTO);
    }

    private CompletableFuture<ServiceClient.Answer> postAsync(byte[] picture) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.postImage("", picture, "application/octet-stream");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Waits (bounded) until the metrics show {@code depth} pictures queued. */
    private void awaitQueueDepth(int depth) throws Exception {
        awaitUntil(() -> client.get("/metrics").body().contains("captioner_queue_depth " + depth + ".0"));
    }

    private void awaitNotReady() throws Exception {
        awaitUntil(() -> client.get("/readyz").status() == 503);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!check.holds()) {
            assertThat(System.nanoTime()).as("condition reached within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
