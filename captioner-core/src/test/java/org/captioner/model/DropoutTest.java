package org.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DropoutTest {
    @Test
    void zeroesAboutTheRateAndScalesTheRestAsInvertedDropoutDoes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ones = manager.ones(new Shape(100, 100));

            float[] dropped = Dropout.from(new SplittableRandom(3)).apply(ones, 0.3).toFloatArray();

            long zeros = 0;
            for (float value : dropped) {
                assertThat(value).isIn(0f, (float) (1 / 0.7));
                zeros += value == 0 ? 1 : 0;
            }
            assertThat(zeros / 10_000.0).isCloseTo(0.3, within(0.02));
        }
    }

    @Test
    void theSameSeedGivesTheSameMasksAndOffOrRateZeroChangesNothing() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray input = manager.arange(1f, 65f).reshape(8, 8);

            float[] first = Dropout.from(new SplittableRandom(9)).apply(input, 0.5).toFloatArray();
            float[] again = Dropout.from(new SplittableRandom(9)).apply(input, 0.5).toFloatArray();
            float[] other = Dropout.from(new SplittableRandom(10)).apply(input, 0.5).toFloatArray();

            assertThat(again).containsExactly(first);
            assertThat(other).isNotEqualTo(first);
            assertThat(Dropout.OFF.apply(input, 0.5)).isSameAs(input);
            assertThat(Dropout.from(new SplittableRandom(9)).apply(input, 0)).isSameAs(input);
        }
    }
}
