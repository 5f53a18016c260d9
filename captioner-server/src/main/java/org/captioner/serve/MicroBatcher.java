package org.captioner.serve;

import org.captioner.Caption;
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
 * many clients. A worker takes the first waiting picture, waits up to {@code batchWait} for more (up to
 * {@code maxBatchSize}), and captions each group of pictures with equal decoding options in one call. With two
 * workers one batch's backbone run overlaps another's decoding, which are different libraries' threads.
 * The queue is bounded: when it is full, {@link #submit} refuses at once instead of letting latency grow without end.
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

    private static final Duration IDLE_POLL = Duration.ofMillis(100);

    private final CaptionEngine engine;
    private final BlockingQueue<Job> queue;
    private final int maxBatchSize;
    private final long batchWaitNanos;
    private final IntConsumer batchSizes;
    private final List<Thread> workers = new ArrayList<>();
    /** Captioning time per picture, smoothed over recent batches; 0 until the first batch. */
    private volatile double nanosPerPicture;
    private volatile boolean accepting = true;

    /**
     * @param workers    batches captioned at the same time (the engine must be safe for concurrent calls)
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
            Thread worker = new Thread(this::work, "caption-batcher-" + i);
            worker.start();
            this.workers.add(worker);
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
     * How long the service takes per picture as recent batches went (batch time / batch size / workers, smoothed);
     * 0 before the first batch. Under load batches are full, so this is the time a queue of pictures drains in.
     */
    public double nanosPerPicture() {
        return nanosPerPicture;
    }

    /** Pictures waiting for the engine, not counting the batch being captioned. */
    public int queueDepth() {
        return queue.size();
    }

    private void work() {
        while (accepting || !queue.isEmpty()) {
            try {
                Job first = queue.poll(IDLE_POLL.toNanos(), TimeUnit.NANOSECONDS);
                if (first != null) {
                    run(gather(first));
                }
            } catch (InterruptedException e) {
                return;
            }
        }
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

    private void run(List<Job> batch) {
        Map<DecodingOptions, List<Job>> byOptions = new LinkedHashMap<>();
        for (Job job : batch) {
            byOptions.computeIfAbsent(job.options(), options -> new ArrayList<>()).add(job);
        }
        byOptions.forEach((options, jobs) -> {
            batchSizes.accept(jobs.size());
            try {
                long started = System.nanoTime();
                List<List<Caption>> captions = engine.caption(jobs.stream().map(Job::picture).toList(), options);
                observe(System.nanoTime() - started, jobs.size());
                for (int i = 0; i < jobs.size(); i++) {
                    jobs.get(i).result().complete(captions.get(i));
                }
            } catch (Exception | Error e) {
                // The requests answer the failure; the worker must live on for the next batch.
                jobs.forEach(job -> job.result().completeExceptionally(e));
            }
        });
    }

    private void observe(long batchNanos, int pictures) {
        double perPicture = (double) batchNanos / pictures / workers.size();
        double previous = nanosPerPicture;
        // Racy between workers, harmlessly: an estimate either way.
        nanosPerPicture = previous == 0 ? perPicture : 0.8 * previous + 0.2 * perPicture;
    }

    /** Stops taking pictures and captions those already queued before returning. */
    @Override
    public void close() throws InterruptedException {
        accepting = false;
        for (Thread worker : workers) {
            worker.join();
        }
        // A submit racing with close can slip in after the workers' last look: refuse it rather than strand it.
        for (Job stranded; (stranded = queue.poll()) != null; ) {
            stranded.result().completeExceptionally(new QueueFullException("the service is shutting down"));
        }
    }
}
