package org.captioner.train;

/**
 * One line of the training log.
 *
 * @param devMetric   null in epochs where the dev metric was not computed
 * @param trainReward self-critical training: the mean CIDEr-D of the epoch's sampled captions; null otherwise
 */
public record EpochRecord(int epoch, long step, double trainLoss, double devLoss, Double devMetric,
                          double learningRate, double seconds, Double trainReward) {
}
