/**
 * Scoring captions as the COCO caption evaluation toolkit does: BLEU-1..4, ROUGE-L and CIDEr-D after PTB
 * tokenization, and the evaluation of a whole split.
 *
 * <p>Main types: {@link org.captioner.eval.CocoEvaluator} (the toolkit's pipeline), the
 * {@link org.captioner.eval.CaptionScorer}s ({@link org.captioner.eval.BleuScorer},
 * {@link org.captioner.eval.RougeLScorer}, {@link org.captioner.eval.CiderDScorer}),
 * {@link org.captioner.eval.PtbTokenizer}, {@link org.captioner.eval.SplitEvaluation} (caption a split with any
 * captioner, score it: the one path of {@code train}, {@code evaluate} and bundles),
 * {@link org.captioner.eval.CaptionFiles} and {@link org.captioner.eval.EvaluationSet} (reference and candidate
 * files paired for {@code score}) and {@link org.captioner.eval.EvaluationReport} (the report folder).
 *
 * <p>Layer 2 of docs/architecture.md: may import {@code data} and the leaf utilities {@code io},
 * {@code engine}; uses {@code data}, {@code io}. It captions through a function it is given, so it needs no model.
 */
package org.captioner.eval;
