package org.captioner.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.captioner.Captioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What hostile or careless clients send, against the real server on loopback with a 1 s idle timeout and a
 * 1000 B/s minimum body rate: every answer comes in bounded time, as JSON, with a 4xx where the client is at fault.
 */
class RequestHardeningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(6);
    private static final String CAPTION_HEADERS = "POST /api/v1/captions HTTP/1.1\r\nHost: localhost\r\n";

    @TempDir
    static Path directory;
    private static Captioner captioner;
    private static CaptionServer server;
    private static ServiceClient client;

    @BeforeAll
    static void start() throws Exception {
        captioner = TinyModel.load(directory);
        ServerConfig defaults = ServerConfig.defaults();
        server = CaptionServer.start(LoadedModel.of("tiny", captioner), defaults.toBuilder().optAddress("127.0.0.1", 0)
                .optRequestLimits(new ServerConfig.RequestLimits(defaults.requests().latencyBudget(), defaults.requests().decodedPixels(),
                        Duration.ofSeconds(2), Duration.ofSeconds(1), 1000)).build());
        client = new ServiceClient(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        captioner.close();
    }

    @Test
    void stalledBodiesAreAnswered408WithinTheIdleTimeout() throws Exception {
        List<RawHttp> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                stalled.add(new RawHttp(server.port(), READ_TIMEOUT).send(CAPTION_HEADERS
                        + "Content-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\n0123456789"));
            }
            for (RawHttp connection : stalled) {
                assertJsonError(connection.answer(), 408, "request_timeout");
            }
        } finally {
            for (RawHttp connection : stalled) {
                connection.close();
            }
        }
    }

    @Test
    void aTricklingBodyIsAnswered408() throws Exception {
        try (RawHttp raw = new RawHttp(server.port(), READ_TIMEOUT)) {
            raw.send(CAPTION_HEADERS + "Content-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n");
            // 5 bytes a second, each gap well inside the idle timeout.
            for (int i = 0; i < 10; i++) {
                raw.send("x");
                Thread.sleep(200);
            }
            assertJsonError(raw.answer(), 408, "request_timeout");
        }
    }

    @Test
    void aBodyCutOffBeforeItsAnnouncedEndIsAnswered400() throws Exception {
        try (RawHttp raw = new RawHttp(server.port(), READ_TIMEOUT)) {
            raw.send(CAPTION_HEADERS + "Content-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\n0123456789").endInput();
            assertJsonError(raw.answer(), 400, "incomplete_body");
        }
    }

    @Test
    void aBadChunkSizeIsAnswered400Json() throws Exception {
        try (RawHttp raw = new RawHttp(server.port(), READ_TIMEOUT)) {
            raw.send(CAPTION_HEADERS + "Content-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n");
            assertJsonError(raw.answer(), 400, null);
        }
    }

    @Test
    void aMalformedRequestLineIsAnswered400JsonByJetty() throws Exception {
        try (RawHttp raw = new RawHttp(server.port(), READ_TIMEOUT)) {
            assertJsonError(raw.send("GARBAGE\r\n\r\n").answer(), 400, null);
        }
    }

    @ParameterizedTest
    @CsvSource({"image/jpeg, 10485761, image_too_large, the image in the request body",
            "application/json, 70000, body_too_large, the JSON body",
            "multipart/form-data; boundary=x, 900000000, image_too_large, the multipart upload"})
    void anOversizedContentLengthIsAnswered413AtOnceWithoutABody(String type, long length, String code, String what)
            throws Exception {
        try (RawHttp raw = new RawHttp(server.port(), Duration.ofSeconds(3))) {
            String answer = raw.send(CAPTION_HEADERS + "Content-Type: " + type + "\r\nContent-Length: " + length + "\r\n\r\n")
                    .answer();
            assertJsonError(answer, 413, code);
            assertThat(message(answer)).startsWith(what).contains(Long.toString(length));
        }
    }

    @Test
    void aHugeUrlIsRefusedAsAnOversizedJsonBodyNotAsAnImage() throws Exception {
        ServiceClient.Answer answer = client.postJson("", "{\"url\": \"http://example.org/" + "a".repeat(100_000) + "\"}");
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.errorCode()).isEqualTo("body_too_large");
        assertThat(answer.json().get("error").get("message").asText()).contains("JSON body", "2048").doesNotContain("image");
    }

    @Test
    void aFormOfTwentyThousandTextPartsIsRefusedForItsPartsNotItsSize() throws Exception {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            form.append("--x\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nv\r\n");
        }
        form.append("--x--\r\n");
        ServiceClient.Answer answer = client.postImage("", form.toString().getBytes(StandardCharsets.UTF_8),
                "multipart/form-data; boundary=x");
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo("too_many_parts");
        assertThat(answer.body()).doesNotContain("larger than");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.org:99999/x.jpg", "http://example.org:0/x.jpg"})
    void aUrlWithAnImpossiblePortIsAnswered400BeforeAnyLookup(String url) throws Exception {
        ServiceClient.Answer answer = client.postJson("", "{\"url\": \"" + url + "\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo("invalid_url");
        assertThat(answer.json().get("error").get("message").asText()).contains("port");
    }

    @ParameterizedTest
    @CsvSource({"PUT, /api/v1/captions, POST", "DELETE, /api/v1/captions, POST", "TRACE, /api/v1/captions, POST",
            "PUT, /api/v1/models, 'GET, HEAD'", "DELETE, /healthz, 'GET, HEAD'", "POST, /api/v1/models, 'GET, HEAD'"})
    void otherMethodsOnApiRoutesAnswer405WithAllow(String method, String path, String allowed) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(READ_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue(allowed);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void headIsAnsweredOnTheRoutesWhoseAllowListsIt() throws Exception {
        HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(READ_TIMEOUT).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gif", "bmp", "png", "jpg"})
    void everyFormatTheDecoderReadsIsCaptioned(String format) throws Exception {
        ServiceClient.Answer answer = client.postImage("", TestImages.encoded(format, 320, 240, 11), "application/octet-stream");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("captions").get(0).get("text").asText()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/app.js", "/api/v1/models", "/healthz"})
    void everyAnswerForbidsFramingAndSniffingAndThePageHasAContentSecurityPolicy(String path) throws Exception {
        ServiceClient.Answer answer = client.get(path);
        assertThat(answer.status()).isEqualTo(200);
        var headers = answer.raw().headers();
        assertThat(headers.firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe"));
        assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    @Test
    void theModelDescriptionShowsNoLocalPathsOrCommandLines() throws Exception {
        ServiceClient.Answer answer = client.get("/api/v1/models");
        JsonNode model = answer.json().get("models").get(0);
        assertThat(model.has("provenance")).isFalse();
        assertThat(answer.body()).doesNotContain("random weights for tests", directory.toString(), "/");
        assertThat(model.get("backbone").get("sha256").asText()).hasSize(64);
    }

    private static String message(String response) throws Exception {
        return JSON.readTree(RawHttp.body(response)).path("error").path("message").asText();
    }

    private static void assertJsonError(String response, int status, String code) throws Exception {
        assertThat(response).as("an answer within " + READ_TIMEOUT).isNotNull();
        assertThat(RawHttp.status(response)).as(response).isEqualTo(status);
        assertThat(response.toLowerCase()).as(response).contains("content-type: application/json");
        JsonNode error = JSON.readTree(RawHttp.body(response)).path("error");
        assertThat(error.path("message").asText()).isNotBlank();
        if (code != null) {
            assertThat(error.path("code").asText()).as(response).isEqualTo(code);
        }
    }
}
