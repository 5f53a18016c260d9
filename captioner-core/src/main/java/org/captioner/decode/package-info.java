/**
 * Turning a model's step-by-step word probabilities into captions: greedy decoding, beam search and sampling.
 *
 * <p>Main types: {@link org.captioner.decode.CaptionDecoder} (batched over images and beams),
 * {@link org.captioner.decode.DecodingOptions} (strategy, beam width, length penalty, ... with their ranges),
 * {@link org.captioner.decode.GeneratedCaption} (token ids, score, attention) and
 * {@link org.captioner.decode.Stepper} (runs a model over a shrinking batch, freeing native memory as it goes).
 *
 * <p>Layer 7 of docs/architecture.md: may import the layers below it; uses {@code model}, {@code features},
 * {@code text}, {@code engine}.
 */
package org.captioner.decode;
