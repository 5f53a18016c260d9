package org.captioner.model;

import ai.djl.ndarray.NDArray;
import org.captioner.text.SpecialTokens;

/**
 * Outputs of a teacher-forced pass over whole captions.
 *
 * @param logits    unnormalized next-token scores, [N, V], only for the N positions whose input token is not PAD,
 *                  row-major (caption by caption); with captions padded at the end only, these are exactly the
 *                  positions whose target is not PAD. Skipping padding saves most of the vocabulary projection's
 *                  cost on padded batches.
 * @param attention attention weights per step, [B, T, R], padding included
 */
public record TeacherForcedOutput(NDArray logits, NDArray attention) {

    /** Flat indices (row-major over [B, T]) of the non-PAD tokens, int64: the rows of {@link #logits()}. */
    public static NDArray realPositions(NDArray tokens) {
        return tokens.flatten().neq(SpecialTokens.PAD).nonzero().squeeze(1);
    }
}
