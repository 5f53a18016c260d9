package org.captioner.train;

import java.util.HashMap;
import java.util.Map;

/** Clipped unigram overlap between whitespace-separated texts. */
final class UnigramOverlap {
    private UnigramOverlap() {
    }

    static double f1(String candidate, String reference) {
        Map<String, Integer> referenceCounts = counts(reference);
        Map<String, Integer> candidateCounts = counts(candidate);
        int candidateLength = candidateCounts.values().stream().mapToInt(Integer::intValue).sum();
        int referenceLength = referenceCounts.values().stream().mapToInt(Integer::intValue).sum();
        int matched = 0;
        for (Map.Entry<String, Integer> word : candidateCounts.entrySet()) {
            matched += Math.min(word.getValue(), referenceCounts.getOrDefault(word.getKey(), 0));
        }
        return matched == 0 ? 0 : 2.0 * matched / (candidateLength + referenceLength);
    }

    private static Map<String, Integer> counts(String text) {
        Map<String, Integer> counts = new HashMap<>();
        for (String word : text.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        return counts;
    }
}
