/**
 * Captions as tokens: {@link org.captioner.text.TextNormalizer} (caption text to words),
 * {@link org.captioner.text.Vocabulary} (words to ids and back, built from the train split) and
 * {@link org.captioner.text.SpecialTokens} (PAD, START, END, UNK).
 *
 * <p>Layer 3 of docs/architecture.md: may import the layers below it; uses only {@code io}.
 */
package org.captioner.text;
