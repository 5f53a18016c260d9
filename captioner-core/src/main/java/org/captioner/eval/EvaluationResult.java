package org.captioner.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scores of one evaluation, keyed as the COCO toolkit names them ({@code Bleu_1}..{@code Bleu_4}, {@code ROUGE_L},
 * {@code CIDEr}; no {@code METEOR}, see docs/evaluation.md).
 *
 * @param corpus   metric key -> corpus score, in {@link CocoEvaluator#METRIC_KEYS} order
 * @param perImage image id -> (metric key -> that image's score), in the order of the references given
 */
public record EvaluationResult(Map<String, Double> corpus, Map<String, Map<String, Double>> perImage) {
    public EvaluationResult {
        corpus = Collections.unmodifiableMap(new LinkedHashMap<>(corpus));
        Map<String, Map<String, Double>> images = new LinkedHashMap<>();
        perImage.forEach((image, scores) -> images.put(image, Collections.unmodifiableMap(new LinkedHashMap<>(scores))));
        perImage = Collections.unmodifiableMap(images);
    }
}
