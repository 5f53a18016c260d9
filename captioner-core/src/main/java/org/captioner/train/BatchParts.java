package org.captioner.train;

import org.captioner.engine.TorchThreads;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntToDoubleFunction;

/**
 * Runs the parts of a batch at once, each on its own thread with an equal share of libtorch's threads. One step's
 * operations kept two cores busy only about 1.45-fold, most of them too small to split well between threads (a
 * recurrent step's products on 64 rows); two half batches on one thread each keep them busy about 1.85-fold
 * (bench/README.md, "Training speed"). Adam's update shares the tensors among the same threads. One part runs on
 * the calling thread with all of libtorch's threads.
 */
final class BatchParts implements AutoCloseable {
    /** The whole batch as one part, on the calling thread. */
    static final BatchParts WHOLE = new BatchParts(1);

    private final int count;
    private final ExecutorService workers;

    BatchParts(int count) {
        this.count = count;
        int threads = count == 1 ? 1 : TorchThreads.get();
        // With fewer libtorch threads than parts (e.g. -Dai.djl.pytorch.num_threads=1 to run two trainings side by
        // side) the parts run one after the other on the caller: the same sums, no threads beyond the ones asked for.
        workers = threads >= count && count > 1 ? workers(count, threads / count) : null;
    }

    private static ExecutorService workers(int count, int threadsEach) {
        return Executors.newFixedThreadPool(count, task -> {
            // libtorch's thread count is per calling thread for its parallel loops; set it before the first one.
            Thread thread = new Thread(() -> {
                TorchThreads.set(threadsEach);
                task.run();
            }, "captioner-batch-part");
            thread.setDaemon(true);
            return thread;
        });
    }

    int count() {
        return count;
    }

    /** The first row of part {@code index} of {@code rows}, and the end of part {@code index - 1}: near-equal parts. */
    int firstRow(int index, int rows) {
        return (int) ((long) rows * index / count);
    }

    /**
     * Runs {@code part} for every part index, at once when there are threads for them, and returns the sum of the
     * results, added in part order so that it does not depend on which part finished first. Returns only once every
     * part has ended, also when one failed.
     */
    double sum(IntToDoubleFunction part) {
        if (workers == null) {
            double sum = 0;
            for (int index = 0; index < count; index++) {
                sum += part.applyAsDouble(index);
            }
            return sum;
        }
        List<Future<Double>> running = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            int chosen = index;
            running.add(workers.submit(() -> part.applyAsDouble(chosen)));
        }
        double sum = 0;
        Throwable failure = null;
        for (Future<Double> result : running) {
            try {
                sum += awaitUninterruptibly(result);
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            }
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new IllegalStateException("a part of the batch failed: " + failure, failure);
        }
        return sum;
    }

    /** The part's arrays belong to the step, which must not close them while a part still computes. */
    private static double awaitUninterruptibly(Future<Double> result) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
