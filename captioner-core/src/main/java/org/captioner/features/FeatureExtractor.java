package org.captioner.features;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.captioner.data.ImageCaptions;
import org.captioner.data.Split;
import org.captioner.image.Augmentation;
import org.captioner.image.ImageDecodeException;
import org.captioner.image.ImageDecoder;
import org.captioner.image.ImagePreprocessor;
import org.captioner.image.ViewTransform;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Extracts backbone features of many images into a {@link FeatureStoreWriter}: a small pool decodes
 * and preprocesses pictures ahead while the backbone runs batches, and each batch is committed to
 * the store before the next, so a killed run resumes where it stopped. Images already in the store
 * are skipped; images that cannot be decoded are reported and skipped. Optionally, train-split images also get
 * augmented views ({@link #withTrainViews}), each stored as its own record ({@link FeatureView}).
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
    private Augmentation augmentation = Augmentation.DEFAULT;
    private int trainViews;
    private long viewSeed;

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

    /**
     * Also extracts views 1..{@code count} of every train-split image, drawn by {@code augmentation} with {@code seed};
     * dev, test and unsplit images keep only their plain features, so what a model is selected and scored on is the
     * plain picture.
     */
    public FeatureExtractor withTrainViews(Augmentation augmentation, int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("views per train image must be 0 or more, got " + count);
        }
        this.augmentation = augmentation;
        this.trainViews = count;
        this.viewSeed = seed;
        return this;
    }

    /** What is missing from the store for one image: its plain features and/or some of its views. */
    private record Work(ImageCaptions image, boolean plain, List<Integer> views) {
        int records() {
            return (plain ? 1 : 0) + views.size();
        }
    }

    /** A preprocessed picture ready for the backbone; {@code view} is null for the plain picture. */
    private record Tensor(String id, float[] values, FeatureView view) {
    }

    /** An image's tensors, or why it failed. */
    private record Decoded(Work work, List<Tensor> tensors, ImageFailure failure) {
    }

    /**
     * Extracts every image of {@code images} not yet in {@code store}, and the {@link #withTrainViews train views} not
     * yet in it (ids are {@link ImageCaptions#imageId()}, files {@link ImageCaptions#image()}; captions are ignored,
     * so callers without a dataset may pass empty captions).
     *
     * @throws IOException when the backbone or the store fails (bad images never do)
     */
    public ExtractionSummary extract(List<ImageCaptions> images, FeatureStoreWriter store) throws IOException {
        long start = System.nanoTime();
        Map<String, ImageCaptions> distinct = new LinkedHashMap<>();
        images.forEach(image -> distinct.putIfAbsent(image.imageId(), image));
        List<Work> todo = new ArrayList<>();
        for (ImageCaptions image : distinct.values()) {
            Work work = missing(image, store);
            if (work.records() > 0) {
                todo.add(work);
            }
        }
        List<ImageFailure> failures = new ArrayList<>();
        Written written = new Written();
        ExecutorService pool = Executors.newFixedThreadPool(decodeThreads, runnable -> {
            Thread thread = new Thread(runnable, "image-decoder");
            thread.setDaemon(true);
            return thread;
        });
        // Pictures decoded ahead, in images: each brings 1 + trainViews tensors.
        int imagesAhead = Math.max(decodeThreads, batchSize * (BATCHES_AHEAD + 1) / (1 + trainViews));
        try (ProgressBar progress = progressBar(todo.stream().mapToInt(Work::records).sum())) {
            Iterator<Work> pending = todo.iterator();
            Deque<Future<Decoded>> decoding = new ArrayDeque<>();
            List<Tensor> ready = new ArrayList<>();
            ImagePreprocessor preprocessor = backbone.preprocessor();
            while (pending.hasNext() || !decoding.isEmpty()) {
                while (pending.hasNext() && decoding.size() < imagesAhead) {
                    Work work = pending.next();
                    decoding.add(pool.submit(() -> decode(work, preprocessor)));
                }
                Decoded decoded = await(decoding.poll());
                if (decoded.failure() != null) {
                    failures.add(decoded.failure());
                    step(progress, decoded.work().records());
                } else {
                    ready.addAll(decoded.tensors());
                }
                boolean last = !pending.hasNext() && decoding.isEmpty();
                while (ready.size() >= batchSize || last && !ready.isEmpty()) {
                    List<Tensor> batch = ready.subList(0, Math.min(batchSize, ready.size()));
                    commit(batch, store, written);
                    step(progress, batch.size());
                    batch.clear();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new ExtractionSummary(distinct.size(), written.plain, written.views, distinct.size() - todo.size(), failures, seconds);
    }

    private Work missing(ImageCaptions image, FeatureStoreWriter store) {
        int views = image.split() == Split.TRAIN ? trainViews : 0;
        List<Integer> missingViews = IntStream.rangeClosed(1, views)
                .filter(view -> !store.contains(FeatureView.idOf(image.imageId(), view))).boxed().toList();
        return new Work(image, !store.contains(image.imageId()), missingViews);
    }

    /** Records committed so far. */
    private static final class Written {
        int plain;
        int views;
    }

    private void commit(List<Tensor> batch, FeatureStoreWriter store, Written written) throws IOException {
        List<FeatureView> views = batch.stream().map(Tensor::view).filter(Objects::nonNull).toList();
        store.append(batch.stream().map(Tensor::id).toList(),
                backbone.extractTensors(batch.stream().map(Tensor::values).toList()), views);
        written.plain += batch.size() - views.size();
        written.views += views.size();
    }

    private static void step(ProgressBar progress, int records) {
        if (progress != null) {
            progress.stepBy(records);
        }
    }

    private Decoded decode(Work work, ImagePreprocessor preprocessor) {
        ImageCaptions image = work.image();
        Path file = image.image();
        try {
            BufferedImage picture = decoder.decode(file);
            List<Tensor> tensors = new ArrayList<>(work.records());
            if (work.plain()) {
                tensors.add(new Tensor(image.imageId(), preprocessor.toTensor(picture), null));
            }
            for (int view : work.views()) {
                ViewTransform transform = augmentation.view(image.imageId(), view, viewSeed);
                FeatureView stored = new FeatureView(FeatureView.idOf(image.imageId(), view), image.imageId(),
                        transform.flipped(), transform.describe());
                tensors.add(new Tensor(stored.viewId(), preprocessor.toTensor(transform.apply(picture)), stored));
            }
            return new Decoded(work, tensors, null);
        } catch (ImageDecodeException e) {
            return new Decoded(work, null, new ImageFailure(image.imageId(), file, e.reason()));
        } catch (RuntimeException e) {
            // Anything else the decoder or resize throws is still this image's problem, not the run's.
            return new Decoded(work, null, new ImageFailure(image.imageId(), file, "cannot be processed: " + e));
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
                .setUnit(" records", 1)
                .showSpeed()
                .setUpdateIntervalMillis(500)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }
}
