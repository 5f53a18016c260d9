/**
 * Pictures from bytes to backbone input: {@link org.captioner.image.ImageDecoder} (JPEG, PNG, GIF, BMP, WebP within
 * {@link org.captioner.image.ImageLimits}; bad files become an {@link org.captioner.image.ImageDecodeException}),
 * {@link org.captioner.image.ImagePreprocessor} (resize by {@link org.captioner.image.ResizeMode}, normalize),
 * {@link org.captioner.image.Augmentation}, {@link org.captioner.image.ImageFiles} (which files of a folder are
 * pictures) and {@link org.captioner.image.AttentionMapRenderer} (attention drawn over a picture).
 *
 * <p>Layer 4 of docs/architecture.md: may import the layers below it; uses only {@code io}.
 */
package org.captioner.image;
