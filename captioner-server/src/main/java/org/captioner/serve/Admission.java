package org.captioner.serve;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Decides whether the service takes a caption request, before its body is read, and bounds the decoded pictures
 * a burst can hold. A request first needs a place: there are as many places as pictures the model can be
 * captioning plus the queue, so a full service refuses at once, without reading or decoding anything. Then,
 * with its image header read, it needs room in a budget of decoded pixels: a picture holds its pixels from
 * decoding until it is captioned. A request that finds no room within the wait is refused.
 * <p>
 * The places are a hard cap; within it, a latency budget decides: a request is admitted only while the requests
 * already in the service would be captioned within the budget at the measured rate ({@code nanosPerPicture}),
 * but always up to {@code minPlaces} (one full batch per worker), so a slow model still gets whole batches. The
 * check and the taking of a place are not one atomic step: two racing requests may overshoot the budget's
 * limit by one; the cap itself is exact.
 */
final class Admission {
    private final int placeCount;
    private final int minPlaces;
    private final long latencyBudgetNanos;
    private final DoubleSupplier nanosPerPicture;
    private final Semaphore places;
    private final long pixelBudget;
    private final Semaphore pixels;
    private final long waitNanos;

    /**
     * @param placeCount      requests admitted at once at most
     * @param minPlaces       requests admitted at once whatever the latency budget says
     * @param latencyBudget   how long the requests in the service may take to be captioned; zero: no such limit
     * @param nanosPerPicture the measured captioning time per picture; 0 while unknown
     * @param pixelBudget     decoded pixels held at once (at most {@link Integer#MAX_VALUE})
     * @param pixelWait       how long a request waits for room in the pixel budget
     */
    Admission(int placeCount, int minPlaces, Duration latencyBudget, DoubleSupplier nanosPerPicture, long pixelBudget,
              Duration pixelWait) {
        this.placeCount = placeCount;
        this.minPlaces = Math.min(minPlaces, placeCount);
        this.latencyBudgetNanos = latencyBudget.toNanos();
        this.nanosPerPicture = nanosPerPicture;
        this.places = new Semaphore(placeCount);
        this.pixelBudget = pixelBudget;
        // Fair, so that a large picture is not passed over forever by a stream of small ones.
        this.pixels = new Semaphore(Math.toIntExact(pixelBudget), true);
        this.waitNanos = pixelWait.toNanos();
    }

    /** A place for one request, or null when all places the latency budget allows now are taken. */
    Ticket enter() {
        if (admitted() >= placeLimit()) {
            return null;
        }
        return places.tryAcquire() ? new Ticket() : null;
    }

    /** Requests in the service now. */
    int admitted() {
        return placeCount - places.availablePermits();
    }

    /** Requests admitted at once now: as many as the latency budget allows at the measured rate, within the bounds. */
    int placeLimit() {
        double perPicture = nanosPerPicture.getAsDouble();
        if (latencyBudgetNanos == 0 || perPicture <= 0) {
            return placeCount;
        }
        long withinBudget = (long) (latencyBudgetNanos / perPicture);
        return (int) Math.max(minPlaces, Math.min(placeCount, withinBudget));
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
