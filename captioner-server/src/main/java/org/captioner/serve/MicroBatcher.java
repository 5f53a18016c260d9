package org.captioner.serve;

import org.captioner.Caption;
import org.captioner.PictureFeatures;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Gathers pictures from concurrent requests into batches, so one backbone run and one batched decode serve
 * many clients. Each worker is a two-stage pipeline: its first thread takes the first waiting picture, waits up to
 * {@code batchWait} for more (up to {@code maxBatchSize}) and runs the backbone on each group of pictures with equal
 * decoding options, again and again as pictures come; its second thread decodes, and each time it is free it takes
 * every picture the first has featured meanwhile, as few batches of up to {@code maxBatchSize} as the options allow.
 * Beam search costs less per caption in larger batches and is the slower stage, so its batches are made as large as
 * the pictures waiting for it allow (bench/README.md, "Decoding batches"). The queue is bounded: when it is full,
 * {@link #submit} refuses at once instead of letting latency grow without end.
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

    /**
     * A worker's featured groups on their way from its first stage to its second: at most {@code maxBatchSize}
     * pictures, featured or in the backbone, that the second has not taken yet, so that the first stage leaves the
     * pictures beyond one decoding batch to the other workers.
     */
    private record Backlog(BlockingQueue<Group> groups, Semaphore room) {
    }

    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    /** What the first stage hands over last: there will be no more. */
    private static final Group END = new Group(null, List.of(), null);

    private final CaptionEngine engine;
    private final BlockingQueue<Job> queue;
    private final int maxBatchSize;
    private final long batchWaitNanos;
    private final IntConsumer batchSizes;
    private final List<Thread> featureStages = new ArrayList<>();
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
            Backlog featured = new Backlog(new LinkedBlockingQueue<>(), new Semaphore(maxBatchSize));
            Thread features = new Thread(() -> featureAll(featured), "caption-features-" + i);
            Thread captioning = new Thread(() -> captionAll(featured), "caption-decoder-" + i);
            features.start();
            captioning.start();
            featureStages.add(features);
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

    /**
     * The first stage: the next batch with its features, null once closed and drained. It takes no more pictures than
     * there is room for in the backlog, and waits for room.
     */
    private List<Group> nextFeatured(Backlog backlog) throws InterruptedException {
        while (accepting || !queue.isEmpty()) {
            backlog.room().acquire();
            int room = 1 + backlog.room().drainPermits();
            Job first = queue.poll(IDLE_POLL.toNanos(), TimeUnit.NANOSECONDS);
            List<Job> batch = first == null ? List.of() : gather(first, room);
            List<Group> featured = batch.isEmpty() ? List.of() : withFeatures(batch);
            // Room back for the pictures not taken and those whose backbone failed (answered already).
            backlog.room().release(room - pictures(featured));
            if (!featured.isEmpty()) {
                return featured;
            }
        }
        return null;
    }

    private List<Job> gather(Job first, int limit) throws InterruptedException {
        List<Job> batch = new ArrayList<>(limit);
        batch.add(first);
        long deadline = System.nanoTime() + batchWaitNanos;
        while (batch.size() < limit) {
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

    /** The first stage: features for each batch, handed over as soon as they are ready; then {@link #END}. */
    private void featureAll(Backlog featured) {
        try {
            for (List<Group> groups; (groups = nextFeatured(featured)) != null; ) {
                featured.groups().addAll(groups);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            featured.groups().add(END);
        }
    }

    /** The second stage: everything featured while it was busy, merged into batches; until {@link #END}. */
    private void captionAll(Backlog featured) {
        List<Group> ready = new ArrayList<>();
        try {
            while (true) {
                ready.add(featured.groups().take());
                featured.groups().drainTo(ready);
                featured.room().release(pictures(ready));
                boolean ended = ready.removeIf(group -> group == END);
                merged(ready).forEach(this::caption);
                ready.clear();
                if (ended) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The groups with equal options joined, in order, into batches of up to {@code maxBatchSize} pictures. */
    private List<Group> merged(List<Group> groups) {
        Map<DecodingOptions, List<List<Group>>> byOptions = new LinkedHashMap<>();
        for (Group group : groups) {
            List<List<Group>> batches = byOptions.computeIfAbsent(group.options(), options -> new ArrayList<>());
            List<Group> last = batches.isEmpty() ? null : batches.get(batches.size() - 1);
            if (last == null || pictures(last) + group.jobs().size() > maxBatchSize) {
                last = new ArrayList<>();
                batches.add(last);
            }
            last.add(group);
        }
        List<Group> merged = new ArrayList<>();
        byOptions.values().forEach(batches -> batches.forEach(batch -> merged.add(joined(batch))));
        return merged;
    }

    private static int pictures(List<Group> groups) {
        return groups.stream().mapToInt(group -> group.jobs().size()).sum();
    }

    /** One group of all the pictures of {@code groups} (equal options), their features one after the other. */
    private static Group joined(List<Group> groups) {
        if (groups.size() == 1) {
            return groups.get(0);
        }
        List<Job> jobs = new ArrayList<>();
        int floats = 0;
        for (Group group : groups) {
            jobs.addAll(group.jobs());
            floats += group.features().regionFeatures().length;
        }
        float[] features = new float[floats];
        int offset = 0;
        for (Group group : groups) {
            float[] part = group.features().regionFeatures();
            System.arraycopy(part, 0, features, offset, part.length);
            offset += part.length;
        }
        return new Group(groups.get(0).options(), jobs, new PictureFeatures(features, jobs.size()));
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
        for (Thread features : featureStages) {
            features.join();
        }
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
