/**
 * Backbone features of pictures: running a frozen ONNX backbone and storing what it gives.
 *
 * <p>Main types: {@link org.captioner.features.BackboneSpec} (which backbone, its input and outputs, its sha256),
 * {@link org.captioner.features.OnnxBackbone} (runs it in ONNX Runtime), {@link org.captioner.features.FeatureExtractor}
 * (decodes and extracts a list of images), {@link org.captioner.features.FeatureStore} and
 * {@link org.captioner.features.FeatureStoreWriter} (the on-disk cache training reads, as a
 * {@link org.captioner.features.FeatureSource}, with the augmented {@link org.captioner.features.FeatureView}s of
 * train images) and {@link org.captioner.features.RegionBatch} (region features of
 * several images in one array, read straight into the memory libtorch uses).
 *
 * <p>Layer 5 of docs/architecture.md: may import the layers below it; uses {@code data}, {@code image},
 * {@code io}.
 */
package org.captioner.features;
