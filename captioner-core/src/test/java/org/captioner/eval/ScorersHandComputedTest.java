package org.captioner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Small cases worked out by hand; comments give the arithmetic. */
class ScorersHandComputedTest {
    /** The toolkit's tiny/small constants move results by about 1e-10 relative. */
    private static final double CONSTANTS_TOLERANCE = 1e-9;

    @Test
    void bleuClipsEachNGramToItsMaximumReferenceCount() {
        // "the" x4 against a reference with one "the": 1 of 4 unigrams count. Closest ref length 2 < 4: no penalty.
        MetricScores scores = new BleuScorer().score(List.of(item("1", "the the the the", "the cat")));
        assertThat(scores.corpus().get("Bleu_1")).isCloseTo(0.25, within(CONSTANTS_TOLERANCE));
    }

    @Test
    void bleuAppliesTheBrevityPenaltyAgainstTheClosestReference() {
        // Candidate 2 words; references of 6 and 3 words: closest is 3. All unigrams match: BP = exp(1 - 3/2).
        MetricScores scores = new BleuScorer().score(List.of(item("1", "a cat", "a cat sat on the mat", "a cat sat")));
        assertThat(scores.corpus().get("Bleu_1")).isCloseTo(Math.exp(-0.5), within(CONSTANTS_TOLERANCE));
    }

    @Test
    void bleuBreaksClosestLengthTiesTowardsTheShorterReference() {
        // 4 words between references of 3 and 5 words: the toolkit takes 3, so no brevity penalty (5 would give exp(-0.25)).
        MetricScores scores = new BleuScorer().score(List.of(item("1", "a b c d", "a b c", "a b c d e")));
        assertThat(scores.corpus().get("Bleu_1")).isCloseTo(1.0, within(CONSTANTS_TOLERANCE));
    }

    @Test
    void bleuIsCorpusLevelWhilePerImageScoresPenalizeEachImage() {
        // Image 1: 2 of 2 unigrams match, ref length 4 -> its own BP exp(1 - 4/2) = exp(-1).
        // Image 2: 4 of 6 unigrams match, ref length 4. Corpus: 6/8 unigrams, lengths 8 vs 8 -> no penalty.
        MetricScores scores = new BleuScorer().score(List.of(
                item("1", "a b", "a b c d"), item("2", "x y z w v u", "x y z w")));
        assertThat(scores.corpus().get("Bleu_1")).isCloseTo(0.75, within(CONSTANTS_TOLERANCE));
        assertThat(scores.perImage().get("Bleu_1")[0]).isCloseTo(Math.exp(-1), within(CONSTANTS_TOLERANCE));
        assertThat(scores.perImage().get("Bleu_1")[1]).isCloseTo(4.0 / 6, within(CONSTANTS_TOLERANCE));
    }

    @Test
    void rougeLUsesTheLongestCommonSubsequenceWithBeta1point2() {
        // LCS(a b c d, a x c d e) = "a c d" = 3: P = 3/4, R = 3/5.
        double p = 0.75;
        double r = 0.6;
        MetricScores scores = new RougeLScorer().score(List.of(item("1", "a b c d", "a x c d e")));
        assertThat(scores.corpus().get("ROUGE_L")).isCloseTo(2.44 * p * r / (r + 1.44 * p), within(1e-15));
    }

    @Test
    void rougeLMaximizesPrecisionAndRecallSeparatelyOverReferences() {
        // Ref 1 gives P = 2/4, R = 1; ref 2 gives P = 1, R = 4/8. The toolkit takes max P = 1 and max R = 1.
        MetricScores scores = new RougeLScorer().score(List.of(item("1", "a b c d", "a b", "a b c d e f g h")));
        assertThat(scores.corpus().get("ROUGE_L")).isEqualTo(1.0);
    }

    @Test
    void rougeLCorpusScoreIsTheMeanOfImageScores() {
        MetricScores scores = new RougeLScorer().score(List.of(item("1", "a b", "a b"), item("2", "c", "d")));
        assertThat(scores.perImage().get("ROUGE_L")).containsExactly(1.0, 0.0);
        assertThat(scores.corpus().get("ROUGE_L")).isEqualTo(0.5);
    }

    @Test
    void ciderDOnTwoImagesMatchesTheHandCalculation() {
        // Two images, so every n-gram seen in one image's references (or nowhere) weighs log 2 - log 1 = log 2:
        // all weights are equal and cancel in the cosines.
        // Image 1: candidate = reference "a b": cosine 1 for unigrams and bigrams, 0 for 3- and 4-grams (empty
        //   vectors are not divided by their zero norms); equal bigram counts, so no length penalty:
        //   (1 + 1 + 0 + 0) / 4 / 1 reference * 10 = 5.
        // Image 2: "c e" against "c d": unigram cosine 1 / (sqrt 2 * sqrt 2) = 1/2, no common bigram:
        //   (0.5 + 0 + 0 + 0) / 4 * 10 = 1.25. Corpus: (5 + 1.25) / 2 = 3.125.
        MetricScores scores = new CiderDScorer().score(List.of(item("1", "a b", "a b"), item("2", "c e", "c d")));
        assertThat(scores.perImage().get("CIDEr")).containsExactly(new double[] {5.0, 1.25}, within(1e-12));
        assertThat(scores.corpus().get("CIDEr")).isCloseTo(3.125, within(1e-12));
    }

    @Test
    void ciderDClipsRepeatedNGramsAndPenalizesLengthDifferences() {
        // Image 1 candidate "a b a b" against "a b" (weights all log 2 = w, as above):
        //   unigrams: hyp (a 2w, b 2w), ref (a w, b w): sum min(hyp, ref) * ref = 2w^2; norms sqrt(8) w * sqrt(2) w
        //   = 4w^2 -> 1/2. Bigrams: hyp ("a b" 2w, "b a" w), ref ("a b" w): w^2 / (sqrt(5) w * w) = 1/sqrt(5).
        //   Trigrams/4-grams: the reference has none -> 0. Lengths (bigram counts) 3 vs 1: penalty exp(-2^2 / 72).
        // Image 2 is only there to make the document frequencies non-trivial.
        MetricScores scores = new CiderDScorer().score(List.of(item("1", "a b a b", "a b"), item("2", "c", "c")));
        double expected = (0.5 + 1 / Math.sqrt(5)) * Math.exp(-4.0 / 72) / 4 * 10;
        assertThat(scores.perImage().get("CIDEr")[0]).isCloseTo(expected, within(1e-12));
    }

    @Test
    void ciderDGivesZeroWeightToNGramsInEveryImagesReferences() {
        // "a" is in both images' references: idf log 2 - log 2 = 0, so only the other words count.
        MetricScores withCommonWord = new CiderDScorer().score(List.of(item("1", "a x", "a x"), item("2", "a y", "a z")));
        // Image 2: unigram vectors hyp (a 0, y w), ref (a 0, z w): no overlap with weight -> 0; no common bigram.
        assertThat(withCommonWord.perImage().get("CIDEr")[1]).isEqualTo(0.0);
        // Image 1: unigram cosine over the x dimension only = 1, bigram cosine 1 -> (1 + 1) / 4 * 10 = 5.
        assertThat(withCommonWord.perImage().get("CIDEr")[0]).isCloseTo(5.0, within(1e-12));
    }

    private static ScoringItem item(String id, String candidate, String... references) {
        return new ScoringItem(id, candidate, List.of(references));
    }
}
