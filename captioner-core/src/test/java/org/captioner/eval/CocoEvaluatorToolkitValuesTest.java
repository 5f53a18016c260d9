package org.captioner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The toolkit's published scorer-only example, reproduced through the public API. */
class CocoEvaluatorToolkitValuesTest {

    private static final Map<String, List<String>> REFERENCES =
            Map.of("1", List.of("this is a test", "this is also a test"));
    private static final Map<String, String> CANDIDATES = Map.of("1", "this is a good test");

    @Test
    void reproducesThePublishedScorerValues() {
        EvaluationResult result = CocoEvaluator.withoutTokenizer().evaluate(REFERENCES, CANDIDATES);

        Map<String, Double> corpus = result.corpus();
        // The toolkit's published figures (as printed, 6-7 significant digits).
        assertThat(corpus.get("Bleu_1")).isCloseTo(0.799999, within(1e-6));
        assertThat(corpus.get("Bleu_2")).isCloseTo(0.632455, within(1e-6));
        assertThat(corpus.get("Bleu_3")).isCloseTo(0.5108729, within(1e-7));
        assertThat(corpus.get("Bleu_4")).isCloseTo(0.0000903602, within(1e-10));
        assertThat(corpus.get("ROUGE_L")).isCloseTo(0.9070631, within(1e-7));
        // The same figures derived by hand: 4/5 unigrams, 2/4 bigrams, 1/3 trigrams, 0/2 four-grams match (the
        // toolkit's tiny = 1e-15 stands in for 0); the closest reference has 5 words, so no brevity penalty beyond
        // the constants' 1e-10. ROUGE-L: best precision 4/5, best recall 4/4, beta 1.2.
        assertRelative(corpus.get("Bleu_1"), 4.0 / 5);
        assertRelative(corpus.get("Bleu_2"), Math.sqrt(4.0 / 5 * 2 / 4));
        assertRelative(corpus.get("Bleu_3"), Math.cbrt(4.0 / 5 * 2 / 4 * 1 / 3));
        assertRelative(corpus.get("Bleu_4"), Math.pow(4.0 / 5 * 2 / 4 * 1 / 3 * 1e-15 / 2, 0.25));
        assertRelative(corpus.get("ROUGE_L"), (1 + 1.44) * 0.8 * 1.0 / (1.0 + 1.44 * 0.8));
        // One image: every n-gram's document frequency equals the image count, so every idf weight is 0.
        assertThat(corpus.get("CIDEr")).isEqualTo(0.0);
        assertThat(corpus).containsOnlyKeys(CocoEvaluator.METRIC_KEYS).doesNotContainKey("METEOR");
    }

    @Test
    void perImageScoresOfAOneImageCorpusEqualTheCorpusScores() {
        EvaluationResult result = CocoEvaluator.withoutTokenizer().evaluate(REFERENCES, CANDIDATES);

        assertThat(result.perImage()).containsOnlyKeys("1");
        result.corpus().forEach((key, value) ->
                assertThat(result.perImage().get("1").get(key)).as(key).isCloseTo(value, within(1e-15)));
    }

    @Test
    void tokenizerDoesNotChangeAlreadyCleanLowerCaseCaptions() {
        assertThat(CocoEvaluator.withTokenizer().evaluate(REFERENCES, CANDIDATES))
                .isEqualTo(CocoEvaluator.withoutTokenizer().evaluate(REFERENCES, CANDIDATES));
    }

    @Test
    void tokenizerMakesCaseAndPunctuationIrrelevant() {
        Map<String, String> shouting = Map.of("1", "This is a GOOD test!");
        assertThat(CocoEvaluator.withTokenizer().evaluate(REFERENCES, shouting).corpus())
                .isEqualTo(CocoEvaluator.withoutTokenizer().evaluate(REFERENCES, CANDIDATES).corpus());
    }

    @Test
    void rejectsCandidatesThatDoNotMatchTheReferences() {
        assertThatThrownBy(() -> CocoEvaluator.withoutTokenizer().evaluate(REFERENCES, Map.of("2", "a test")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no candidate for [1]")
                .hasMessageContaining("no references for [2]");
    }

    private static void assertRelative(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * 1e-9));
    }
}
