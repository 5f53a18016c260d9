package org.captioner.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run stands; with the weights and the optimizer state it is all a checkpoint holds.
 * Mutable: the trainer advances it step by step.
 */
final class TrainingProgress {
    /** Current epoch, 0-based. */
    public int epoch;
    /** Next batch of the current epoch's order. */
    public int batchInEpoch;
    public long globalStep;
    /** Sum and count of the current epoch's batch losses so far (a resumed epoch reports the same mean). */
    public double epochLossSum;
    public int epochLossSteps;
    /** Self-critical training: sum of the current epoch's mean sample rewards, over the same steps. */
    public double epochRewardSum;
    public Double bestScore;
    public int bestEpoch = -1;
    public int evaluationsWithoutImprovement;
    public double seconds;
    public List<EpochRecord> history = new ArrayList<>();
}
