package org.captioner.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A shutdown hook that, on Ctrl-C or SIGTERM, raises a flag and holds the JVM's exit until the work polling the
 * flag has wound down (closed this) or the grace period is over. Lets {@code train} stop between two steps with a
 * checkpoint instead of the JVM exiting under libtorch's threads, which crashes it.
 */
final class StopOnSignal implements BooleanSupplier, AutoCloseable {
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    StopOnSignal(Duration grace) {
        hook = new Thread(() -> {
            requested = true;
            try {
                finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "captioner-stop-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether a signal asked to stop. */
    @Override
    public boolean getAsBoolean() {
        return requested;
    }

    /** The work is done: a running hook returns (and the JVM exits), an idle one is removed. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and returns now that the latch is open
        }
    }
}
