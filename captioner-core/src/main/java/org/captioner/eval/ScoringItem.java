package org.captioner.eval;

import java.util.List;

/**
 * One image to score: its candidate caption and reference captions, already in the form the scorers compare
 * (tokenized and space-joined when the evaluator tokenizes).
 */
public record ScoringItem(String imageId, String candidate, List<String> references) {
    public ScoringItem {
        references = List.copyOf(references);
        if (references.isEmpty()) {
            throw new IllegalArgumentException("image " + imageId + " has no reference caption");
        }
    }
}
