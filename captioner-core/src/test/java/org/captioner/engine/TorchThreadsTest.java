package org.captioner.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TorchThreadsTest {

    @Test
    void setsLibtorchIntraOpThreadsAndRefusesZero() {
        int before = TorchThreads.get();
        try {
            TorchThreads.set(1);
            assertThat(TorchThreads.get()).isEqualTo(1);
            assertThatThrownBy(() -> TorchThreads.set(0)).hasMessageContaining("at least 1, got 0");
        } finally {
            TorchThreads.set(before);
        }
    }
}
