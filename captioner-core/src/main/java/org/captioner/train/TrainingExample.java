package org.captioner.train;

/** One training caption: START, words, END (ids of the shared vocabulary), for the image {@code imageId}. */
public record TrainingExample(String imageId, int[] tokens) {
}
