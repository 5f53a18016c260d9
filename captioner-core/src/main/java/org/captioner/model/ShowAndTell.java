package org.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;

/**
 * Show and Tell as the "merge" model of the Caption-IT article: the image (mean of its region features) goes
 * through dropout and Linear + ReLU to H; the caption prefix goes through the word embedding, dropout and an
 * LSTM (or GRU) of size H starting from zeros; the two are added, then Linear(H → H) + ReLU and Linear(H → V).
 * The image does not enter the recurrent state, so there is no attention: {@link StepResult#attention()} and
 * {@link TeacherForcedOutput#attention()} are null.
 */
public final class ShowAndTell extends ModelBase {
    private final Linear image;
    private final NDArray embeddings;
    private final RecurrentCell cell;
    private final Linear merge;
    private final Linear vocabulary;

    /** A freshly initialized model whose parameters live in a new sub-manager of {@code parent}. */
    public ShowAndTell(ModelConfig config, NDManager parent, long seed) {
        super(ModelConfig.SHOW_AND_TELL, config, parent, seed);
        int h = config.hiddenDim();
        image = Linear.create(parameters, "image", config.featureChannels(), h);
        embeddings = parameters.uniform("embedding.weight", 0.05, config.vocabSize(), config.embedDim());
        cell = new RecurrentCell(parameters, config, "input");
        merge = Linear.create(parameters, "merge", h, h);
        vocabulary = Linear.create(parameters, "vocabulary", h, config.vocabSize());
    }

    /** State: the projected image [B, H], the recurrent state (zeros) [B, H] and, for an LSTM, the cell. */
    @Override
    public DecoderState init(NDArray regionFeatures) {
        return initial(regionFeatures, Dropout.OFF);
    }

    @Override
    public StepResult step(DecoderState state, int[] previousTokens) {
        NDArray image = projectedImage(state);
        NDArray ids = image.getManager().create(previousTokens);
        DecoderState next = advance(state, cell.firstInputGates(Layers.embed(ids, embeddings)));
        NDArray logits = vocabularyLogits(image.add(cell.hidden(next.arrays())));
        return new StepResult(logits.logSoftmax(1), null, next);
    }

    @Override
    public TeacherForcedOutput teacherForced(NDArray regionFeatures, NDArray inputTokens, Dropout dropout) {
        DecoderState state = initial(regionFeatures, dropout);
        int steps = (int) inputTokens.getShape().get(1);
        // [B, T, gates]: the cell's input projection for every step at once.
        NDArray embedded = dropout.apply(Layers.embed(inputTokens, embeddings), config.dropout());
        NDList inputs = Layers.timeSteps(cell.firstInputGates(embedded));
        NDList hiddens = new NDList(steps);
        for (int t = 0; t < steps; t++) {
            state = advance(state, inputs.get(t));
            hiddens.add(cell.hidden(state.arrays()));
        }
        NDArray merged = NDArrays.stack(hiddens, 1).add(projectedImage(state).expandDims(1))
                .reshape(-1, config.hiddenDim());
        NDArray logits = vocabularyLogits(merged.get(TeacherForcedOutput.realPositions(inputTokens)));
        return new TeacherForcedOutput(logits, null);
    }

    private DecoderState initial(NDArray regionFeatures, Dropout dropout) {
        NDArray pooled = dropout.apply(regionFeatures.mean(new int[] {1}), config.dropout());
        NDArray projected = Activation.relu(image.apply(pooled));
        NDList state = new NDList(projected);
        state.addAll(cell.zeroState(projected));
        return new DecoderState(state);
    }

    /** One recurrent step; {@code inputGates} is the projected embedding [B, gates]. */
    private DecoderState advance(DecoderState state, NDArray inputGates) {
        NDList next = new NDList(projectedImage(state));
        next.addAll(cell.advance(inputGates, state.arrays()));
        return new DecoderState(next);
    }

    /** The projected image [B, H]: the state's first array, before the recurrent state. */
    private static NDArray projectedImage(DecoderState state) {
        return state.arrays().get(0);
    }

    /** The merged vector [N, H] → logits [N, V]: Linear + ReLU, then the vocabulary projection. */
    private NDArray vocabularyLogits(NDArray merged) {
        return vocabulary.apply(Activation.relu(merge.apply(merged)));
    }
}
