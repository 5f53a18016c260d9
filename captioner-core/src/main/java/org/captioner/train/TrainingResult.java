package org.captioner.train;

import java.nio.file.Path;
import java.util.List;

/**
 * How a run ended.
 *
 * @param bestModel directory of the best model by dev metric (model.json + weights.bin), or null if never evaluated
 * @param finished  false when the run stopped at {@code maxSteps} and can be resumed
 */
public record TrainingResult(long steps, int epochsCompleted, Double bestScore, int bestEpoch, boolean stoppedEarly,
                             boolean finished, Path bestModel, List<EpochRecord> history) {
}
