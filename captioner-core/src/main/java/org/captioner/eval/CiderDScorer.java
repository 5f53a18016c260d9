package org.captioner.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CIDEr-D as pycocoevalcap's {@code cider_scorer.py} (reported under the key {@code CIDEr}), quirks included:
 * <ul>
 *   <li>n = 1..4, sigma = 6; document frequency counts, for each n-gram, the images of the evaluated set whose
 *       references contain it; idf = log(number of images) - log(max(1, df)), so a one-image set always scores 0;</li>
 *   <li>tf-idf vectors use raw counts; the hypothesis weight is clipped to the reference weight
 *       ({@code min(vec_hyp, vec_ref) * vec_ref}); a cosine is only divided by the norms when both are non-zero;</li>
 *   <li>the "length" in the Gaussian penalty is the number of bigrams (the toolkit adds term frequencies when the
 *       0-based order index is 1), i.e. words - 1 for a non-empty sentence;</li>
 *   <li>the image score is the mean over n of the summed similarities, divided by the number of references, times 10;
 *       the corpus score is the mean of the image scores.</li>
 * </ul>
 */
public final class CiderDScorer implements CaptionScorer {
    public static final String KEY = "CIDEr";
    private static final int MAX_ORDER = 4;
    private static final double SIGMA = 6.0;
    /** The toolkit's length is accumulated for this 0-based order index (bigrams), not for unigrams. */
    private static final int LENGTH_ORDER_INDEX = 1;

    @Override
    public MetricScores score(List<ScoringItem> items) {
        List<List<NGramCounts>> references = items.stream()
                .map(item -> item.references().stream().map(ref -> NGramCounts.of(ref, MAX_ORDER)).toList())
                .toList();
        Map<String, Integer> documentFrequency = documentFrequency(references);
        double logImageCount = Math.log(items.size());

        double[] perImage = new double[items.size()];
        double sum = 0;
        for (int i = 0; i < items.size(); i++) {
            TfIdf candidate = tfIdf(NGramCounts.of(items.get(i).candidate(), MAX_ORDER), documentFrequency, logImageCount);
            double[] similarity = new double[MAX_ORDER];
            for (NGramCounts referenceCounts : references.get(i)) {
                TfIdf reference = tfIdf(referenceCounts, documentFrequency, logImageCount);
                double[] pair = similarity(candidate, reference);
                for (int n = 0; n < MAX_ORDER; n++) {
                    similarity[n] += pair[n];
                }
            }
            double meanOverOrders = 0;
            for (double value : similarity) {
                meanOverOrders += value;
            }
            meanOverOrders /= MAX_ORDER;
            perImage[i] = meanOverOrders / references.get(i).size() * 10.0;
            sum += perImage[i];
        }
        double mean = items.isEmpty() ? Double.NaN : sum / items.size();
        return new MetricScores(Map.of(KEY, mean), Map.of(KEY, perImage));
    }

    /** For each n-gram, the number of images having it in at least one reference. */
    private static Map<String, Integer> documentFrequency(List<List<NGramCounts>> references) {
        Map<String, Integer> frequency = new HashMap<>();
        for (List<NGramCounts> imageReferences : references) {
            Set<String> seen = new HashSet<>();
            for (NGramCounts reference : imageReferences) {
                for (int order = 1; order <= MAX_ORDER; order++) {
                    seen.addAll(reference.counts(order).keySet());
                }
            }
            seen.forEach(ngram -> frequency.merge(ngram, 1, Integer::sum));
        }
        return frequency;
    }

    /** The toolkit's {@code counts2vec}. */
    private static TfIdf tfIdf(NGramCounts counts, Map<String, Integer> documentFrequency, double logImageCount) {
        List<Map<String, Double>> vectors = new ArrayList<>(MAX_ORDER);
        double[] norms = new double[MAX_ORDER];
        int length = 0;
        for (int n = 0; n < MAX_ORDER; n++) {
            Map<String, Double> vector = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> entry : counts.counts(n + 1).entrySet()) {
                double idfLog = Math.log(Math.max(1.0, documentFrequency.getOrDefault(entry.getKey(), 0)));
                double weight = entry.getValue() * (logImageCount - idfLog);
                vector.put(entry.getKey(), weight);
                norms[n] += weight * weight;
                if (n == LENGTH_ORDER_INDEX) {
                    length += entry.getValue();
                }
            }
            vectors.add(vector);
        }
        for (int n = 0; n < MAX_ORDER; n++) {
            norms[n] = Math.sqrt(norms[n]);
        }
        return new TfIdf(vectors, norms, length);
    }

    /** The toolkit's {@code sim}: clipped cosine per order with the Gaussian length penalty. */
    private static double[] similarity(TfIdf hypothesis, TfIdf reference) {
        double delta = hypothesis.length - reference.length;
        double penalty = Math.exp(-(delta * delta) / (2 * SIGMA * SIGMA));
        double[] value = new double[MAX_ORDER];
        for (int n = 0; n < MAX_ORDER; n++) {
            Map<String, Double> referenceVector = reference.vectors.get(n);
            for (Map.Entry<String, Double> entry : hypothesis.vectors.get(n).entrySet()) {
                double referenceWeight = referenceVector.getOrDefault(entry.getKey(), 0.0);
                value[n] += Math.min(entry.getValue(), referenceWeight) * referenceWeight;
            }
            if (hypothesis.norms[n] != 0 && reference.norms[n] != 0) {
                value[n] /= hypothesis.norms[n] * reference.norms[n];
            }
            value[n] *= penalty;
        }
        return value;
    }

    private record TfIdf(List<Map<String, Double>> vectors, double[] norms, int length) {
    }
}
