package org.captioner.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The n-gram counts of one sentence for n = 1..maxOrder, shared by BLEU and CIDEr (the toolkit's {@code precook}).
 * An n-gram is keyed by its words joined with single spaces: the words come from a whitespace split, so the key is
 * unambiguous. Each order keeps insertion order (sentence position), as the toolkit's dicts do, so sums over n-grams
 * run in the same order as in Python.
 */
final class NGramCounts {
    private final int wordCount;
    private final List<Map<String, Integer>> countsByOrder;

    private NGramCounts(int wordCount, List<Map<String, Integer>> countsByOrder) {
        this.wordCount = wordCount;
        this.countsByOrder = countsByOrder;
    }

    /** Counts the n-grams of {@code sentence} split like Python's {@code str.split()} (runs of whitespace). */
    static NGramCounts of(String sentence, int maxOrder) {
        List<String> words = whitespaceWords(sentence);
        List<Map<String, Integer>> byOrder = new ArrayList<>(maxOrder);
        for (int order = 1; order <= maxOrder; order++) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (int start = 0; start + order <= words.size(); start++) {
                counts.merge(String.join(" ", words.subList(start, start + order)), 1, Integer::sum);
            }
            byOrder.add(Collections.unmodifiableMap(counts));
        }
        return new NGramCounts(words.size(), List.copyOf(byOrder));
    }

    /** Python's {@code str.split()}: split on runs of whitespace, no empty words. */
    static List<String> whitespaceWords(String sentence) {
        String trimmed = sentence.strip();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
    }

    int wordCount() {
        return wordCount;
    }

    /** Counts of the n-grams of length {@code order} (1-based). */
    Map<String, Integer> counts(int order) {
        return countsByOrder.get(order - 1);
    }
}
