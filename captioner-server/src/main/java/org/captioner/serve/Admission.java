package org.captioner.serve;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Decides whether the service takes a caption request, before its body is read, and bounds the decoded pictures
 * a burst can hold. A request first needs a place: there are as many places as pictures the model can be
 * captioning plus the queue, so a full service refuses at once, without reading or decoding anything. Then,
 * with its image header read, it needs room in a budget of decoded pixels: a picture holds its pixels from
 * decoding until it is captioned. A request that finds no room within the wait is refused.
 */
final class Admission {
    private final int placeCount;
    private final Semaphore places;
    private final long pixelBudget;
    private final Semaphore pixels;
    private final long waitNanos;

    /**
     * @param placeCount  requests admitted at once
     * @param pixelBudget decoded pixels held at once (at most {@link Integer#MAX_VALUE})
     * @param pixelWait   how long a request waits for room in the pixel budget
     */
    Admission(int placeCount, long pixelBudget, Duration pixelWait) {
        this.placeCount = placeCount;
        this.places = new Semaphore(placeCount);
        this.pixelBudget = pixelBudget;
        // Fair, so that a large picture is not passed over forever by a stream of small ones.
        this.pixels = new Semaphore(Math.toIntExact(pixelBudget), true);
        this.waitNanos = pixelWait.toNanos();
    }

    /** A place for one request, or null when all are taken. */
    Ticket enter() {
        return places.tryAcquire() ? new Ticket() : null;
    }

    int placeCount() {
        return placeCount;
    }

    long pixelBudget() {
        return pixelBudget;
    }

    Duration pixelWait() {
        return Duration.ofNanos(waitNanos);
    }

    /** One admitted request; closing it gives back its place and its pixels. */
    final class Ticket implements AutoCloseable {
        private int heldPixels;
        private boolean closed;

        /**
         * Reserves room for a picture of {@code count} pixels (capped at the whole budget), waiting at most the
         * configured time; false when there was no room in time.
         */
        boolean reservePixels(long count) throws InterruptedException {
            int wanted = (int) Math.max(1, Math.min(count, pixelBudget));
            if (!pixels.tryAcquire(wanted, waitNanos, TimeUnit.NANOSECONDS)) {
                return false;
            }
            heldPixels += wanted;
            return true;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                pixels.release(heldPixels);
                places.release();
            }
        }
    }
}
