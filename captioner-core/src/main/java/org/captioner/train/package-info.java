/**
 * Training a caption model on cached features and writing it as a bundle.
 *
 * <p>Main types: {@link org.captioner.train.TrainingRecipe} (model, training and decoding settings from YAML and
 * {@code key=value} overrides), {@link org.captioner.train.TrainingRun} (data to bundle: vocabulary, training,
 * dev scores), {@link org.captioner.train.Trainer} (the epochs: batches, loss, {@link org.captioner.train.Adam},
 * dev selection, early stopping, {@link org.captioner.train.Checkpoint}s), its two kinds of step,
 * {@code TrainingStep} (teacher-forced cross-entropy; {@code BatchPrefetcher} reads the next batch while it computes) and
 * {@code SelfCriticalStep} (CIDEr-D rewards of sampled captions, {@code training.scst}),
 * {@code TrainingViews} (one stored view of each train image per epoch),
 * {@link org.captioner.train.TrainingConfig} and {@link org.captioner.train.TrainingResult}.
 *
 * <p>Layer 10 of docs/architecture.md: may import the layers below it; uses {@code bundle}, {@code eval},
 * {@code decode}, {@code model}, {@code features}, {@code text}, {@code data}, {@code io}, {@code engine}. Never the server or
 * the CLI.
 */
package org.captioner.train;
