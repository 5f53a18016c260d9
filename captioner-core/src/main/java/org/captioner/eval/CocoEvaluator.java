package org.captioner.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The COCO caption evaluation (coco-caption / pycocoevalcap {@code COCOEvalCap}) in Java: tokenizes references and
 * candidates with {@link PtbTokenizer#normalizeCaption}, then runs BLEU-1..4, ROUGE-L and CIDEr-D.
 * METEOR is deliberately absent (it needs resources this project does not have; see docs/evaluation.md).
 */
public final class CocoEvaluator {
    /** The keys of {@link EvaluationResult#corpus()}, in report order. */
    public static final List<String> METRIC_KEYS = List.of(
            BleuScorer.key(1), BleuScorer.key(2), BleuScorer.key(3), BleuScorer.key(4),
            RougeLScorer.KEY, CiderDScorer.KEY);

    private final boolean tokenize;
    private final List<CaptionScorer> scorers = List.of(new BleuScorer(), new RougeLScorer(), new CiderDScorer());

    private CocoEvaluator(boolean tokenize) {
        this.tokenize = tokenize;
    }

    /** The toolkit's full pipeline: PTB tokenization and punctuation removal, then the scorers. */
    public static CocoEvaluator withTokenizer() {
        return new CocoEvaluator(true);
    }

    /**
     * Scorers only, on captions taken as already tokenized (words separated by spaces): what the toolkit's scorer
     * classes compute when called directly, as in their published test values.
     */
    public static CocoEvaluator withoutTokenizer() {
        return new CocoEvaluator(false);
    }

    /**
     * Scores one candidate per image against that image's references.
     *
     * @param references image id -> its reference captions (at least one each)
     * @param candidates image id -> the candidate caption; must name exactly the images of {@code references}
     * @throws IllegalArgumentException when the image ids differ or an image has no reference
     */
    public EvaluationResult evaluate(Map<String, List<String>> references, Map<String, String> candidates) {
        checkSameImages(references, candidates);
        List<ScoringItem> items = new ArrayList<>(references.size());
        references.forEach((imageId, captions) -> items.add(new ScoringItem(imageId,
                prepare(candidates.get(imageId)), captions.stream().map(this::prepare).toList())));

        Map<String, Double> corpus = new HashMap<>();
        Map<String, double[]> perImageByKey = new HashMap<>();
        for (CaptionScorer scorer : scorers) {
            MetricScores scores = scorer.score(items);
            corpus.putAll(scores.corpus());
            perImageByKey.putAll(scores.perImage());
        }
        Map<String, Double> orderedCorpus = new LinkedHashMap<>();
        METRIC_KEYS.forEach(key -> orderedCorpus.put(key, corpus.get(key)));
        Map<String, Map<String, Double>> perImage = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Map<String, Double> imageScores = new LinkedHashMap<>();
            for (String key : METRIC_KEYS) {
                imageScores.put(key, perImageByKey.get(key)[i]);
            }
            perImage.put(items.get(i).imageId(), imageScores);
        }
        return new EvaluationResult(orderedCorpus, perImage);
    }

    private String prepare(String caption) {
        return tokenize ? PtbTokenizer.normalizeCaption(caption) : caption;
    }

    private static void checkSameImages(Map<String, List<String>> references, Map<String, String> candidates) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("no image to evaluate");
        }
        Set<String> withoutCandidate = new TreeSet<>(references.keySet());
        withoutCandidate.removeAll(candidates.keySet());
        Set<String> withoutReferences = new TreeSet<>(candidates.keySet());
        withoutReferences.removeAll(references.keySet());
        if (!withoutCandidate.isEmpty() || !withoutReferences.isEmpty()) {
            throw new IllegalArgumentException("references and candidates must cover the same images; no candidate for "
                    + withoutCandidate + ", no references for " + withoutReferences);
        }
    }
}
