package org.captioner.image;

import java.lang.management.ManagementFactory;

/** Heap bytes allocated by the calling thread: a memory bound a unit test can check, unlike time. */
final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    interface Work {
        void run() throws Exception;
    }

    private Allocation() {
    }

    static long current() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    static long bytesDuring(Work work) {
        long before = current();
        try {
            work.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return current() - before;
    }
}
