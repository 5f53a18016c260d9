package org.captioner.serve;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class AdmissionTest {
    private final AtomicLong nanosPerPicture = new AtomicLong();

    private Admission admission(int places, int minPlaces, long pixelBudget) {
        return new Admission(places, minPlaces, Duration.ofMillis(500), nanosPerPicture::get, pixelBudget,
                Duration.ofMillis(50));
    }

    @Test
    void admitsAsManyRequestsAsTheMeasuredRateCaptionsWithinTheLatencyBudget() {
        Admission admission = admission(80, 4, 1000);
        assertThat(admission.placeLimit()).as("no rate measured yet: the places alone").isEqualTo(80);
        nanosPerPicture.set(Duration.ofMillis(50).toNanos());
        assertThat(admission.placeLimit()).isEqualTo(10);
        List<Admission.Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tickets.add(admission.enter());
        }
        assertThat(tickets).doesNotContainNull();
        assertThat(admission.enter()).as("the eleventh would wait past the budget").isNull();

        tickets.remove(0).close();
        assertThat(admission.enter()).as("a place given back is taken again").isNotNull();
    }

    @Test
    void aSlowModelStillGetsWholeBatchesAndAFastOneIsCappedByThePlaces() {
        Admission admission = admission(80, 4, 1000);
        nanosPerPicture.set(Duration.ofSeconds(2).toNanos());
        assertThat(admission.placeLimit()).isEqualTo(4);
        nanosPerPicture.set(Duration.ofMillis(1).toNanos());
        assertThat(admission.placeLimit()).isEqualTo(80);
    }

    @Test
    void pixelsAreHeldUntilTheTicketClosesAndAWaitForThemIsBounded() throws Exception {
        Admission admission = admission(10, 1, 1000);
        Admission.Ticket first = admission.enter();
        Admission.Ticket second = admission.enter();
        assertThat(first.reservePixels(800)).isTrue();
        long started = System.nanoTime();
        assertThat(second.reservePixels(300)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        first.close();
        assertThat(second.reservePixels(300)).isTrue();
        assertThat(second.reservePixels(700)).isTrue();
        second.close();
        assertThat(admission.admitted()).isZero();
    }
}
