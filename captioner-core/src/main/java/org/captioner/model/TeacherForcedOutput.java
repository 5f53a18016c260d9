package org.captioner.model;

import ai.djl.ndarray.NDArray;

/**
 * Outputs of a teacher-forced pass over whole captions.
 *
 * @param logits    unnormalised next-token scores, [B, T, V]
 * @param attention attention weights per step, [B, T, R]
 */
public record TeacherForcedOutput(NDArray logits, NDArray attention) {
}
