package org.captioner.train;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Wall and process CPU time spent in each phase of a {@link TrainingStep}, summed over steps. libtorch on the CPU
 * runs every operation before returning, so a phase's time is its own. CPU time counts all of libtorch's threads
 * and is the steadier figure on a shared machine, where wall time also holds other processes' turns; it also counts the
 * thread that reads the next batch ahead, charged to whichever phase that reading overlaps.
 */
final class StepPhases {
    /** In the order a step goes through them; the parts of a batch run their forward and backward passes at once. */
    enum Phase {
        BATCH("batch"), PASSES("forward+backward"), UPDATE("update");

        final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    /** Measures nothing, for training. */
    static final StepPhases NONE = new StepPhases(false);

    private final boolean enabled;
    private final long[] wallNanos = new long[Phase.values().length];
    private final long[] cpuNanos = new long[Phase.values().length];
    private long lastWall;
    private long lastCpu;

    private StepPhases(boolean enabled) {
        this.enabled = enabled;
    }

    static StepPhases measuring() {
        return new StepPhases(true);
    }

    void start() {
        if (enabled) {
            lastWall = System.nanoTime();
            lastCpu = processCpuNanos();
        }
    }

    /** Charges the time since the previous mark to {@code phase}. */
    void lap(Phase phase) {
        if (enabled) {
            long wall = System.nanoTime();
            long cpu = processCpuNanos();
            wallNanos[phase.ordinal()] += wall - lastWall;
            cpuNanos[phase.ordinal()] += cpu - lastCpu;
            lastWall = wall;
            lastCpu = cpu;
        }
    }

    /** Forgets the time measured so far. */
    void clear() {
        Arrays.fill(wallNanos, 0);
        Arrays.fill(cpuNanos, 0);
    }

    long wallNanos(Phase phase) {
        return wallNanos[phase.ordinal()];
    }

    long cpuNanos(Phase phase) {
        return cpuNanos[phase.ordinal()];
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
