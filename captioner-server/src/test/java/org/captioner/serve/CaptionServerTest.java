package org.captioner.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.captioner.Captioner;
import org.captioner.decode.DecodingOptions;
import org.captioner.image.ImageDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** Starts the real server with a tiny random model on a free port and exercises every route and refusal. */
class CaptionServerTest {
    private static final long UPLOAD_LIMIT = 100 * 1024;
    private static final byte[] PHOTO = TestImages.jpeg(224, 224, 1);

    @TempDir
    static Path directory;
    private static Captioner captioner;
    private static CaptionServer server;
    private static ServiceClient client;
    /** The site a URL request may fetch from: the one non-public address this server's policy lets through. */
    private static LocalWebServer origin;
    /** A loopback site that the policy must keep the server from ever reaching. */
    private static LocalWebServer forbidden;

    @BeforeAll
    static void start() throws Exception {
        captioner = TinyModel.load(directory);
        forbidden = new LocalWebServer().serve("/x.jpg", "image/jpeg", PHOTO);
        origin = new LocalWebServer().serve("/photo.jpg", "image/jpeg", PHOTO)
                .redirect("/to-loopback", "http://127.0.0.1:" + forbidden.port() + "/x.jpg")
                .redirect("/loop", "/loop");
        // Both test sites are on 127.0.0.1, which the real policy refuses. To follow a redirect at all, the test
        // allows exactly the origin's address and port on top of the public-only policy: the redirect target, on
        // the same IP but another port, is still refused.
        AddressPolicy publicOrOrigin = address -> AddressPolicy.PUBLIC_ONLY.allows(address) || address.equals(origin.address());
        ServerConfig config = ServerConfig.builder().optAddress("127.0.0.1", 0).optMaxUploadBytes(UPLOAD_LIMIT)
                .optAddressPolicy(publicOrOrigin).build();
        server = CaptionServer.start(LoadedModel.of("tiny", captioner), config);
        client = new ServiceClient(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        captioner.close();
        origin.close();
        forbidden.close();
    }

    @Test
    void servesThePageTheOpenApiDescriptionAndTheProbes() throws Exception {
        ServiceClient.Answer page = client.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Captioner</title>", "app.js");
        assertThat(client.get("/app.js").body()).contains("drawAttention");
        assertThat(client.get("/openapi.yaml").body()).contains("openapi: 3", "/api/v1/captions", "/api/v1/models");
        assertThat(client.get("/healthz").json().get("status").asText()).isEqualTo("ok");
        ServiceClient.Answer ready = client.get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("ready");
    }

    @Test
    void describesTheLoadedModel() throws Exception {
        ServiceClient.Answer answer = client.get("/api/v1/models");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode model = answer.json().get("models").get(0);
        assertThat(model.get("name").asText()).isEqualTo("tiny");
        assertThat(model.get("family").asText()).isEqualTo("show-attend-tell");
        assertThat(model.get("backbone").get("name").asText()).isEqualTo("mobilenet_v2");
        assertThat(model.get("grid").get("height").asInt()).isEqualTo(7);
        assertThat(model.get("vocabulary_size").asInt()).isEqualTo(captioner.vocabulary().size());
        assertThat(model.get("decoding_defaults").get("beamWidth").asInt()).isEqualTo(3);
        assertThat(model.get("limits").get("max_upload_bytes").asLong()).isEqualTo(UPLOAD_LIMIT);
    }

    @Test
    void captionsAMultipartUploadWithOptionsAndAttention() throws Exception {
        ServiceClient.Answer answer = client.postMultipart(PHOTO, Map.of("beam", "3", "n", "2", "attention", "true"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("model").asText()).isEqualTo("tiny");
        assertThat(body.get("timing_ms").asDouble()).isPositive();
        assertThat(body.get("grid").get("width").asInt()).isEqualTo(7);
        JsonNode captions = body.get("captions");
        assertThat(captions).hasSize(2);
        assertThat(captions.get(0).get("score").asDouble()).isGreaterThanOrEqualTo(captions.get(1).get("score").asDouble());
        for (JsonNode caption : captions) {
            assertThat(caption.get("text").asText()).isNotBlank();
            assertThat(caption.get("score").asDouble()).isNegative();
            JsonNode attention = caption.get("attention");
            assertThat(attention).hasSize(caption.get("words").size());
            double total = 0;
            for (JsonNode weight : attention.get(0)) {
                total += weight.asDouble();
            }
            assertThat(attention.get(0)).hasSize(49);
            assertThat(total).isCloseTo(1.0, offset(1e-3));
        }
    }

    @Test
    void captionsARawBodyWithQueryOptions() throws Exception {
        ServiceClient.Answer answer = client.postImage("?beam=1&max_length=5", PHOTO, "image/jpeg");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode caption = answer.json().get("captions").get(0);
        assertThat(answer.json().get("captions")).hasSize(1);
        assertThat(caption.get("text").asText().split(" ")).hasSizeLessThanOrEqualTo(5);
        assertThat(caption.has("attention")).isFalse();
        // Greedy decoding through the service gives what the library gives for the same picture.
        String direct = captioner.caption(new ImageDecoder().decode(PHOTO, "photo"), DecodingOptions.greedy(5)).get(0).text();
        assertThat(caption.get("text").asText()).isEqualTo(direct);
    }

    @Test
    void captionsAnImageFetchedFromAnAllowedUrl() throws Exception {
        int before = origin.hits.get();
        ServiceClient.Answer answer = client.postJson("", "{\"url\": \"http://127.0.0.1:" + origin.port() + "/photo.jpg\", \"n\": 1}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("captions").get(0).get("text").asText()).isNotBlank();
        assertThat(origin.hits.get()).isEqualTo(before + 1);
    }

    @Test
    void refusesAUrlWhoseHostResolvesToLoopbackWithoutConnecting() throws Exception {
        ServiceClient.Answer answer = client.postJson("", "{\"url\": \"http://localhost:" + forbidden.port() + "/x.jpg\"}");
        assertError(answer, 400, "url_not_allowed");
        assertThat(answer.json().get("error").get("message").asText()).contains("localhost", "not a public address");
        assertThat(forbidden.hits.get()).isZero();
    }

    @Test
    void refusesARedirectToLoopbackWithoutFollowingIt() throws Exception {
        int before = origin.hits.get();
        ServiceClient.Answer answer = client.postJson("", "{\"url\": \"http://127.0.0.1:" + origin.port() + "/to-loopback\"}");
        assertError(answer, 400, "url_not_allowed");
        assertThat(answer.json().get("error").get("message").asText()).contains("127.0.0.1");
        assertThat(origin.hits.get()).isEqualTo(before + 1);
        assertThat(forbidden.hits.get()).isZero();
    }

    @Test
    void refusesEndlessRedirectsOtherSchemesAndBadJson() throws Exception {
        assertError(client.postJson("", "{\"url\": \"http://127.0.0.1:" + origin.port() + "/loop\"}"), 400, "too_many_redirects");
        assertError(client.postJson("", "{\"url\": \"file:///etc/passwd\"}"), 400, "url_not_allowed");
        assertError(client.postJson("", "{\"url\": \"ftp://example.org/x.jpg\"}"), 400, "url_not_allowed");
        assertError(client.postJson("", "{\"url\": \"http://[::1]:" + forbidden.port() + "/x.jpg\"}"), 400, "url_not_allowed");
        assertError(client.postJson("", "{\"url\": \"not a url at all\"}"), 400, "invalid_url");
        assertError(client.postJson("", "{\"url\": "), 400, "invalid_json");
        assertError(client.postJson("", "{\"image\": \"x\"}"), 400, "missing_image");
        assertThat(forbidden.hits.get()).isZero();
    }

    @Test
    void refusesUploadsOverTheSizeLimitWith413() throws Exception {
        byte[] large = new byte[(int) UPLOAD_LIMIT + 1];
        System.arraycopy(PHOTO, 0, large, 0, PHOTO.length);
        assertError(client.postImage("", large, "image/jpeg"), 413, "image_too_large");
        byte[] huge = new byte[(int) UPLOAD_LIMIT * 3];
        assertError(client.postMultipart(huge, Map.of()), 413, "image_too_large");
    }

    @Test
    void refusesOversizeBodiesSentWithoutContentLength() throws Exception {
        byte[] large = new byte[(int) UPLOAD_LIMIT * 3];
        assertError(client.postStreamed("", large, "image/jpeg"), 413, "image_too_large");
        String boundary = "streamed";
        byte[] multipart = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n" + "x".repeat((int) UPLOAD_LIMIT * 3) + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        assertError(client.postStreamed("", multipart, "multipart/form-data; boundary=" + boundary), 413, "image_too_large");
    }

    @Test
    void refusesAMalformedMultipartBody() throws Exception {
        assertError(client.postImage("", "this is no multipart body".getBytes(StandardCharsets.UTF_8),
                "multipart/form-data; boundary=nothing"), 400, "invalid_multipart");
    }

    @Test
    void refusesNonImagesCorruptImagesAndAbsurdDimensions() throws Exception {
        assertError(client.postImage("", "just some text".getBytes(StandardCharsets.UTF_8), "image/jpeg"), 415, "not_an_image");
        assertError(client.postImage("", Arrays.copyOf(PHOTO, PHOTO.length / 2), "image/jpeg"), 400, "corrupt_image");
        assertError(client.postImage("", TestImages.pngHeaderOnly(100_000, 100_000), "image/png"), 413, "too_many_pixels");
        assertError(client.postImage("", new byte[0], "image/jpeg"), 400, "missing_image");
        assertError(client.postImage("", "--x\r\nContent-Disposition: form-data; name=\"beam\"\r\n\r\n2\r\n--x--\r\n"
                .getBytes(StandardCharsets.UTF_8), "multipart/form-data; boundary=x"), 400, "missing_image");
    }

    @Test
    void refusesInvalidOptions() throws Exception {
        assertError(client.postImage("?beam=0", PHOTO, "image/jpeg"), 400, "invalid_option");
        assertError(client.postImage("?beam=11", PHOTO, "image/jpeg"), 400, "invalid_option");
        assertError(client.postImage("?beam=2&n=3", PHOTO, "image/jpeg"), 400, "invalid_option");
        assertError(client.postImage("?max_length=many", PHOTO, "image/jpeg"), 400, "invalid_option");
        assertError(client.postImage("?attention=maybe", PHOTO, "image/jpeg"), 400, "invalid_option");
    }

    @Test
    void unknownRoutesAnswerJson404() throws Exception {
        assertError(client.get("/api/v1/nothing-here"), 404, "not_found");
    }

    @Test
    void concurrentRequestsAreAllCaptionedAndCounted() throws Exception {
        int clients = 16;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<ServiceClient.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                byte[] picture = TestImages.jpeg(224, 224, 100 + i);
                answers.add(pool.submit(() -> client.postImage("", picture, "image/jpeg")));
            }
            for (Future<ServiceClient.Answer> answer : answers) {
                assertThat(answer.get().status()).as(answer.get().body()).isEqualTo(200);
                assertThat(answer.get().json().get("captions").get(0).get("text").asText()).isNotBlank();
            }
        } finally {
            pool.shutdown();
        }
        String metrics = client.get("/metrics").body();
        assertThat(metrics).contains("captioner_batch_size_count", "captioner_queue_depth",
                "captioner_http_request_duration_seconds_bucket", "captioner_requests_rejected_total");
        assertThat(metrics).containsPattern(
                "captioner_http_requests_total\\{method=\"POST\",route=\"/api/v1/captions\",status=\"200\"} \\d+");
        assertThat(batchedPictures(metrics)).isGreaterThanOrEqualTo(clients);
    }

    /** The sum of all batch sizes: every captioned picture went through a batch. */
    private static double batchedPictures(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("captioner_batch_size_sum"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static void assertError(ServiceClient.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        if (code != null) {
            assertThat(answer.errorCode()).isEqualTo(code);
        }
        assertThat(answer.json().get("error").get("message").asText()).isNotBlank();
        // No stack trace or exception class name reaches the client.
        assertThat(answer.body()).doesNotContain("Exception", "\tat ", ".java:");
    }
}
