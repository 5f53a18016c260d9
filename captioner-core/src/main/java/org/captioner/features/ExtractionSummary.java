package org.captioner.features;

import java.util.List;

/**
 * Outcome of one extraction run.
 *
 * @param requested     distinct images asked for
 * @param extracted     images whose plain features were written in this run
 * @param views         augmented views written in this run
 * @param alreadyStored images skipped because the store already had all that was asked of them (resumed run)
 * @param failures      images that could not be decoded, with reasons
 * @param seconds       wall time of the run
 */
public record ExtractionSummary(int requested, int extracted, int views, int alreadyStored, List<ImageFailure> failures,
                                double seconds) {
    public ExtractionSummary {
        failures = List.copyOf(failures);
    }

    /** Feature records (plain pictures and views) written per second. */
    public double recordsPerSecond() {
        return seconds > 0 ? (extracted + views) / seconds : 0;
    }

    @Override
    public String toString() {
        return String.format("%d extracted%s, %d already stored, %d failed of %d images in %.1f s (%.1f records/s)",
                extracted, views > 0 ? " + " + views + " augmented views" : "", alreadyStored, failures.size(), requested,
                seconds, recordsPerSecond());
    }
}
