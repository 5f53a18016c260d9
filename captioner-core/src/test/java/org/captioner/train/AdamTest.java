package org.captioner.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.captioner.model.ParameterSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AdamTest {

    @Test
    void skipsAnUpdateWhoseGradientIsNotFiniteAndKeepsTraining() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterSet parameters = new ParameterSet(manager, 1);
            NDArray weight = parameters.uniform("w", 0.5, 3);
            float[] before = weight.toFloatArray();
            try (Adam adam = new Adam(parameters, manager)) {
                backward(weight, manager.create(new float[] {1, Float.POSITIVE_INFINITY, 1}));

                assertThat(adam.update(1e-2, 5.0)).isInfinite();
                assertThat(weight.toFloatArray()).containsExactly(before);
                assertThat(weight.getGradient().toFloatArray()).containsOnly(0f);
                assertThat(adam.updates()).isZero();

                backward(weight, manager.create(new float[] {1, 1, 1}));

                assertThat(adam.update(1e-2, 5.0)).isFinite();
                assertThat(weight.toFloatArray()).doesNotContain(Float.NaN).isNotEqualTo(before);
                assertThat(adam.updates()).isOne();
            }
        }
    }

    @Test
    void evaluatesWithTheBiasCorrectedMovingAverageAndRestoresTheWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterSet parameters = new ParameterSet(manager, 1);
            NDArray weight = parameters.uniform("w", 0.5, 3);
            try (Adam adam = new Adam(parameters, manager, 0.75)) {
                backward(weight, manager.create(new float[] {1, -1, 2}));
                adam.update(1e-2, 5.0);
                float[] first = weight.toFloatArray();
                backward(weight, manager.create(new float[] {1, -1, 2}));
                adam.update(1e-2, 5.0);
                float[] second = weight.toFloatArray();

                try (Adam.Restorer raw = adam.averagedWeights()) {
                    // (0.75·0.25·first + 0.25·second) / (1 − 0.75²): the initial weights play no part.
                    float[] averaged = weight.toFloatArray();
                    for (int i = 0; i < first.length; i++) {
                        assertThat(averaged[i]).isCloseTo((0.1875f * first[i] + 0.25f * second[i]) / 0.4375f, within(1e-6f));
                    }
                }
                assertThat(weight.toFloatArray()).containsExactly(second);
            }
        }
    }

    @Test
    void twoClippedStepsFollowAdamsFormula() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterSet parameters = new ParameterSet(manager, 1);
            NDArray weight = parameters.uniform("w", 0.5, 3);
            double[] expected = new double[3];
            float[] start = weight.toFloatArray();
            for (int i = 0; i < 3; i++) {
                expected[i] = start[i];
            }
            float[] gradient = {3, -4, 12}; // norm 13, clipped to 6.5
            double[] m = new double[3];
            double[] v = new double[3];
            try (Adam adam = new Adam(parameters, manager)) {
                for (int step = 1; step <= 2; step++) {
                    backward(weight, manager.create(gradient));
                    assertThat(adam.update(1e-2, 6.5)).isCloseTo(13, within(1e-5));
                    for (int i = 0; i < 3; i++) {
                        double g = gradient[i] * 0.5;
                        m[i] = 0.9 * m[i] + 0.1 * g;
                        v[i] = 0.999 * v[i] + 0.001 * g * g;
                        double mHat = m[i] / (1 - Math.pow(0.9, step));
                        double vHat = v[i] / (1 - Math.pow(0.999, step));
                        expected[i] -= 1e-2 * mHat / (Math.sqrt(vHat) + 1e-8);
                    }
                    float[] actual = weight.toFloatArray();
                    for (int i = 0; i < 3; i++) {
                        assertThat(actual[i]).as("step %d weight %d", step, i).isCloseTo((float) expected[i], within(1e-6f));
                    }
                    assertThat(weight.getGradient().toFloatArray()).containsOnly(0f);
                }
            }
        }
    }

    @Test
    void measuresTheNormOfAllTensorsTogetherAndSkipsWhenAnyIsNotFinite() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterSet parameters = new ParameterSet(manager, 1);
            NDArray first = parameters.uniform("first", 0.5, 2);
            NDArray second = parameters.uniform("second", 0.5, 2, 2);
            try (Adam adam = new Adam(parameters, manager)) {
                backward(first, manager.create(new float[] {3, 4}));
                backward(second, manager.create(new float[] {0, 0, 0, 12}, new Shape(2, 2)));

                assertThat(adam.update(1e-2, 6.5)).isCloseTo(13, within(1e-5)); // sqrt(3² + 4² + 12²)

                float[] firstBefore = first.toFloatArray();
                float[] secondBefore = second.toFloatArray();
                backward(first, manager.create(new float[] {3, 4}));
                backward(second, manager.create(new float[] {0, Float.NaN, 0, 12}, new Shape(2, 2)));

                assertThat(adam.update(1e-2, 6.5)).isNaN();
                assertThat(first.toFloatArray()).containsExactly(firstBefore);
                assertThat(second.toFloatArray()).containsExactly(secondBefore);
                assertThat(first.getGradient().toFloatArray()).containsOnly(0f);
                assertThat(second.getGradient().toFloatArray()).containsOnly(0f);
                assertThat(adam.updates()).isOne();
            }
        }
    }

    /** Accumulates {@code d(sum(weight * factor))/d(weight) = factor} into the weight's gradient. */
    private static void backward(NDArray weight, NDArray factor) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(weight.mul(factor).sum());
        }
    }
}
