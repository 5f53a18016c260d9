package org.captioner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.captioner.engine.Constants;
import org.captioner.model.TeacherForcedOutput;
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
     * @param logits  [N, V] for the N non-PAD targets, row-major, as {@link TeacherForcedOutput#logits()}
     * @param targets [B, T] token ids, PAD where there is nothing to predict
     */
    public static NDArray crossEntropy(NDArray logits, NDArray targets, double labelSmoothing) {
        NDArray realTargets = targets.flatten().get(TeacherForcedOutput.realPositions(targets));
        NDArray logProbs = logits.logSoftmax(1);
        NDArray perToken = logProbs.gather(realTargets.toType(DataType.INT64, false).expandDims(1), 1).neg();
        if (labelSmoothing > 0) {
            NDArray uniform = logProbs.mean(new int[] {1}, true).neg();
            perToken = Constants.times(perToken, 1 - labelSmoothing).add(Constants.times(uniform, labelSmoothing));
        }
        return perToken.mean();
    }

    /**
     * Show-Attend-Tell's doubly stochastic regularization: each region should get a total attention of about 1 over
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
