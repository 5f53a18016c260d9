/**
 * Caption models on DJL's PyTorch engine: the families and their parameters, saving and loading.
 *
 * <p>Main types: {@link org.captioner.model.CaptionModel} (what training and decoding need of a family),
 * {@link org.captioner.model.ShowAndTell}, {@link org.captioner.model.ShowAttendTell} and
 * {@link org.captioner.model.Transformer} (the families), {@link org.captioner.model.ModelConfig},
 * {@link org.captioner.model.CaptionModels} (build or load by family), {@link org.captioner.model.ModelFiles}
 * (the saved layout), {@link org.captioner.model.RecurrentCell} and {@link org.captioner.model.Layers} (the shared
 * building blocks).
 *
 * <p>Layer 6 of docs/architecture.md: may import the layers below it; uses {@code text}, {@code io},
 * {@code engine}. Never {@code decode} or {@code train}, which use it.
 */
package org.captioner.model;
