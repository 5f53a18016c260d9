package org.captioner.eval;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU-1..4 as the toolkit's {@code bleu_scorer.py} computes it with {@code option='closest'}: clipped n-gram counts
 * summed over the corpus, the closest reference length per image (ties go to the shorter reference), and the tiny and
 * small constants that keep empty counts finite. The brevity penalty applies only when the candidate corpus is shorter
 * than the reference corpus (by the toolkit's {@code ratio < 1} test, constants included).
 * Per-image scores are the same formula applied to one image, as the toolkit's second return value.
 */
public final class BleuScorer implements CaptionScorer {
    public static final int MAX_ORDER = 4;
    /** The toolkit's constants: {@code tiny} keeps a zero match count at (almost) zero, {@code small} avoids 0/0. */
    private static final double TINY = 1e-15;
    private static final double SMALL = 1e-9;

    /** The key of BLEU with n-grams up to {@code order}, as the toolkit names it. */
    public static String key(int order) {
        return "Bleu_" + order;
    }

    @Override
    public MetricScores score(List<ScoringItem> items) {
        double[][] perImage = new double[MAX_ORDER][items.size()];
        long[] totalGuess = new long[MAX_ORDER];
        long[] totalCorrect = new long[MAX_ORDER];
        long totalTestLength = 0;
        long totalRefLength = 0;
        for (int i = 0; i < items.size(); i++) {
            Comparison comparison = compare(items.get(i));
            totalTestLength += comparison.testLength;
            totalRefLength += comparison.refLength;
            for (int k = 0; k < MAX_ORDER; k++) {
                totalGuess[k] += comparison.guess[k];
                totalCorrect[k] += comparison.correct[k];
            }
            double[] imageBleu = bleu(comparison.correct, comparison.guess, comparison.testLength, comparison.refLength);
            for (int k = 0; k < MAX_ORDER; k++) {
                perImage[k][i] = imageBleu[k];
            }
        }
        double[] corpusBleu = bleu(totalCorrect, totalGuess, totalTestLength, totalRefLength);
        Map<String, Double> corpus = new LinkedHashMap<>();
        Map<String, double[]> images = new LinkedHashMap<>();
        for (int k = 0; k < MAX_ORDER; k++) {
            corpus.put(key(k + 1), corpusBleu[k]);
            images.put(key(k + 1), perImage[k]);
        }
        return new MetricScores(corpus, images);
    }

    /** The toolkit's {@code cook_refs} + {@code cook_test}: lengths and clipped match counts of one image. */
    private static Comparison compare(ScoringItem item) {
        Map<String, Integer> maxRefCounts = new HashMap<>();
        int[] refLengths = new int[item.references().size()];
        for (int r = 0; r < refLengths.length; r++) {
            NGramCounts ref = NGramCounts.of(item.references().get(r), MAX_ORDER);
            refLengths[r] = ref.wordCount();
            for (int order = 1; order <= MAX_ORDER; order++) {
                ref.counts(order).forEach((ngram, count) -> maxRefCounts.merge(ngram, count, Math::max));
            }
        }
        NGramCounts test = NGramCounts.of(item.candidate(), MAX_ORDER);
        int testLength = test.wordCount();
        long[] guess = new long[MAX_ORDER];
        long[] correct = new long[MAX_ORDER];
        for (int order = 1; order <= MAX_ORDER; order++) {
            guess[order - 1] = Math.max(0, testLength - order + 1);
            for (Map.Entry<String, Integer> entry : test.counts(order).entrySet()) {
                correct[order - 1] += Math.min(maxRefCounts.getOrDefault(entry.getKey(), 0), entry.getValue());
            }
        }
        return new Comparison(testLength, closestLength(refLengths, testLength), guess, correct);
    }

    /** {@code min((abs(l - testlen), l) for l in reflen)[1]}: the closest length, the shorter one on a tie. */
    private static int closestLength(int[] refLengths, int testLength) {
        int best = refLengths[0];
        for (int length : refLengths) {
            int distance = Math.abs(length - testLength);
            int bestDistance = Math.abs(best - testLength);
            if (distance < bestDistance || (distance == bestDistance && length < best)) {
                best = length;
            }
        }
        return best;
    }

    /** Cumulative BLEU-1..4 from match counts, with the toolkit's constants and brevity penalty. */
    private static double[] bleu(long[] correct, long[] guess, long testLength, long refLength) {
        double[] result = new double[MAX_ORDER];
        double product = 1.0;
        for (int k = 0; k < MAX_ORDER; k++) {
            product *= (correct[k] + TINY) / (guess[k] + SMALL);
            result[k] = Math.pow(product, 1.0 / (k + 1));
        }
        double ratio = (testLength + TINY) / (refLength + SMALL);
        if (ratio < 1) {
            double brevityPenalty = Math.exp(1 - 1 / ratio);
            for (int k = 0; k < MAX_ORDER; k++) {
                result[k] *= brevityPenalty;
            }
        }
        return result;
    }

    private record Comparison(int testLength, int refLength, long[] guess, long[] correct) {
    }
}
