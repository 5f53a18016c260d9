package org.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A decoder's state for a batch of sequences: batch-major arrays whose layout only the model knows.
 * Decoders reorder it (beam search) without knowing what it holds.
 */
public record DecoderState(NDList arrays) {

    /** The state of rows {@code rows} (an int64 index array), e.g. the surviving beams' parents. */
    public DecoderState select(NDArray rows) {
        NDList picked = new NDList(arrays.size());
        for (NDArray array : arrays) {
            picked.add(array.get(rows));
        }
        return new DecoderState(picked);
    }

    /** Closes the arrays of this state that {@code successor} does not share (states may share per-image constants). */
    public void closeUnsharedWith(DecoderState successor) {
        Set<NDArray> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(successor.arrays);
        for (NDArray array : arrays) {
            if (!kept.contains(array)) {
                array.close();
            }
        }
    }
}
