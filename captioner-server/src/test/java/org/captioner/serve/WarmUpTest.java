package org.captioner.serve;

import org.captioner.Caption;
import org.captioner.Captioner;
import org.captioner.PictureFeatures;
import org.captioner.decode.DecodingOptions;
import org.captioner.image.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WarmUpTest {
    private static final DecodingOptions GREEDY = DecodingOptions.greedy(10);

    /** Records the size of every batch, after an optional pause per backbone call; captions nothing. */
    private static class RecordingEngine implements CaptionEngine {
        final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        private final long pauseMillis;

        RecordingEngine(long pauseMillis) {
            this.pauseMillis = pauseMillis;
        }

        @Override
        public PictureFeatures features(List<BufferedImage> pictures) throws IOException {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batches.add(pictures.size());
            return new PictureFeatures(new float[0], pictures.size());
        }

        @Override
        public List<List<Caption>> caption(PictureFeatures features, DecodingOptions options) {
            return Collections.nCopies(features.pictures(), List.of());
        }
    }

    @Test
    void captionsFullBatchesOfDecodedPicturesUpToItsPictureLimit() {
        RecordingEngine engine = new RecordingEngine(0);
        WarmUp.Outcome outcome = WarmUp.run(engine, new ImageDecoder(), GREEDY, 16, Duration.ofMinutes(1));
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.pictures()).isEqualTo(WarmUp.MAX_PICTURES);
        assertThat(engine.batches).hasSize(WarmUp.MAX_PICTURES / 16).containsOnly(16);
    }

    @Test
    void stopsAfterItsTimeBudgetFinishingTheBatchItStarted() {
        RecordingEngine engine = new RecordingEngine(100);
        WarmUp.Outcome outcome = WarmUp.run(engine, new ImageDecoder(), GREEDY, 4, Duration.ofMillis(250));
        assertThat(outcome.failure()).isNull();
        // At most the batches that fit in the budget plus the one that started before its end; fewer on a slow machine.
        assertThat(engine.batches).hasSizeBetween(1, 4);
        assertThat(outcome.pictures()).isEqualTo(4 * engine.batches.size());
        assertThat(outcome.took()).isLessThan(Duration.ofMillis(250 + 100 + 1000));
    }

    @Test
    void aModelFailingOnTheWarmUpIsReportedNotThrown() {
        CaptionEngine failing = new RecordingEngine(0) {
            @Override
            public List<List<Caption>> caption(PictureFeatures features, DecodingOptions options) {
                throw new IllegalStateException("broken decoder");
            }
        };
        WarmUp.Outcome outcome = WarmUp.run(failing, new ImageDecoder(), GREEDY, 16, Duration.ofMinutes(1));
        assertThat(outcome.pictures()).isZero();
        assertThat(outcome.failure()).hasMessage("broken decoder");
    }

    @Test
    void theServerWarmsUpWithTheRealModelBeforeItListensAndServesAfterwards(@TempDir Path directory) throws Exception {
        try (Captioner captioner = TinyModel.load(directory)) {
            warmsUpBeforeListening(captioner);
        }
    }

    private static void warmsUpBeforeListening(Captioner captioner) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        CaptionEngine model = CaptionEngine.of(captioner);
        List<Boolean> portOpenDuringWarmUp = Collections.synchronizedList(new ArrayList<>());
        List<Integer> batchesBeforeListening = Collections.synchronizedList(new ArrayList<>());
        int listeningPort = port;
        CaptionEngine observed = new CaptionEngine() {
            @Override
            public PictureFeatures features(List<BufferedImage> pictures) throws IOException {
                portOpenDuringWarmUp.add(accepts(listeningPort));
                batchesBeforeListening.add(pictures.size());
                return model.features(pictures);
            }

            @Override
            public List<List<Caption>> caption(PictureFeatures features, DecodingOptions options) {
                return model.caption(features, options);
            }
        };
        CaptionServer server = CaptionServer.start(LoadedModel.of("tiny", captioner).withEngine(observed),
                ServerConfig.builder().optAddress("127.0.0.1", port).optWarmUp(Duration.ofSeconds(30)).build());
        try {
            assertThat(batchesBeforeListening).hasSize(WarmUp.MAX_PICTURES / ServerConfig.DEFAULT_MAX_BATCH_SIZE);
            assertThat(portOpenDuringWarmUp).containsOnly(false);
            ServiceClient.Answer answer = new ServiceClient(server.port())
                    .postImage("", TestImages.jpeg(224, 224, 3), "image/jpeg");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().get("captions").get(0).get("text").asText())
                    .isEqualTo(captioner.caption(new ImageDecoder().decode(TestImages.jpeg(224, 224, 3), "photo"),
                            captioner.manifest().decoding()).get(0).text());
        } finally {
            server.stop();
        }
    }

    @Test
    void noWarmUpWhenItsBudgetIsZero(@TempDir Path directory) throws Exception {
        RecordingEngine engine = new RecordingEngine(0);
        try (Captioner captioner = TinyModel.load(directory)) {
            CaptionServer server = CaptionServer.start(LoadedModel.of("tiny", captioner).withEngine(engine),
                    ServerConfig.builder().optAddress("127.0.0.1", 0).optWarmUp(Duration.ZERO).build());
            server.stop();
        }
        assertThat(engine.batches).isEmpty();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
