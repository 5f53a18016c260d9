package org.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;

import static org.captioner.model.Layers.affine;
import static org.captioner.model.Layers.dropout;

/**
 * Show and Tell as the "merge" model of the Caption-IT article: the image (mean of its region features) goes
 * through dropout and Linear + ReLU to H; the caption prefix goes through the word embedding, dropout and an
 * LSTM (or GRU) of size H starting from zeros; the two are added, then Linear(H → H) + ReLU and Linear(H → V).
 * The image does not enter the recurrent state, so there is no attention: {@link StepResult#attention()} and
 * {@link TeacherForcedOutput#attention()} are null.
 */
public final class ShowAndTell extends ModelBase {
    private static final int IMAGE = 0;
    private static final int HIDDEN = 1;

    private final NDArray imageWeight;
    private final NDArray imageBias;
    private final NDArray embeddings;
    private final RecurrentCell cell;
    private final NDArray mergeWeight;
    private final NDArray mergeBias;
    private final NDArray vocabularyWeight;
    private final NDArray vocabularyBias;

    /** A freshly initialised model whose parameters live in a new sub-manager of {@code parent}. */
    public ShowAndTell(ModelConfig config, NDManager parent, long seed) {
        super(ModelConfig.SHOW_AND_TELL, config, parent, seed);
        int c = config.featureChannels();
        int e = config.embedDim();
        int h = config.hiddenDim();
        int v = config.vocabSize();
        ParameterSet p = parameters;
        imageWeight = p.glorot("image.weight", c, h);
        imageBias = p.zeros("image.bias", h);
        embeddings = p.uniform("embedding.weight", 0.05, v, e);
        cell = new RecurrentCell(p, config, "input");
        mergeWeight = p.glorot("merge.weight", h, h);
        mergeBias = p.zeros("merge.bias", h);
        vocabularyWeight = p.glorot("vocabulary.weight", h, v);
        vocabularyBias = p.zeros("vocabulary.bias", v);
    }

    /** State: the projected image [B, H], the recurrent state (zeros) [B, H] and, for an LSTM, the cell. */
    @Override
    public DecoderState init(NDArray regionFeatures) {
        return initial(regionFeatures, false);
    }

    @Override
    public StepResult step(DecoderState state, int[] previousTokens) {
        NDArray image = state.arrays().get(IMAGE);
        NDArray ids = image.getManager().create(previousTokens);
        DecoderState next = advance(state, cell.firstInputGates(Layers.embed(ids, embeddings)));
        NDArray logits = vocabularyLogits(image.add(next.arrays().get(HIDDEN)));
        return new StepResult(logits.logSoftmax(1), null, next);
    }

    @Override
    public TeacherForcedOutput teacherForced(NDArray regionFeatures, NDArray inputTokens, boolean training) {
        DecoderState state = initial(regionFeatures, training);
        int steps = (int) inputTokens.getShape().get(1);
        // [B, T, gates]: the cell's input projection for every step at once.
        NDArray embedded = dropout(Layers.embed(inputTokens, embeddings), config.dropout(), training);
        NDArray inputs = cell.firstInputGates(embedded);
        NDList hiddens = new NDList(steps);
        for (int t = 0; t < steps; t++) {
            state = advance(state, inputs.get(":, {}", t));
            hiddens.add(state.arrays().get(HIDDEN));
        }
        NDArray merged = NDArrays.stack(hiddens, 1).add(state.arrays().get(IMAGE).expandDims(1))
                .reshape(-1, config.hiddenDim());
        NDArray logits = vocabularyLogits(merged.get(TeacherForcedOutput.realPositions(inputTokens)));
        return new TeacherForcedOutput(logits, null);
    }

    private DecoderState initial(NDArray regionFeatures, boolean training) {
        NDArray pooled = dropout(regionFeatures.mean(new int[] {1}), config.dropout(), training);
        NDArray image = Activation.relu(affine(pooled, imageWeight, imageBias));
        NDList state = new NDList(image, image.zerosLike());
        if (cell.lstm()) {
            state.add(image.zerosLike());
        }
        return new DecoderState(state);
    }

    /** One recurrent step; {@code inputGates} is the projected embedding [B, gates]. */
    private DecoderState advance(DecoderState state, NDArray inputGates) {
        NDList arrays = state.arrays();
        NDList next = new NDList(arrays.get(IMAGE));
        next.addAll(cell.advance(inputGates, arrays.subList(HIDDEN, arrays.size())));
        return new DecoderState(next);
    }

    /** The merged vector [N, H] → logits [N, V]: Linear + ReLU, then the vocabulary projection. */
    private NDArray vocabularyLogits(NDArray merged) {
        return affine(Activation.relu(affine(merged, mergeWeight, mergeBias)), vocabularyWeight, vocabularyBias);
    }
}
