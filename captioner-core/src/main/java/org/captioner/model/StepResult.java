package org.captioner.model;

import ai.djl.ndarray.NDArray;

/**
 * One decoding step for a batch.
 *
 * @param logProbs  log-probabilities of the next token, [B, V]
 * @param attention attention weights over regions that produced it, [B, R] (rows sum to 1)
 * @param state     the state after consuming the previous tokens
 */
public record StepResult(NDArray logProbs, NDArray attention, DecoderState state) {
}
