package org.captioner.train;

import org.captioner.features.FeatureSource;
import org.captioner.features.RegionBatch;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Reads the inputs of the next batch on a background thread while the current step computes, so that a step waits
 * only for what is left of that reading. The inputs are a pure function of the batch (features and captions), so a
 * step computes exactly what it would with inputs read on the spot, and nothing of a run's state (order, seeds,
 * checkpoints) depends on what was read ahead; a batch that was not announced is read on the spot.
 *
 * <p>Two region buffers alternate: batch n's arrays use one while batch n+1 is read into the other, and batch n+2 is
 * read into the first only when its step asks for batch n+1, i.e. after step n closed its arrays.
 */
final class BatchPrefetcher implements AutoCloseable {
    /** A batch's inputs on the host: region features in tensor-ready memory, padded token ids. */
    record Inputs(RegionBatch.Features regions, TokenBatch.Padded tokens) {
    }

    private final FeatureSource features;
    private final int maxLength;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "captioner-batch-reader");
        thread.setDaemon(true);
        return thread;
    });
    private final ByteBuffer[] buffers = new ByteBuffer[2];
    private int nextBuffer;
    private List<TrainingExample> aheadBatch;
    private Future<Inputs> ahead;

    BatchPrefetcher(FeatureSource features, int maxLength) {
        this.features = features;
        this.maxLength = maxLength;
    }

    /**
     * The inputs of {@code batch}, then starts reading those of {@code next} (null: none). The arrays made from the
     * previous batch's inputs must be closed by now: their memory is reused.
     */
    Inputs take(List<TrainingExample> batch, List<TrainingExample> next) {
        Inputs inputs;
        if (ahead != null && batch.equals(aheadBatch)) {
            inputs = await(ahead);
        } else {
            if (ahead != null) {
                finish(ahead); // it still writes into its buffer
            }
            inputs = read(batch, claimBuffer());
        }
        aheadBatch = next;
        if (next == null) {
            ahead = null;
        } else {
            int buffer = claimBuffer();
            ahead = reader.submit(() -> read(next, buffer));
        }
        return inputs;
    }

    private int claimBuffer() {
        int buffer = nextBuffer;
        nextBuffer = 1 - nextBuffer;
        return buffer;
    }

    private Inputs read(List<TrainingExample> batch, int buffer) {
        RegionBatch.Features regions = RegionBatch.read(features,
                batch.stream().map(TrainingExample::imageId).toList(), buffers[buffer]);
        buffers[buffer] = regions.memory();
        return new Inputs(regions, TokenBatch.Padded.of(batch.stream().map(TrainingExample::tokens).toList(),
                maxLength));
    }

    private static Inputs await(Future<Inputs> reading) {
        try {
            return reading.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a batch", e);
        }
    }

    /** Waits for a read whose batch is not wanted; how it ended does not matter. */
    private static void finish(Future<Inputs> reading) {
        try {
            reading.get();
        } catch (ExecutionException e) {
            // not this batch's problem
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a batch", e);
        }
    }

    /** Waits for a read still under way (it writes into memory this object owns), then ends the reading thread. */
    @Override
    public void close() {
        reader.shutdown();
        try {
            reader.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
