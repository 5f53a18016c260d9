package org.captioner.eval;

import java.util.List;
import java.util.Map;

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

    @Override
    public MetricScores score(List<ScoringItem> items) {
        CiderDCorpus corpus = new CiderDCorpus(items.stream()
                .map(item -> item.references().stream().map(ref -> NGramCounts.of(ref, CiderDCorpus.MAX_ORDER)).toList())
                .toList());
        double[] perImage = new double[items.size()];
        double sum = 0;
        for (int i = 0; i < items.size(); i++) {
            perImage[i] = corpus.score(i, NGramCounts.of(items.get(i).candidate(), CiderDCorpus.MAX_ORDER));
            sum += perImage[i];
        }
        double mean = items.isEmpty() ? Double.NaN : sum / items.size();
        return new MetricScores(Map.of(KEY, mean), Map.of(KEY, perImage));
    }
}
