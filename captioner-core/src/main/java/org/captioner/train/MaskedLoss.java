package org.captioner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.captioner.text.SpecialTokens;

/** Losses over padded batches: positions whose target is PAD contribute nothing, to the value or the gradient. */
public final class MaskedLoss {
    private MaskedLoss() {
    }

    /** 1 where the target is a real token, 0 at padding; [B, T] float32. */
    public static NDArray tokenMask(NDArray targets) {
        return targets.neq(SpecialTokens.PAD).toType(DataType.FLOAT32, false);
    }

    /**
     * Mean cross-entropy per real target token, optionally label-smoothed
     * ({@code (1 - s)·nll + s·mean over the vocabulary of -log p}).
     *
     * @param logits  [B, T, V]
     * @param targets [B, T] token ids, PAD where there is nothing to predict
     */
    public static NDArray crossEntropy(NDArray logits, NDArray targets, double labelSmoothing) {
        NDArray logProbs = logits.logSoftmax(2);
        NDArray index = targets.toType(DataType.INT64, false).expandDims(2);
        NDArray perToken = logProbs.gather(index, 2).squeeze(2).neg();
        if (labelSmoothing > 0) {
            NDArray uniform = logProbs.mean(new int[] {2}).neg();
            perToken = perToken.mul(1 - labelSmoothing).add(uniform.mul(labelSmoothing));
        }
        NDArray mask = tokenMask(targets);
        return perToken.mul(mask).sum().div(mask.sum());
    }

    /**
     * Show-Attend-Tell's doubly stochastic regularisation: each region should get a total attention of about 1 over
     * the caption. {@code sum_r (1 - sum_t alpha_tr)^2}, steps at padding excluded, averaged over the batch.
     *
     * @param attention [B, T, R]
     * @param targets   [B, T], to find the padding
     */
    public static NDArray attentionPenalty(NDArray attention, NDArray targets) {
        NDArray coverage = attention.mul(tokenMask(targets).expandDims(2)).sum(new int[] {1});
        return coverage.neg().add(1).square().sum(new int[] {1}).mean();
    }
}
