package org.captioner.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one scorer returns: the corpus score for each of its keys and, for each key, the per-image scores in the
 * order of the items it was given.
 */
public record MetricScores(Map<String, Double> corpus, Map<String, double[]> perImage) {
    public MetricScores {
        corpus = Collections.unmodifiableMap(new LinkedHashMap<>(corpus));
        perImage = Collections.unmodifiableMap(new LinkedHashMap<>(perImage));
    }
}
