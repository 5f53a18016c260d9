/**
 * The library's front door: load a model bundle and caption pictures.
 *
 * <p>Main types: {@link org.captioner.Captioner} (load a bundle, caption files or images, safe for concurrent
 * callers), {@link org.captioner.Caption} (one generated caption with its words, score and attention) and
 * {@link org.captioner.BatchCaptioning} (many files batch by batch, unreadable ones reported and skipped) and
 * {@link org.captioner.ReadAhead} (the two-stage pipeline it runs: backbone of the next batch while this one is
 * decoded).
 *
 * <p>Layer 9 of docs/architecture.md: may import the layers below it; uses {@code bundle}, {@code decode},
 * {@code eval}, {@code features}, {@code image}, {@code model}, {@code text}. Never {@code train}, the server or the
 * CLI (enforced by {@code ArchitectureTest}).
 */
package org.captioner;
