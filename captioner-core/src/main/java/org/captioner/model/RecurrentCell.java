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
 * The recurrent state is the hidden state [B, H] and, for an LSTM, the cell state [B, H], in that order.
 */
final class RecurrentCell {
    private final boolean lstm;
    private final List<NDArray> inputWeights = new ArrayList<>();
    private final NDArray inputBias;
    private final NDArray hiddenWeight;
    private final NDArray hiddenBias;

    /**
     * Adds the cell's parameters to {@code parameters}: the input parts' weights, then the biases and the hidden
     * weight, in the order models have always saved them.
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
        hiddenWeight = parameters.glorot("rnn.hidden.weight", hidden, gates);
        hiddenBias = parameters.zeros("rnn.hidden.bias", gates);
    }

    boolean lstm() {
        return lstm;
    }

    /** The first input part's contribution to the gates, bias included: [..., E] → [..., gates]. */
    NDArray firstInputGates(NDArray firstPart) {
        return affine(firstPart, inputWeights.get(0), inputBias);
    }

    /** {@code gates} plus the contribution of input part {@code index} (from 1): [B, E] → [B, gates]. */
    NDArray addInput(NDArray gates, int index, NDArray part) {
        return gates.add(part.matMul(inputWeights.get(index)));
    }

    /**
     * One step.
     *
     * @param inputGates the whole input's contribution to the gates [B, gates]
     * @param state      the recurrent state: hidden, then (LSTM) cell
     * @return the next recurrent state, in the same layout
     */
    NDList advance(NDArray inputGates, List<NDArray> state) {
        NDArray hidden = state.get(0);
        NDArray hiddenGates = affine(hidden, hiddenWeight, hiddenBias);
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
}
