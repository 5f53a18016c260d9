package org.captioner.train;

import org.captioner.eval.SplitEvaluation;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The dev metric training selects and stops on (higher is better): given a captioner of the dev images (the model
 * being trained, with the selection decoding), a score.
 */
@FunctionalInterface
public interface DevScorer {
    double score(SplitEvaluation.ImageCaptioner captioner) throws IOException;

    /** A corpus metric of the dev split against its raw reference captions, e.g. CIDEr-D: what {@code evaluate} reports. */
    static DevScorer of(SplitEvaluation dev, String metric) {
        return captioner -> dev.run(captioner).score(metric);
    }

    /**
     * Stand-in for a trainer given no text (tests, benchmarks): per image the best unigram F1 against a reference,
     * averaged.
     */
    static DevScorer unigramF1(Map<String, List<String>> references) {
        return captioner -> captioner.caption(List.copyOf(references.keySet())).entrySet().stream()
                .mapToDouble(c -> references.get(c.getKey()).stream()
                        .mapToDouble(r -> UnigramOverlap.f1(c.getValue(), r)).max().orElse(0))
                .average().orElse(0);
    }
}
