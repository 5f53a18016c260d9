package org.captioner.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ROUGE-L as the toolkit's {@code rouge.py}: longest common subsequence of words, precision and recall each maximized
 * over the references (separately), F-measure with beta = 1.2, corpus score = mean of the per-image scores.
 * Words come from splitting on single spaces, as the toolkit does ({@code split(" ")}, empty words included).
 */
public final class RougeLScorer implements CaptionScorer {
    public static final String KEY = "ROUGE_L";
    private static final double BETA = 1.2;

    @Override
    public MetricScores score(List<ScoringItem> items) {
        double[] perImage = new double[items.size()];
        double sum = 0;
        for (int i = 0; i < items.size(); i++) {
            perImage[i] = imageScore(items.get(i));
            sum += perImage[i];
        }
        double mean = items.isEmpty() ? Double.NaN : sum / items.size();
        return new MetricScores(Map.of(KEY, mean), Map.of(KEY, perImage));
    }

    static double imageScore(ScoringItem item) {
        List<String> candidate = splitOnSpace(item.candidate());
        double bestPrecision = 0;
        double bestRecall = 0;
        for (String reference : item.references()) {
            List<String> referenceWords = splitOnSpace(reference);
            int lcs = longestCommonSubsequence(referenceWords, candidate);
            bestPrecision = Math.max(bestPrecision, lcs / (double) candidate.size());
            bestRecall = Math.max(bestRecall, lcs / (double) referenceWords.size());
        }
        if (bestPrecision == 0 || bestRecall == 0) {
            return 0.0;
        }
        double betaSquared = BETA * BETA;
        return ((1 + betaSquared) * bestPrecision * bestRecall) / (bestRecall + betaSquared * bestPrecision);
    }

    static int longestCommonSubsequence(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (String wordA : a) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = wordA.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }

    /** Python's {@code s.split(" ")}: every single space separates, so "" gives one empty word. */
    static List<String> splitOnSpace(String sentence) {
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int space = sentence.indexOf(' '); space >= 0; space = sentence.indexOf(' ', start)) {
            words.add(sentence.substring(start, space));
            start = space + 1;
        }
        words.add(sentence.substring(start));
        return words;
    }
}
