package org.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;

import java.util.ArrayList;
import java.util.List;

import static org.captioner.model.Layers.affine;

/**
 * A GRU or LSTM cell computed as PyTorch computes it, with weights stored [in, out]. Its input may come in parts
 * (e.g. a word embedding and an attention context), each with its own weight {@code rnn.<part>.weight}; the bias
 * {@code rnn.input.bias} goes with the first part, so a model can project that part for all time steps at once.
 * Its state is the hidden state [B, H] and, for an LSTM, the cell state [B, H]: the last one or two arrays of the
 * model's {@link DecoderState}, hidden first, after whatever per-image arrays the model keeps.
 */
final class RecurrentCell {
    private final boolean lstm;
    private final List<NDArray> inputWeights = new ArrayList<>();
    private final NDArray inputBias;
    private final Linear hiddenProjection;

    /**
     * Adds the cell's parameters to {@code parameters}: the input parts' weights, the input bias, then the hidden
     * projection {@code rnn.hidden.weight}, {@code rnn.hidden.bias}; the order models have always saved them in.
     *
     * @param inputParts names of the input parts, each of {@code config.embedDim()} values
     */
    RecurrentCell(ParameterSet parameters, ModelConfig config, String... inputParts) {
        this.lstm = ModelConfig.LSTM.equals(config.rnn());
        int hidden = config.hiddenDim();
        int gates = (lstm ? 4 : 3) * hidden;
        for (String part : inputParts) {
            inputWeights.add(parameters.glorot("rnn." + part + ".weight", config.embedDim(), gates));
        }
        inputBias = parameters.zeros("rnn.input.bias", gates);
        hiddenProjection = Linear.create(parameters, "rnn.hidden", hidden, gates);
    }

    boolean lstm() {
        return lstm;
    }

    /** A zero recurrent state for rows shaped like {@code like} [B, H]. */
    NDList zeroState(NDArray like) {
        return lstm ? new NDList(like.zerosLike(), like.zerosLike()) : new NDList(like.zerosLike());
    }

    /** The hidden state [B, H] within a model's state. */
    NDArray hidden(NDList modelState) {
        return modelState.get(modelState.size() - stateSize());
    }

    /** The first input part's contribution to the gates, bias included: [..., E] → [..., gates]. */
    NDArray firstInputGates(NDArray firstPart) {
        return affine(firstPart, inputWeights.get(0), inputBias);
    }

    /** {@code firstInputGates} plus the contribution of the other input parts, in order: each [B, E] → [B, gates]. */
    NDArray withOtherInputs(NDArray firstInputGates, NDArray... otherParts) {
        NDArray gates = firstInputGates;
        for (int i = 0; i < otherParts.length; i++) {
            gates = gates.add(otherParts[i].matMul(inputWeights.get(i + 1)));
        }
        return gates;
    }

    /**
     * One step.
     *
     * @param inputGates the whole input's contribution to the gates [B, gates]
     * @param modelState the model's state, which ends with the recurrent state
     * @return the next recurrent state (hidden, then for an LSTM the cell), for the end of the model's next state
     */
    NDList advance(NDArray inputGates, NDList modelState) {
        List<NDArray> state = modelState.subList(modelState.size() - stateSize(), modelState.size());
        NDArray hidden = state.get(0);
        NDArray hiddenGates = hiddenProjection.apply(hidden);
        if (lstm) {
            NDList gates = inputGates.add(hiddenGates).split(4, 1);
            NDArray cell = Activation.sigmoid(gates.get(1)).mul(state.get(1))
                    .add(Activation.sigmoid(gates.get(0)).mul(gates.get(2).tanh()));
            return new NDList(Activation.sigmoid(gates.get(3)).mul(cell.tanh()), cell);
        }
        // PyTorch's GRU: the reset gate scales the hidden part of the candidate, bias included.
        NDList in = inputGates.split(3, 1);
        NDList hid = hiddenGates.split(3, 1);
        NDArray reset = Activation.sigmoid(in.get(0).add(hid.get(0)));
        NDArray update = Activation.sigmoid(in.get(1).add(hid.get(1)));
        NDArray candidate = in.get(2).add(reset.mul(hid.get(2))).tanh();
        return new NDList(candidate.add(update.mul(hidden.sub(candidate))));
    }

    private int stateSize() {
        return lstm ? 2 : 1;
    }
}
