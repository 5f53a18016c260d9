package org.captioner.serve;

import org.captioner.Caption;
import org.captioner.PictureFeatures;
import org.captioner.decode.DecodingOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MicroBatcherTest {
    private static final DecodingOptions GREEDY = DecodingOptions.greedy(10);
    private static final DecodingOptions BEAM = DecodingOptions.beam(3, 10);

    /** Captions each picture with its width, records every backbone call, and holds the first one until released. */
    private final GatedEngine engine = new GatedEngine();
    private final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    private MicroBatcher batcher;

    @AfterEach
    void close() throws InterruptedException {
        engine.release();
        batcher.close();
    }

    @Test
    void picturesWaitingWhileTheModelIsBusyAreCaptionedTogetherInOneCall() throws Exception {
        batcher = new MicroBatcher(engine, 1, 16, 8, Duration.ZERO, batchSizes::add);
        CompletableFuture<List<Caption>> first = batcher.submit(picture(1), GREEDY);
        engine.awaitFirstCall();
        List<CompletableFuture<List<Caption>>> waiting = new ArrayList<>();
        for (int width = 2; width <= 6; width++) {
            waiting.add(batcher.submit(picture(width), GREEDY));
        }
        engine.release();

        assertThat(first.get(10, TimeUnit.SECONDS).get(0).text()).isEqualTo("width 1");
        for (int i = 0; i < waiting.size(); i++) {
            assertThat(waiting.get(i).get(10, TimeUnit.SECONDS).get(0).text()).isEqualTo("width " + (i + 2));
        }
        assertThat(batchSizes).containsExactly(1, 5);
        assertThat(engine.calls).containsExactly(List.of(1), List.of(2, 3, 4, 5, 6));
    }

    @Test
    void aBatchNeverExceedsTheMaximumAndEqualOptionsAreCaptionedTogether() throws Exception {
        batcher = new MicroBatcher(engine, 1, 16, 3, Duration.ZERO, batchSizes::add);
        CompletableFuture<List<Caption>> first = batcher.submit(picture(1), GREEDY);
        engine.awaitFirstCall();
        List<CompletableFuture<List<Caption>>> waiting = List.of(
                batcher.submit(picture(2), GREEDY), batcher.submit(picture(3), BEAM), batcher.submit(picture(4), GREEDY),
                batcher.submit(picture(5), BEAM));
        engine.release();
        first.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<List<Caption>> result : waiting) {
            result.get(10, TimeUnit.SECONDS);
        }
        // How the pictures are split depends on when each stage gets to them; what holds: every backbone and decoding
        // call has at most 3 pictures of one options (3 and 5 are beam searched), and each picture goes once.
        assertPartition(engine.calls, null);
        assertPartition(engine.decoded, engine.options);
    }

    /** {@code calls} hold pictures 1-5 once each, at most 3 a call, beam searched (3, 5) or greedy ones apart. */
    private static void assertPartition(List<List<Integer>> calls, List<DecodingOptions> options) {
        List<Integer> all = new ArrayList<>();
        for (int call = 0; call < calls.size(); call++) {
            List<Integer> widths = calls.get(call);
            assertThat(widths).hasSizeLessThanOrEqualTo(3);
            boolean beam = widths.get(0) == 3 || widths.get(0) == 5;
            assertThat(widths).allMatch(width -> (width == 3 || width == 5) == beam);
            if (options != null) {
                assertThat(options.get(call)).isEqualTo(beam ? BEAM : GREEDY);
            }
            all.addAll(widths);
        }
        assertThat(all).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    }

    @Test
    void whileTheDecoderIsBusyTheBackboneFeaturesOneDecodingBatchAheadAndLeavesTheRestQueued() throws Exception {
        DecoderHeldOnPictureOne changed = new DecoderHeldOnPictureOne();
        CompletableFuture<List<Caption>> first = decodingPictureOne(changed, 3);
        List<CompletableFuture<List<Caption>>> waiting = new ArrayList<>();
        for (int width = 2; width <= 6; width++) {
            waiting.add(batcher.submit(picture(width), GREEDY));
        }
        while (changed.calls.stream().mapToInt(List::size).sum() < 4) {
            Thread.sleep(5);
        }
        Thread.sleep(100);
        // Pictures 2-4 are featured for the decoder's next batch; 5 and 6 stay queued, free for another worker.
        assertThat(changed.calls.stream().mapToInt(List::size).sum()).isEqualTo(4);
        assertThat(batcher.queueDepth()).isEqualTo(2);
        changed.decoderGate.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).get(0).text()).isEqualTo("width 1");
        for (int i = 0; i < waiting.size(); i++) {
            assertThat(waiting.get(i).get(10, TimeUnit.SECONDS).get(0).text()).isEqualTo("width " + (i + 2));
        }
        assertThat(changed.decoded).startsWith(List.of(1), List.of(2, 3, 4));
    }

    @Test
    void theDecoderJoinsSmallBackboneBatchesIntoOne() throws Exception {
        DecoderHeldOnPictureOne changed = new DecoderHeldOnPictureOne();
        CompletableFuture<List<Caption>> first = decodingPictureOne(changed, 8);
        List<CompletableFuture<List<Caption>>> waiting = new ArrayList<>();
        for (int width = 2; width <= 5; width++) {
            // One at a time, each featured before the next comes: four backbone calls of one picture.
            int featuredBefore = changed.calls.size();
            waiting.add(batcher.submit(picture(width), GREEDY));
            while (changed.calls.size() == featuredBefore) {
                Thread.sleep(5);
            }
        }
        changed.decoderGate.countDown();
        for (CompletableFuture<List<Caption>> result : waiting) {
            result.get(10, TimeUnit.SECONDS);
        }
        first.get(10, TimeUnit.SECONDS);
        assertThat(changed.calls).containsExactly(List.of(1), List.of(2), List.of(3), List.of(4), List.of(5));
        assertThat(changed.decoded).containsExactly(List.of(1), List.of(2, 3, 4, 5));
    }

    @Test
    void theBackboneRunsOnTheNextBatchWhileThePreviousOneIsDecoded() throws Exception {
        CountDownLatch secondBatchInBackbone = new CountDownLatch(1);
        GatedEngine changed = new GatedEngine() {
            @Override
            public PictureFeatures features(List<BufferedImage> pictures) throws IOException {
                if (pictures.get(0).getWidth() == 2) {
                    secondBatchInBackbone.countDown();
                }
                return super.features(pictures);
            }

            @Override
            public List<List<Caption>> caption(PictureFeatures features, DecodingOptions options) {
                // The first batch is not decoded until the second is in the backbone: one worker runs both at once.
                awaitWithin10Seconds(secondBatchInBackbone);
                return super.caption(features, options);
            }
        };
        changed.release();
        batcher = new MicroBatcher(changed, 1, 8, 1, Duration.ZERO, batchSizes::add);
        CompletableFuture<List<Caption>> first = batcher.submit(picture(1), GREEDY);
        CompletableFuture<List<Caption>> second = batcher.submit(picture(2), GREEDY);
        assertThat(first.get(10, TimeUnit.SECONDS).get(0).text()).isEqualTo("width 1");
        assertThat(second.get(10, TimeUnit.SECONDS).get(0).text()).isEqualTo("width 2");
    }

    @Test
    void twoWorkersDecodeASecondBatchWhileTheFirstIsStillDecoded() throws Exception {
        CountDownLatch bothInside = new CountDownLatch(2);
        GatedEngine changed = new GatedEngine() {
            @Override
            public List<List<Caption>> caption(PictureFeatures features, DecodingOptions options) {
                bothInside.countDown();
                // Neither call returns until both are inside the decoding stage at once.
                awaitWithin10Seconds(bothInside);
                return super.caption(features, options);
            }
        };
        changed.release();
        batcher = new MicroBatcher(changed, 2, 8, 1, Duration.ZERO, batchSizes::add);
        // Three pictures: one worker's first stage may take two of them (one decoded, one ready next).
        List<CompletableFuture<List<Caption>>> results = List.of(batcher.submit(picture(1), GREEDY),
                batcher.submit(picture(2), GREEDY), batcher.submit(picture(3), GREEDY));
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).get(10, TimeUnit.SECONDS).get(0).text()).isEqualTo("width " + (i + 1));
        }
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        batcher = new MicroBatcher(engine, 1, 2, 1, Duration.ZERO, batchSizes::add);
        batcher.submit(picture(1), GREEDY);
        engine.awaitFirstCall();
        batcher.submit(picture(2), GREEDY);
        batcher.submit(picture(3), GREEDY);
        assertThat(batcher.queueDepth()).isEqualTo(2);
        assertThatThrownBy(() -> batcher.submit(picture(4), GREEDY)).isInstanceOf(MicroBatcher.QueueFullException.class);
    }

    @Test
    void closingCaptionsWhatIsQueuedThenRefusesNewPictures() throws Exception {
        batcher = new MicroBatcher(engine, 1, 8, 1, Duration.ZERO, batchSizes::add);
        CompletableFuture<List<Caption>> first = batcher.submit(picture(1), GREEDY);
        engine.awaitFirstCall();
        CompletableFuture<List<Caption>> queued = batcher.submit(picture(2), GREEDY);
        Thread closer = new Thread(() -> {
            try {
                batcher.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closer.start();
        engine.release();
        closer.join();
        assertThat(first.get().get(0).text()).isEqualTo("width 1");
        assertThat(queued.get().get(0).text()).isEqualTo("width 2");
        assertThatThrownBy(() -> batcher.submit(picture(3), GREEDY)).isInstanceOf(MicroBatcher.QueueFullException.class);
    }

    @Test
    void aFailureInEitherStageFailsItsBatchAndTheWorkerGoesOn() throws Exception {
        GatedEngine changed = new GatedEngine() {
            @Override
            public PictureFeatures features(List<BufferedImage> pictures) throws IOException {
                if (pictures.get(0).getWidth() == 13) {
                    throw new IOException("backbone failure");
                }
                return super.features(pictures);
            }

            @Override
            public List<List<Caption>> caption(PictureFeatures features, DecodingOptions options) {
                if (features.regionFeatures()[0] == 14) {
                    throw new IllegalStateException("decoder failure");
                }
                return super.caption(features, options);
            }
        };
        changed.release();
        batcher = new MicroBatcher(changed, 1, 8, 1, Duration.ZERO, batchSizes::add);
        CompletableFuture<List<Caption>> backboneFails = batcher.submit(picture(13), GREEDY);
        assertThatThrownBy(backboneFails::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("backbone failure");
        CompletableFuture<List<Caption>> decoderFails = batcher.submit(picture(14), GREEDY);
        assertThatThrownBy(decoderFails::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("decoder failure");
        assertThat(batcher.submit(picture(4), GREEDY).get().get(0).text()).isEqualTo("width 4");
    }

    /** Called inside the engine, whose decoding stage throws no checked exception. */
    private static void awaitWithin10Seconds(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BufferedImage picture(int width) {
        return new BufferedImage(width, 1, BufferedImage.TYPE_INT_RGB);
    }

    /** A batcher with batches of {@code maxBatchSize} whose decoding thread is held on picture 1; its future. */
    private CompletableFuture<List<Caption>> decodingPictureOne(DecoderHeldOnPictureOne engine, int maxBatchSize)
            throws MicroBatcher.QueueFullException {
        batcher = new MicroBatcher(engine, 1, 16, maxBatchSize, Duration.ZERO, batchSizes::add);
        CompletableFuture<List<Caption>> first = batcher.submit(picture(1), GREEDY);
        awaitWithin10Seconds(engine.decoderBusy);
        return first;
    }

    /** A released backbone; the decoding of the batch with picture 1 first waits at a gate of its own. */
    private static final class DecoderHeldOnPictureOne extends GatedEngine {
        final CountDownLatch decoderBusy = new CountDownLatch(1);
        final CountDownLatch decoderGate = new CountDownLatch(1);

        DecoderHeldOnPictureOne() {
            release();
        }

        @Override
        public List<List<Caption>> caption(PictureFeatures features, DecodingOptions options) {
            if (features.regionFeatures()[0] == 1) {
                decoderBusy.countDown();
                awaitWithin10Seconds(decoderGate);
            }
            return super.caption(features, options);
        }
    }

    /**
     * Gives each picture its width as its only feature and captions it "width N"; records every backbone call and
     * holds the first one until released. Tests override a stage to change it.
     */
    private static class GatedEngine implements CaptionEngine {
        final List<List<Integer>> calls = Collections.synchronizedList(new ArrayList<>());
        final List<DecodingOptions> options = Collections.synchronizedList(new ArrayList<>());
        /** The pictures (widths) of every decoding call. */
        final List<List<Integer>> decoded = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch gate = new CountDownLatch(1);

        @Override
        public PictureFeatures features(List<BufferedImage> pictures) throws IOException {
            calls.add(pictures.stream().map(BufferedImage::getWidth).toList());
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            float[] widths = new float[pictures.size()];
            for (int i = 0; i < widths.length; i++) {
                widths[i] = pictures.get(i).getWidth();
            }
            return new PictureFeatures(widths, widths.length);
        }

        @Override
        public List<List<Caption>> caption(PictureFeatures features, DecodingOptions decoding) {
            options.add(decoding);
            List<Integer> widths = new ArrayList<>();
            for (float width : features.regionFeatures()) {
                widths.add((int) width);
            }
            decoded.add(widths);
            List<List<Caption>> captions = new ArrayList<>();
            for (float width : features.regionFeatures()) {
                int w = (int) width;
                captions.add(List.of(new Caption("width " + w, List.of("width", Integer.toString(w)), -1.0, List.of(), 7, 7)));
            }
            return captions;
        }

        void awaitFirstCall() throws InterruptedException {
            assertThat(entered.await(10, TimeUnit.SECONDS)).as("the engine was called").isTrue();
        }

        void release() {
            gate.countDown();
        }
    }
}
