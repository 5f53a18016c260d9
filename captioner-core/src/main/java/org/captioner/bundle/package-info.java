/**
 * The model bundle, a trained captioner on disk: {@link org.captioner.bundle.ModelBundle} (writes and reads the
 * directory, checking every value, the weights' SHA-256 and that the pieces belong together) and
 * {@link org.captioner.bundle.BundleManifest} ({@code bundle.json}: backbone, preprocessing, decoding defaults,
 * provenance).
 *
 * <p>Layer 8 of docs/architecture.md: may import the layers below it; uses {@code decode}, {@code model},
 * {@code features}, {@code image}, {@code text}, {@code io}.
 */
package org.captioner.bundle;
