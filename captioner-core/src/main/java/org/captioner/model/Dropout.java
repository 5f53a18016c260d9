package org.captioner.model;

import ai.djl.ndarray.NDArray;

import java.util.SplittableRandom;

/**
 * Where training's dropout masks come from: a Java generator seeded by the caller, so a step's masks depend only on
 * its seed, not on libtorch's process-wide generator, which threads computing parts of one batch at once would
 * draw from in whatever order they ran. {@link #OFF} (evaluation, decoding) leaves every value as it is.
 */
public final class Dropout {
    public static final Dropout OFF = new Dropout(null);

    private final SplittableRandom random;

    private Dropout(SplittableRandom random) {
        this.random = random;
    }

    /** Masks drawn from {@code random}, which this then owns: draw order is the model's order of dropout calls. */
    public static Dropout from(SplittableRandom random) {
        return new Dropout(random);
    }

    /** Inverted dropout: each value zeroed with probability {@code rate}, the others scaled by 1 / (1 − rate). */
    NDArray apply(NDArray input, double rate) {
        if (random == null || rate <= 0) {
            return input;
        }
        float[] mask = new float[Math.toIntExact(input.size())];
        float kept = (float) (1 / (1 - rate));
        for (int i = 0; i < mask.length; i++) {
            mask[i] = random.nextDouble() < rate ? 0 : kept;
        }
        // The mask stays attached to the input's manager, so it outlives the backward pass that reads it.
        return input.mul(input.getManager().create(mask, input.getShape()));
    }
}
