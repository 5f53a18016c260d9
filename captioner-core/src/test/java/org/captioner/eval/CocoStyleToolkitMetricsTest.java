package org.captioner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The metrics of the full pipeline on COCO-style captions (capitals, quotes, abbreviations, times, slashes...) equal
 * those of the toolkit's own tokenization (CoreNLP 3.4.1, test scope) followed by the scorers.
 */
class CocoStyleToolkitMetricsTest {

    @Test
    void metricsEqualThoseOnTheToolkitsTokenization() {
        List<String> sentences = PtbTokenizerToolkitAgreementTest.PUNCTUATION_HEAVY.stream()
                .filter(sentence -> !sentence.isBlank()).toList();
        Map<String, List<String>> references = new LinkedHashMap<>();
        Map<String, String> candidates = new LinkedHashMap<>();
        int count = sentences.size();
        for (int i = 0; i < count; i++) {
            String image = String.valueOf(100 + i);
            references.put(image, List.of(sentences.get(i), sentences.get((i + 1) % count), sentences.get((i + 7) % count)));
            // A candidate sharing words with a reference without being one: its first half, another's second half.
            String own = sentences.get(i);
            String other = sentences.get((i + 3) % count);
            candidates.put(image, own.substring(0, own.length() / 2) + other.substring(other.length() / 2));
        }

        EvaluationResult ours = CocoEvaluator.withTokenizer().evaluate(references, candidates);
        EvaluationResult toolkit = CocoEvaluator.withoutTokenizer().evaluate(toolkitTokenized(references),
                toolkitTokenizedCandidates(candidates));

        assertThat(ours.corpus().get("CIDEr")).isGreaterThan(0.1);
        toolkit.corpus().forEach((key, expected) ->
                assertThat(ours.corpus().get(key)).as(key).isCloseTo(expected, within(1e-6)));
        toolkit.perImage().forEach((image, scores) -> scores.forEach((key, expected) ->
                assertThat(ours.perImage().get(image).get(key)).as(image + " " + key).isCloseTo(expected, within(1e-6))));
    }

    /** The toolkit tokenizes all references in one run and all candidates in another. */
    private static Map<String, List<String>> toolkitTokenized(Map<String, List<String>> references) {
        List<String> flat = references.values().stream().flatMap(List::stream).toList();
        List<String> tokenized = ToolkitTokenizer.normalize(flat);
        Map<String, List<String>> result = new LinkedHashMap<>();
        int next = 0;
        for (Map.Entry<String, List<String>> entry : references.entrySet()) {
            result.put(entry.getKey(), new ArrayList<>(tokenized.subList(next, next + entry.getValue().size())));
            next += entry.getValue().size();
        }
        return result;
    }

    private static Map<String, String> toolkitTokenizedCandidates(Map<String, String> candidates) {
        Map<String, List<String>> asLists = new LinkedHashMap<>();
        candidates.forEach((image, caption) -> asLists.put(image, List.of(caption)));
        Map<String, String> result = new LinkedHashMap<>();
        toolkitTokenized(asLists).forEach((image, captions) -> result.put(image, captions.get(0)));
        return result;
    }
}
