package org.captioner.features;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.captioner.data.ImageCaptions;
import org.captioner.image.ImageDecodeException;
import org.captioner.image.ImageDecoder;
import org.captioner.image.ImagePreprocessor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Extracts backbone features of many images into a {@link FeatureStoreWriter}: a small pool decodes
 * and preprocesses pictures ahead while the backbone runs batches, and each batch is committed to
 * the store before the next, so a killed run resumes where it stopped. Images already in the store
 * are skipped; images that cannot be decoded are reported and skipped.
 */
public final class FeatureExtractor {
    /** One decoder keeps up with MobileNetV2 on 224x224 JPEGs; more only steal the backbone's cores (bench/README.md). */
    public static final int DEFAULT_DECODE_THREADS = 1;
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** Batches decoded ahead of the backbone: enough to hide decoding, little memory (~20 MB per batch of 32). */
    private static final int BATCHES_AHEAD = 2;

    private final OnnxBackbone backbone;
    private final ImageDecoder decoder;
    private final int batchSize;
    private final int decodeThreads;
    private final boolean showProgress;

    public FeatureExtractor(OnnxBackbone backbone) {
        this(backbone, new ImageDecoder(), DEFAULT_BATCH_SIZE, DEFAULT_DECODE_THREADS, false);
    }

    public FeatureExtractor(OnnxBackbone backbone, ImageDecoder decoder, int batchSize, int decodeThreads, boolean showProgress) {
        if (batchSize <= 0 || decodeThreads <= 0) {
            throw new IllegalArgumentException("batch size and decode threads must be positive");
        }
        this.backbone = backbone;
        this.decoder = decoder;
        this.batchSize = batchSize;
        this.decodeThreads = decodeThreads;
        this.showProgress = showProgress;
    }

    /** A decoded, preprocessed image, or why it failed. */
    private record Decoded(ImageCaptions image, float[] tensor, ImageFailure failure) {
    }

    /**
     * Extracts every image of {@code images} not yet in {@code store} (ids are
     * {@link ImageCaptions#imageId()}, files {@link ImageCaptions#image()}; captions and split are
     * ignored, so callers without a dataset may pass empty captions).
     *
     * @throws IOException when the backbone or the store fails (bad images never do)
     */
    public ExtractionSummary extract(List<ImageCaptions> images, FeatureStoreWriter store) throws IOException {
        long start = System.nanoTime();
        Map<String, ImageCaptions> distinct = new LinkedHashMap<>();
        images.forEach(image -> distinct.putIfAbsent(image.imageId(), image));
        List<ImageCaptions> todo = new ArrayList<>();
        for (ImageCaptions image : distinct.values()) {
            if (!store.contains(image.imageId())) {
                todo.add(image);
            }
        }
        List<ImageFailure> failures = new ArrayList<>();
        int extracted = 0;
        ExecutorService pool = Executors.newFixedThreadPool(decodeThreads, runnable -> {
            Thread thread = new Thread(runnable, "image-decoder");
            thread.setDaemon(true);
            return thread;
        });
        try (ProgressBar progress = progressBar(todo.size())) {
            Iterator<ImageCaptions> pending = todo.iterator();
            Deque<Future<Decoded>> decoding = new ArrayDeque<>();
            ImagePreprocessor preprocessor = backbone.preprocessor();
            while (pending.hasNext() || !decoding.isEmpty()) {
                while (pending.hasNext() && decoding.size() < batchSize * (BATCHES_AHEAD + 1)) {
                    ImageCaptions image = pending.next();
                    decoding.add(pool.submit(() -> decode(image, preprocessor)));
                }
                List<String> ids = new ArrayList<>(batchSize);
                List<float[]> tensors = new ArrayList<>(batchSize);
                for (int i = 0; i < batchSize && !decoding.isEmpty(); i++) {
                    Decoded decoded = await(decoding.poll());
                    if (decoded.failure() != null) {
                        failures.add(decoded.failure());
                        if (progress != null) {
                            progress.step();
                        }
                    } else {
                        ids.add(decoded.image().imageId());
                        tensors.add(decoded.tensor());
                    }
                }
                if (!ids.isEmpty()) {
                    store.append(ids, backbone.extractTensors(tensors));
                    extracted += ids.size();
                    if (progress != null) {
                        progress.stepBy(ids.size());
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new ExtractionSummary(distinct.size(), extracted, distinct.size() - todo.size(), failures, seconds);
    }

    private Decoded decode(ImageCaptions image, ImagePreprocessor preprocessor) {
        Path file = image.image();
        try {
            return new Decoded(image, preprocessor.toTensor(decoder.decode(file)), null);
        } catch (ImageDecodeException e) {
            return new Decoded(image, null, new ImageFailure(image.imageId(), file, e.reason()));
        } catch (RuntimeException e) {
            // Anything else the decoder or resize throws is still this image's problem, not the run's.
            return new Decoded(image, null, new ImageFailure(image.imageId(), file, "cannot be processed: " + e));
        }
    }

    private static Decoded await(Future<Decoded> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("feature extraction interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("decode task failed unexpectedly", e.getCause());
        }
    }

    private ProgressBar progressBar(int total) {
        if (!showProgress) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName("features " + backbone.spec().name())
                .setInitialMax(total)
                .setUnit(" img", 1)
                .showSpeed()
                .setUpdateIntervalMillis(500)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }
}
