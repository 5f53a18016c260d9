package org.captioner.train;

import java.util.List;
import java.util.Map;

/** Scores generated dev captions against references (higher is better), e.g. CIDEr-D. Keys are image ids. */
@FunctionalInterface
public interface DevScorer {
    double score(Map<String, String> candidates, Map<String, List<String>> references);

    /** Stand-in until a real metric is plugged in: per image the best unigram F1 against a reference, averaged. */
    static DevScorer unigramF1() {
        return (candidates, references) -> candidates.entrySet().stream()
                .mapToDouble(c -> references.getOrDefault(c.getKey(), List.of()).stream()
                        .mapToDouble(r -> UnigramOverlap.f1(c.getValue(), r)).max().orElse(0))
                .average().orElse(0);
    }
}
