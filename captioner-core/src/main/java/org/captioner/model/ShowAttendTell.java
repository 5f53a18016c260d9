package org.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;

import static org.captioner.model.Layers.affine;
import static org.captioner.model.Layers.dropout;

/**
 * Show, Attend and Tell with Bahdanau attention, as in TensorFlow's "Image captioning with visual attention":
 * regions are projected (Linear + ReLU), each step attends over them with the previous hidden state
 * ({@code score = v·tanh(W1·features + W2·hidden)}), feeds {@code [embedding ; context]} to a GRU or LSTM cell,
 * and maps the new hidden state to the vocabulary through Linear, dropout, Linear.
 *
 * <p>For speed on CPU: {@code W1·features} is computed once per image (in {@link #init}); in teacher forcing the
 * embedding half of the cell's input projection and the whole output projection run once for all time steps
 * (the latter only at non-padding positions), so the per-step loop only holds the attention and the recurrent
 * update. Weights are stored [in, out].
 */
public final class ShowAttendTell extends ModelBase {
    private static final int ENCODED = 0;
    private static final int KEYS = 1;
    private static final int HIDDEN = 2;
    /** The cell's second input part, after the embedding. */
    private static final int CONTEXT_PART = 1;

    private final NDArray encoderWeight;
    private final NDArray encoderBias;
    private final NDArray keyWeight;
    private final NDArray keyBias;
    private final NDArray queryWeight;
    private final NDArray queryBias;
    private final NDArray scoreWeight;
    private final NDArray embeddings;
    private final NDArray initialHiddenWeight;
    private final NDArray initialHiddenBias;
    private final NDArray initialCellWeight;
    private final NDArray initialCellBias;
    private final RecurrentCell cell;
    private final NDArray outputWeight;
    private final NDArray outputBias;
    private final NDArray vocabularyWeight;
    private final NDArray vocabularyBias;

    /** A freshly initialised model whose parameters live in a new sub-manager of {@code parent}. */
    public ShowAttendTell(ModelConfig config, NDManager parent, long seed) {
        super(ModelConfig.SHOW_ATTEND_TELL, config, parent, seed);
        boolean lstm = ModelConfig.LSTM.equals(config.rnn());
        int c = config.featureChannels();
        int e = config.embedDim();
        int h = config.hiddenDim();
        int a = config.attentionDim();
        int v = config.vocabSize();
        ParameterSet p = parameters;
        encoderWeight = p.glorot("encoder.weight", c, e);
        encoderBias = p.zeros("encoder.bias", e);
        keyWeight = p.glorot("attention.key.weight", e, a);
        keyBias = p.zeros("attention.key.bias", a);
        queryWeight = p.glorot("attention.query.weight", h, a);
        queryBias = p.zeros("attention.query.bias", a);
        scoreWeight = p.glorot("attention.score.weight", a, 1);
        embeddings = p.uniform("embedding.weight", 0.05, v, e);
        initialHiddenWeight = p.glorot("init.hidden.weight", e, h);
        initialHiddenBias = p.zeros("init.hidden.bias", h);
        initialCellWeight = lstm ? p.glorot("init.cell.weight", e, h) : null;
        initialCellBias = lstm ? p.zeros("init.cell.bias", h) : null;
        cell = new RecurrentCell(p, config, "embedding", "context");
        outputWeight = p.glorot("output.weight", h, h);
        outputBias = p.zeros("output.bias", h);
        vocabularyWeight = p.glorot("vocabulary.weight", h, v);
        vocabularyBias = p.zeros("vocabulary.bias", v);
    }

    @Override
    public DecoderState init(NDArray regionFeatures) {
        NDArray encoded = Activation.relu(affine(regionFeatures, encoderWeight, encoderBias));
        NDArray keys = affine(encoded, keyWeight, keyBias);
        NDArray meanRegion = encoded.mean(new int[] {1});
        NDArray hidden = affine(meanRegion, initialHiddenWeight, initialHiddenBias).tanh();
        NDList state = new NDList(encoded, keys, hidden);
        if (cell.lstm()) {
            state.add(affine(meanRegion, initialCellWeight, initialCellBias).tanh());
        }
        return new DecoderState(state);
    }

    @Override
    public StepResult step(DecoderState state, int[] previousTokens) {
        NDArray encoded = state.arrays().get(ENCODED);
        NDArray ids = encoded.getManager().create(previousTokens);
        NDArray embeddedInput = cell.firstInputGates(Layers.embed(ids, embeddings));
        Attended attended = attend(state, embeddedInput);
        NDArray logits = vocabularyLogits(attended.state.arrays().get(HIDDEN), false);
        return new StepResult(logits.logSoftmax(1), attended.weights, attended.state);
    }

    @Override
    public TeacherForcedOutput teacherForced(NDArray regionFeatures, NDArray inputTokens, boolean training) {
        DecoderState state = init(regionFeatures);
        int steps = (int) inputTokens.getShape().get(1);
        // [B, T, gates]: the embedding half of the cell input, for every step at once.
        NDArray embeddedInputs = cell.firstInputGates(Layers.embed(inputTokens, embeddings));
        NDList hiddens = new NDList(steps);
        NDList weights = new NDList(steps);
        for (int t = 0; t < steps; t++) {
            Attended attended = attend(state, embeddedInputs.get(":, {}", t));
            state = attended.state;
            hiddens.add(state.arrays().get(HIDDEN));
            weights.add(attended.weights);
        }
        NDArray hidden = NDArrays.stack(hiddens, 1).reshape(-1, config.hiddenDim());
        NDArray logits = vocabularyLogits(hidden.get(TeacherForcedOutput.realPositions(inputTokens)), training);
        return new TeacherForcedOutput(logits, NDArrays.stack(weights, 1));
    }

    private record Attended(NDArray weights, DecoderState state) {
    }

    /** Attends with the previous hidden state, then advances the cell; {@code embeddedInput} is [B, gates]. */
    private Attended attend(DecoderState state, NDArray embeddedInput) {
        NDList arrays = state.arrays();
        NDArray encoded = arrays.get(ENCODED);
        NDArray hidden = arrays.get(HIDDEN);
        NDArray query = affine(hidden, queryWeight, queryBias).expandDims(1);
        NDArray scores = arrays.get(KEYS).add(query).tanh().matMul(scoreWeight).squeeze(2);
        NDArray weights = scores.softmax(1);
        NDArray context = weights.expandDims(1).matMul(encoded).squeeze(1);
        NDArray inputGates = cell.addInput(embeddedInput, CONTEXT_PART, context);
        NDList next = new NDList(encoded, arrays.get(KEYS));
        next.addAll(cell.advance(inputGates, arrays.subList(HIDDEN, arrays.size())));
        return new Attended(weights, new DecoderState(next));
    }

    private NDArray vocabularyLogits(NDArray hidden, boolean training) {
        NDArray projected = dropout(affine(hidden, outputWeight, outputBias), config.dropout(), training);
        return affine(projected, vocabularyWeight, vocabularyBias);
    }
}
