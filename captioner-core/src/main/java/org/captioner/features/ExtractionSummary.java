package org.captioner.features;

import java.util.List;

/**
 * Outcome of one extraction run.
 *
 * @param requested     distinct images asked for
 * @param extracted     images whose features were written in this run
 * @param alreadyStored images skipped because the store already had them (resumed run)
 * @param failures      images that could not be decoded, with reasons
 * @param seconds       wall time of the run
 */
public record ExtractionSummary(int requested, int extracted, int alreadyStored, List<ImageFailure> failures, double seconds) {
    public ExtractionSummary {
        failures = List.copyOf(failures);
    }

    public double imagesPerSecond() {
        return seconds > 0 ? extracted / seconds : 0;
    }

    @Override
    public String toString() {
        return String.format("%d extracted, %d already stored, %d failed of %d images in %.1f s (%.1f images/s)",
                extracted, alreadyStored, failures.size(), requested, seconds, imagesPerSecond());
    }
}
