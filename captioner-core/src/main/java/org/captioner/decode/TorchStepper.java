package org.captioner.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import org.captioner.model.CaptionModel;
import org.captioner.model.DecoderState;
import org.captioner.engine.NoGradient;
import org.captioner.model.StepResult;

import java.util.Arrays;

/**
 * Runs a model step by step over a shrinking or reordered batch of rows, copying each step's outputs to Java
 * and freeing everything else as it goes, so long decodes do not pile up native memory. Autograd is off on the
 * creating thread until it is closed, where it must be used and closed.
 */
final class TorchStepper implements Stepper {
    private final CaptionModel model;
    private final NoGradient noGradient;
    private final NDManager owned;
    private DecoderState state;
    private float[] logProbs;
    private float[] attention;
    private int vocabularySize;
    private int regions;

    /** Steps over {@code regionFeatures} [B, R, C]; the state lives in their manager. */
    TorchStepper(CaptionModel model, NDArray regionFeatures) {
        this(model, regionFeatures, null);
    }

    /** Also closes {@code owned} (e.g. the manager of {@code regionFeatures}) when closed. */
    TorchStepper(CaptionModel model, NDArray regionFeatures, NDManager owned) {
        this.model = model;
        this.owned = owned;
        this.noGradient = NoGradient.scope();
        try {
            this.state = model.init(regionFeatures);
        } catch (RuntimeException e) {
            noGradient.close();
            throw e;
        }
    }

    @Override
    public void step(int[] previousTokens) {
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

    @Override
    public void selectRows(int[] rows) {
        try (NDScope scope = new NDScope()) {
            NDArray index = state.arrays().get(0).getManager().create(Arrays.stream(rows).asLongStream().toArray());
            replaceState(state.select(index));
        }
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public float logProb(int row, int token) {
        return logProbs[row * vocabularySize + token];
    }

    @Override
    public float[] attention(int row) {
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
        noGradient.close();
        if (owned != null) {
            owned.close();
        }
    }
}
