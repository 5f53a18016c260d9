package org.captioner.features;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class Float16Test {
    @Test
    void encodesKnownValues() {
        assertThat(Float16.fromFloat(1f)).isEqualTo((short) 0x3c00);
        assertThat(Float16.fromFloat(-2f)).isEqualTo((short) 0xc000);
        assertThat(Float16.fromFloat(65504f)).isEqualTo((short) 0x7bff);
        assertThat(Float16.fromFloat(1e6f)).isEqualTo((short) 0x7c00);
        assertThat(Float16.fromFloat(0x1p-24f)).isEqualTo((short) 0x0001); // smallest subnormal
        assertThat(Float16.fromFloat(1f + 0x1p-11f)).isEqualTo((short) 0x3c00); // tie rounds to even
        assertThat(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN)))).isTrue();
    }

    @Test
    void roundTripsWithinHalfPrecision() {
        Random random = new Random(1);
        for (int i = 0; i < 100_000; i++) {
            float value = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(8) - 4));
            float back = Float16.toFloat(Float16.fromFloat(value));
            if (Math.abs(value) >= 0x1p-14f) {
                assertThat(back).isCloseTo(value, within(Math.abs(value) * 0x1p-11f));
            } else {
                assertThat(back).isCloseTo(value, within(0x1p-25f));
            }
        }
    }
}
