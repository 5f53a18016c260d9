package org.captioner.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import org.captioner.model.CaptionModel;
import org.captioner.model.DecoderState;
import org.captioner.model.StepResult;

/**
 * Runs a model step by step over a shrinking or reordered batch of rows, copying each step's outputs to Java
 * and freeing everything else as it goes, so long decodes do not pile up native memory.
 */
final class Stepper implements AutoCloseable {
    private final CaptionModel model;
    private DecoderState state;
    private float[] logProbs;
    private float[] attention;
    private int vocabularySize;
    private int regions;

    Stepper(CaptionModel model, NDArray regionFeatures) {
        this.model = model;
        this.state = model.init(regionFeatures);
    }

    /** Feeds one token per row; afterwards {@link #logProb} and {@link #attention} describe the next token. */
    void step(int[] previousTokens) {
        try (NDScope scope = new NDScope()) {
            StepResult result = model.step(state, previousTokens);
            logProbs = result.logProbs().toFloatArray();
            // Models without attention (show-and-tell) give none.
            attention = result.attention() == null ? null : result.attention().toFloatArray();
            vocabularySize = logProbs.length / previousTokens.length;
            regions = attention == null ? 0 : attention.length / previousTokens.length;
            replaceState(result.state());
        }
    }

    /** Keeps rows {@code rows} of the state, in that order (duplicates allowed). */
    void selectRows(long[] rows) {
        try (NDScope scope = new NDScope()) {
            NDArray index = state.arrays().get(0).getManager().create(rows);
            replaceState(state.select(index));
        }
    }

    int vocabularySize() {
        return vocabularySize;
    }

    /** Of the last step's row {@code row}. */
    float logProb(int row, int token) {
        return logProbs[row * vocabularySize + token];
    }

    /** Of the last step's row {@code row}; null if the model has no attention. */
    float[] attention(int row) {
        if (attention == null) {
            return null;
        }
        float[] weights = new float[regions];
        System.arraycopy(attention, row * regions, weights, 0, regions);
        return weights;
    }

    /** Must run inside the scope that created {@code next}: keeps its arrays alive and frees the old state. */
    private void replaceState(DecoderState next) {
        NDScope.unregister(next.arrays());
        state.closeUnsharedWith(next);
        state = next;
    }

    @Override
    public void close() {
        state.arrays().close();
    }
}
