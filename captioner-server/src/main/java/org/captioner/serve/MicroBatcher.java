package org.captioner.serve;

import org.captioner.Caption;
import org.captioner.PictureFeatures;
import org.captioner.ReadAhead;
import org.captioner.decode.DecodingOptions;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Gathers pictures from concurrent requests into batches, so one backbone run and one batched decode serve
 * many clients. Each worker is a two-stage pipeline ({@link ReadAhead}): its first thread takes the first waiting
 * picture, waits up to {@code batchWait} for more (up to {@code maxBatchSize}) and runs the backbone on each group of
 * pictures with equal decoding options, while its second thread decodes the captions of the batch before. The queue
 * is bounded: when it is full, {@link #submit} refuses at once instead of letting latency grow without end.
 */
public final class MicroBatcher implements AutoCloseable {
    /** The queue is full (or the batcher closed): the caller should answer 503 and ask the client to retry. */
    public static final class QueueFullException extends Exception {
        QueueFullException(String message) {
            super(message, null, false, false);
        }
    }

    private record Job(BufferedImage picture, DecodingOptions options, CompletableFuture<List<Caption>> result) {
    }

    /** Pictures of a batch with equal decoding options, with what the backbone made of them. */
    private record Group(DecodingOptions options, List<Job> jobs, PictureFeatures features) {
    }

    private static final Duration IDLE_POLL = Duration.ofMillis(100);

    private final CaptionEngine engine;
    private final BlockingQueue<Job> queue;
    private final int maxBatchSize;
    private final long batchWaitNanos;
    private final IntConsumer batchSizes;
    private final List<ReadAhead<List<Group>, RuntimeException>> featureStages = new ArrayList<>();
    private final List<Thread> captionStages = new ArrayList<>();
    /** Time per picture of each stage, smoothed over recent batches; 0 until the first batch. */
    private final StageTime featuresTime = new StageTime();
    private final StageTime captionsTime = new StageTime();
    private volatile boolean accepting = true;

    /**
     * @param workers    pipelines, each with a thread for the backbone and one for decoding (the engine must be safe
     *                   for concurrent calls)
     * @param batchSizes told the size of every batch handed to the engine (for metrics)
     */
    public MicroBatcher(CaptionEngine engine, int workers, int queueCapacity, int maxBatchSize, Duration batchWait,
                        IntConsumer batchSizes) {
        this.engine = engine;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatchSize = maxBatchSize;
        this.batchWaitNanos = batchWait.toNanos();
        this.batchSizes = batchSizes;
        for (int i = 1; i <= workers; i++) {
            ReadAhead<List<Group>, RuntimeException> featured = new ReadAhead<>("caption-features-" + i, this::nextFeatured);
            Thread captioning = new Thread(() -> captionAll(featured), "caption-decoder-" + i);
            captioning.start();
            featureStages.add(featured);
            captionStages.add(captioning);
        }
    }

    /** Queues a picture; the future completes with its captions, best first, or the engine's failure. */
    public CompletableFuture<List<Caption>> submit(BufferedImage picture, DecodingOptions options) throws QueueFullException {
        if (!accepting) {
            throw new QueueFullException("the service is shutting down");
        }
        Job job = new Job(picture, options, new CompletableFuture<>());
        if (!queue.offer(job)) {
            throw new QueueFullException("all " + (queue.size() + queue.remainingCapacity()) + " places in the queue are taken");
        }
        return job.result();
    }

    /**
     * How long the service takes per picture as recent batches went (the slower stage's time per picture, divided by
     * the workers; smoothed); 0 before the first batch. Under load batches are full, so this is the time a queue of
     * pictures drains in.
     */
    public double nanosPerPicture() {
        return Math.max(featuresTime.nanosPerPicture(), captionsTime.nanosPerPicture()) / captionStages.size();
    }

    /** Pictures waiting for the engine, not counting the batches in the backbone or being decoded. */
    public int queueDepth() {
        return queue.size();
    }

    /** The first stage: the next batch with its features, null once closed and drained. */
    private List<Group> nextFeatured() throws InterruptedException {
        while (accepting || !queue.isEmpty()) {
            Job first = queue.poll(IDLE_POLL.toNanos(), TimeUnit.NANOSECONDS);
            if (first != null) {
                List<Group> featured = withFeatures(gather(first));
                if (!featured.isEmpty()) {
                    return featured;
                }
            }
        }
        return null;
    }

    private List<Job> gather(Job first) throws InterruptedException {
        List<Job> batch = new ArrayList<>(maxBatchSize);
        batch.add(first);
        long deadline = System.nanoTime() + batchWaitNanos;
        while (batch.size() < maxBatchSize) {
            long remaining = deadline - System.nanoTime();
            Job next = remaining > 0 ? queue.poll(remaining, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return batch;
    }

    /** One group per decoding options, each run through the backbone; a failed group is answered here and left out. */
    private List<Group> withFeatures(List<Job> batch) {
        Map<DecodingOptions, List<Job>> byOptions = new LinkedHashMap<>();
        for (Job job : batch) {
            byOptions.computeIfAbsent(job.options(), options -> new ArrayList<>()).add(job);
        }
        List<Group> featured = new ArrayList<>(byOptions.size());
        byOptions.forEach((options, jobs) -> {
            batchSizes.accept(jobs.size());
            try {
                long started = System.nanoTime();
                PictureFeatures features = engine.features(jobs.stream().map(Job::picture).toList());
                featuresTime.observe(System.nanoTime() - started, jobs.size());
                featured.add(new Group(options, jobs, features));
            } catch (Exception | Error e) {
                fail(jobs, e);
            }
        });
        return featured;
    }

    /** The second stage, until the first ends. */
    private void captionAll(ReadAhead<List<Group>, RuntimeException> featured) {
        try {
            for (List<Group> groups; (groups = featured.take()) != null; ) {
                groups.forEach(this::caption);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void caption(Group group) {
        try {
            long started = System.nanoTime();
            List<List<Caption>> captions = engine.caption(group.features(), group.options());
            captionsTime.observe(System.nanoTime() - started, group.jobs().size());
            for (int i = 0; i < group.jobs().size(); i++) {
                group.jobs().get(i).result().complete(captions.get(i));
            }
        } catch (Exception | Error e) {
            fail(group.jobs(), e);
        }
    }

    /** The requests answer the failure; the stage must live on for the next batch. */
    private static void fail(List<Job> jobs, Throwable failure) {
        jobs.forEach(job -> job.result().completeExceptionally(failure));
    }

    /** Stops taking pictures and captions those already queued before returning. */
    @Override
    public void close() throws InterruptedException {
        accepting = false;
        for (Thread captioning : captionStages) {
            captioning.join();
        }
        featureStages.forEach(ReadAhead::close);
        // A submit racing with close can slip in after the workers' last look: refuse it rather than strand it.
        for (Job stranded; (stranded = queue.poll()) != null; ) {
            stranded.result().completeExceptionally(new QueueFullException("the service is shutting down"));
        }
    }

    /** A stage's time per picture, smoothed over recent batches. */
    private static final class StageTime {
        private volatile double nanosPerPicture;

        double nanosPerPicture() {
            return nanosPerPicture;
        }

        void observe(long batchNanos, int pictures) {
            double perPicture = (double) batchNanos / pictures;
            double previous = nanosPerPicture;
            // Racy between workers, harmlessly: an estimate either way.
            nanosPerPicture = previous == 0 ? perPicture : 0.8 * previous + 0.2 * perPicture;
        }
    }
}
