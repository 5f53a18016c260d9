package org.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import org.captioner.engine.Constants;

/**
 * Show, Attend and Tell with Bahdanau attention, as in TensorFlow's "Image captioning with visual attention":
 * regions are projected (Linear + ReLU), each step attends over them with the previous hidden state
 * ({@code score = v·tanh(W1·features + W2·hidden)}, computed through a sigmoid, see {@link #attend}), feeds
 * {@code [embedding ; context]} to a GRU or LSTM cell, and maps the new hidden state to the vocabulary through
 * Linear, dropout, Linear.
 *
 * <p>For speed on CPU: {@code W1·features} is computed once per image (in {@link #init}); in teacher forcing the
 * embedding half of the cell's input projection and the whole output projection run once for all time steps
 * (the latter only at non-padding positions), so the per-step loop only holds the attention and the recurrent
 * update. Weights are stored [in, out].
 */
public final class ShowAttendTell extends ModelBase {
    private final Linear encoder;
    private final Linear key;
    private final Linear query;
    private final NDArray scoreWeight;
    private final NDArray embeddings;
    private final Linear initialHidden;
    private final Linear initialCell;
    private final RecurrentCell cell;
    private final Linear output;
    private final Linear vocabulary;

    /** One step's attention weights [B, R] and the state after it. */
    private record Attended(NDArray weights, DecoderState state) {
    }

    /** A freshly initialized model whose parameters live in a new sub-manager of {@code parent}. */
    public ShowAttendTell(ModelConfig config, NDManager parent, long seed) {
        super(ModelConfig.SHOW_ATTEND_TELL, config, parent, seed);
        int e = config.embedDim();
        int h = config.hiddenDim();
        int a = config.attentionDim();
        ParameterSet p = parameters;
        encoder = Linear.create(p, "encoder", config.featureChannels(), e);
        key = Linear.create(p, "attention.key", e, a);
        query = Linear.create(p, "attention.query", h, a);
        scoreWeight = p.glorot("attention.score.weight", a, 1);
        embeddings = p.uniform("embedding.weight", 0.05, config.vocabSize(), e);
        initialHidden = Linear.create(p, "init.hidden", e, h);
        initialCell = ModelConfig.LSTM.equals(config.rnn()) ? Linear.create(p, "init.cell", e, h) : null;
        cell = new RecurrentCell(p, config, "embedding", "context");
        output = Linear.create(p, "output", h, h);
        vocabulary = Linear.create(p, "vocabulary", h, config.vocabSize());
    }

    @Override
    public DecoderState init(NDArray regionFeatures) {
        NDArray encoded = Activation.relu(encoder.apply(regionFeatures));
        NDArray keys = Constants.times(key.apply(encoded), 2); // doubled once per image for attend's sigmoid form
        NDArray meanRegion = encoded.mean(new int[] {1});
        NDArray hidden = initialHidden.apply(meanRegion).tanh();
        NDList state = new NDList(encoded, keys, hidden);
        if (cell.lstm()) {
            state.add(initialCell.apply(meanRegion).tanh());
        }
        return new DecoderState(state);
    }

    @Override
    public StepResult step(DecoderState state, int[] previousTokens) {
        NDArray encoded = encoded(state.arrays());
        NDArray ids = encoded.getManager().create(previousTokens);
        NDArray embeddedInput = cell.firstInputGates(Layers.embed(ids, embeddings));
        Attended attended = attend(state, embeddedInput);
        NDArray logits = vocabularyLogits(cell.hidden(attended.state.arrays()), Dropout.OFF);
        return new StepResult(logits.logSoftmax(1), attended.weights, attended.state);
    }

    @Override
    public TeacherForcedOutput teacherForced(NDArray regionFeatures, NDArray inputTokens, Dropout dropout) {
        DecoderState state = init(regionFeatures);
        int steps = (int) inputTokens.getShape().get(1);
        // [B, T, gates]: the embedding half of the cell input, for every step at once.
        NDList embeddedInputs = Layers.timeSteps(cell.firstInputGates(Layers.embed(inputTokens, embeddings)));
        NDList hiddens = new NDList(steps);
        NDList weights = new NDList(steps);
        for (int t = 0; t < steps; t++) {
            Attended attended = attend(state, embeddedInputs.get(t));
            state = attended.state;
            hiddens.add(cell.hidden(state.arrays()));
            weights.add(attended.weights);
        }
        NDArray hidden = NDArrays.stack(hiddens, 1).reshape(-1, config.hiddenDim());
        NDArray logits = vocabularyLogits(hidden.get(TeacherForcedOutput.realPositions(inputTokens)), dropout);
        return new TeacherForcedOutput(logits, NDArrays.stack(weights, 1));
    }

    /** Attends with the previous hidden state, then advances the cell; {@code embeddedInput} is [B, gates]. */
    private Attended attend(DecoderState state, NDArray embeddedInput) {
        NDList arrays = state.arrays();
        NDArray encoded = encoded(arrays);
        // v·tanh(k + q) = 2v·sigmoid(2k + 2q) - sum(v): the same softmax, as the last term is equal for every
        // region. libtorch's tanh on a [B, R, A] tensor took 8 times as long as its sigmoid on this CPU (MKL's
        // vector maths on AMD), and the forward pass computes it at every step.
        NDArray queries = Constants.times(query.apply(cell.hidden(arrays)), 2).expandDims(1);
        NDArray scores = Activation.sigmoid(keys(arrays).add(queries)).matMul(Constants.times(scoreWeight, 2)).squeeze(2);
        NDArray weights = scores.softmax(1);
        NDArray context = weights.expandDims(1).matMul(encoded).squeeze(1);
        NDList next = new NDList(encoded, keys(arrays));
        next.addAll(cell.advance(cell.withOtherInputs(embeddedInput, context), arrays));
        return new Attended(weights, new DecoderState(next));
    }

    /** The encoded regions [B, R, E]: the state's first array, then their keys, then the cell's state. */
    private static NDArray encoded(NDList state) {
        return state.get(0);
    }

    /** Twice the attention keys of the regions [B, R, A], computed once per image. */
    private static NDArray keys(NDList state) {
        return state.get(1);
    }

    private NDArray vocabularyLogits(NDArray hidden, Dropout dropout) {
        return vocabulary.apply(dropout.apply(output.apply(hidden), config.dropout()));
    }
}
