package org.captioner.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CIDEr-D against a fixed set of images and their references: the document frequencies come from all of those
 * references, and each image's reference tf-idf vectors are computed once. {@link CiderDScorer} builds one per
 * evaluation (the toolkit takes document frequencies from the evaluated set); self-critical training builds one of
 * the training references and scores thousands of sampled captions against it.
 */
public final class CiderDCorpus {
    static final int MAX_ORDER = 4;
    private static final double SIGMA = 6.0;
    /** The toolkit's length is accumulated for this 0-based order index (bigrams), not for unigrams. */
    private static final int LENGTH_ORDER_INDEX = 1;

    private final Map<String, Integer> documentFrequency;
    private final double logImageCount;
    private final List<List<TfIdf>> references;
    private final Map<String, Integer> indexOfImage;

    CiderDCorpus(List<List<NGramCounts>> references) {
        this(references, Map.of());
    }

    private CiderDCorpus(List<List<NGramCounts>> references, Map<String, Integer> indexOfImage) {
        this.documentFrequency = documentFrequency(references);
        this.logImageCount = Math.log(references.size());
        this.references = references.stream()
                .map(image -> image.stream().map(this::tfIdf).toList()).toList();
        this.indexOfImage = indexOfImage;
    }

    /**
     * @param referencesByImage image id -> its reference sentences, words separated by white space (already
     *                          tokenized: they are not run through the PTB tokenizer)
     */
    public static CiderDCorpus of(Map<String, List<String>> referencesByImage) {
        List<List<NGramCounts>> references = new ArrayList<>(referencesByImage.size());
        Map<String, Integer> index = new HashMap<>();
        referencesByImage.forEach((image, sentences) -> {
            index.put(image, references.size());
            references.add(sentences.stream().map(sentence -> NGramCounts.of(sentence, MAX_ORDER)).toList());
        });
        return new CiderDCorpus(references, Map.copyOf(index));
    }

    /** The CIDEr-D of {@code candidate} (tokenized as the references are) for image {@code imageId}. */
    public double score(String imageId, String candidate) {
        Integer image = indexOfImage.get(imageId);
        if (image == null) {
            throw new IllegalArgumentException("image " + imageId + " has no references in this corpus");
        }
        return score(image, NGramCounts.of(candidate, MAX_ORDER));
    }

    /**
     * Image {@code image}'s score: the mean over n of the summed similarities to its references, divided by the
     * number of references, times 10.
     */
    double score(int image, NGramCounts candidateCounts) {
        TfIdf candidate = tfIdf(candidateCounts);
        double[] similarity = new double[MAX_ORDER];
        List<TfIdf> imageReferences = references.get(image);
        for (TfIdf reference : imageReferences) {
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
        return meanOverOrders / imageReferences.size() * 10.0;
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
    private TfIdf tfIdf(NGramCounts counts) {
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
