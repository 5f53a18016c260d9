package org.captioner.spark;

/** What a job wrote: rows (one per image) and how many of them are error rows. */
public record JobSummary(String out, long rows, long errorRows, double seconds) {
    @Override
    public String toString() {
        return String.format("%d images (%d failed, see their error column) in %.1f s -> %s", rows, errorRows, seconds, out);
    }
}
