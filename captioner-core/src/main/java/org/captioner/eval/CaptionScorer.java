package org.captioner.eval;

import java.util.List;

/** One metric of the COCO caption evaluation toolkit, scoring a whole evaluation set at once. */
public interface CaptionScorer {

    /** Scores every item; per-image arrays are indexed like {@code items}. */
    MetricScores score(List<ScoringItem> items);
}
