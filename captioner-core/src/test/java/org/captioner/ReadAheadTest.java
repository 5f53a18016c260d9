package org.captioner;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadAheadTest {
    @Test
    void givesTheItemsInOrderThenNullForEver() throws Exception {
        Iterator<String> items = List.of("a", "b", "c").iterator();
        try (ReadAhead<String, RuntimeException> ahead = new ReadAhead<>("test-read-ahead",
                () -> items.hasNext() ? items.next() : null)) {
            List<String> taken = new ArrayList<>();
            for (String item; (item = ahead.take()) != null; ) {
                taken.add(item);
            }
            assertThat(taken).containsExactly("a", "b", "c");
            assertThat(ahead.take()).isNull();
        }
    }

    @Test
    void makesTheNextItemWhileTheCallerWorksButNoMoreThanOneAhead() throws Exception {
        AtomicInteger made = new AtomicInteger();
        CountDownLatch secondMade = new CountDownLatch(2);
        try (ReadAhead<Integer, RuntimeException> ahead = new ReadAhead<>("test-read-ahead", () -> {
            secondMade.countDown();
            return made.incrementAndGet();
        })) {
            assertThat(ahead.take()).isEqualTo(1);
            // The caller holds item 1 and has not asked again: item 2 is made meanwhile, item 3 is not.
            assertThat(secondMade.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100);
            assertThat(made.get()).isEqualTo(2);
            assertThat(ahead.take()).isEqualTo(2);
        }
    }

    @Test
    void theSourcesFailureIsThrownInPlaceOfItsItemAfterTheItemsBefore() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (ReadAhead<Integer, IOException> ahead = new ReadAhead<>("test-read-ahead", () -> {
            if (calls.incrementAndGet() == 2) {
                throw new IOException("cannot read batch 2");
            }
            return calls.get();
        })) {
            assertThat(ahead.take()).isEqualTo(1);
            assertThatThrownBy(ahead::take).isInstanceOf(IOException.class).hasMessage("cannot read batch 2");
            assertThat(ahead.take()).as("nothing after a failure").isNull();
            assertThat(calls.get()).isEqualTo(2);
        }
    }

    @Test
    void closeStopsAThreadWaitingToHandOverAnItem() {
        ReadAhead<String, RuntimeException> ahead = new ReadAhead<>("test-read-ahead", () -> "never taken");
        long started = System.nanoTime();
        ahead.close();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(5);
    }
}
