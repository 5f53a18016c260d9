package org.captioner;

import java.util.concurrent.SynchronousQueue;

/**
 * A two-stage pipeline: a thread of its own prepares the next item while the caller works on the current one, e.g.
 * JPEG decoding and the backbone of the next batch while this batch's captions are decoded, so both cores work
 * (bench/README.md, "Pipelined captioning"). Exactly one item is prepared ahead: the thread makes it, then waits
 * until the caller takes it, so a source that gathers whatever is waiting gathers as late as it can, into batches as
 * large as it can.
 *
 * @param <T> the items
 * @param <E> the checked exception the source may throw ({@link RuntimeException} for none)
 */
public final class ReadAhead<T, E extends Exception> implements AutoCloseable {
    /** Makes the items, one call each, on the read-ahead thread. */
    @FunctionalInterface
    public interface Source<T, E extends Exception> {
        /** The next item, or null when there are no more. */
        T next() throws E, InterruptedException;
    }

    /** What the thread hands over: an item, the end (both null), or the source's failure. */
    private record Handoff<T>(T item, Throwable failure) {
    }

    private final SynchronousQueue<Handoff<T>> handoff = new SynchronousQueue<>();
    private final Thread thread;
    private boolean ended;

    /** Starts the thread, which begins making the first item at once. */
    public ReadAhead(String threadName, Source<T, E> source) {
        thread = new Thread(() -> produce(source), threadName);
        // Never keeps the JVM alive on its own: close() ends it, and a stuck source must not block an exit.
        thread.setDaemon(true);
        thread.start();
    }

    private void produce(Source<T, E> source) {
        try {
            T item;
            do {
                Handoff<T> next;
                try {
                    item = source.next();
                    next = new Handoff<>(item, null);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | Error e) {
                    item = null;
                    next = new Handoff<>(null, e);
                }
                handoff.put(next);
            } while (item != null);
        } catch (InterruptedException e) {
            // close() while the item was not taken: nobody wants it.
        }
    }

    /**
     * The next item, waiting for it if it is not ready; null after the last one.
     *
     * @throws E what the source threw making this item (it makes no more after that), as are its unchecked ones
     */
    public T take() throws E, InterruptedException {
        if (ended) {
            return null;
        }
        Handoff<T> next = handoff.take();
        if (next.item() == null) {
            ended = true;
        }
        if (next.failure() != null) {
            throw ReadAhead.<E>rethrow(next.failure());
        }
        return next.item();
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> E rethrow(Throwable failure) throws E {
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        // Source.next declares only E besides InterruptedException, handled where it is thrown.
        return (E) failure;
    }

    /**
     * Stops the thread and waits for it: an item being made is finished (a native backbone run cannot be cut
     * short), not handed over, so nothing the source uses is still running once this returns.
     */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
