package org.captioner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agreement on real captions: for each Flickr8k dev image, reference #0 is the candidate and #1..#4 the references.
 * The expected corpus figures are the toolkit's own: pycocoevalcap (its Python 3 scorers, and its tokenizer wrapper
 * running the CoreNLP 3.4.1 jar) on the same captions written as COCO files (see docs/evaluation.md); here they are
 * also cross-checked against simple independent implementations and invariants.
 */
class Flickr8kAgreementTest {
    private static final Map<String, Double> TOOLKIT_FIGURES = Map.of(
            "Bleu_1", 0.6275129488191882,
            "Bleu_2", 0.44342979576264063,
            "Bleu_3", 0.30708129327795985,
            "Bleu_4", 0.21160098501492874,
            "ROUGE_L", 0.49173408652537204,
            "CIDEr", 0.8036617887303764);

    private static Map<String, List<String>> devCaptions;

    @BeforeAll
    static void loadDevCaptions() throws IOException {
        String shared = System.getProperty("captioner.shared");
        assumeTrue(shared != null, "system property captioner.shared not set");
        Path dir = Path.of(shared, "data", "flickr8k");
        assumeTrue(Files.isRegularFile(dir.resolve("Flickr8k.token.txt")), "Flickr8k not available under " + dir);
        Set<String> dev = new HashSet<>(Files.readAllLines(dir.resolve("Flickr_8k.devImages.txt")).stream()
                .map(String::strip).filter(line -> !line.isEmpty()).toList());
        devCaptions = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("Flickr8k.token.txt"))) {
            String[] fields = line.split("\t", 2);
            if (fields.length == 2) {
                String image = fields[0].substring(0, fields[0].indexOf('#'));
                if (dev.contains(image)) {
                    devCaptions.computeIfAbsent(image, key -> new ArrayList<>()).add(fields[1]);
                }
            }
        }
        assertThat(devCaptions).hasSize(1000);
    }

    @Test
    void firstCaptionAgainstTheOthersMatchesTheToolkit() {
        EvaluationResult result = CocoEvaluator.withTokenizer().evaluate(otherCaptions(), firstCaptions());

        TOOLKIT_FIGURES.forEach((key, expected) ->
                assertThat(result.corpus().get(key)).as(key).isCloseTo(expected, within(expected * 1e-12)));
        assertThat(result.perImage()).hasSize(1000);
    }

    @Test
    void bleuAndRougeAgreeWithStraightforwardReimplementations() {
        Map<String, List<String>> references = tokenized(otherCaptions());
        Map<String, String> candidates = new LinkedHashMap<>();
        firstCaptions().forEach((image, caption) -> candidates.put(image, PtbTokenizer.normalizeCaption(caption)));
        EvaluationResult result = CocoEvaluator.withoutTokenizer().evaluate(references, candidates);

        double[] simpleBleu = simpleCorpusBleu(references, candidates);
        for (int n = 1; n <= 4; n++) {
            assertThat(result.corpus().get("Bleu_" + n)).as("Bleu_" + n).isCloseTo(simpleBleu[n - 1], within(1e-9));
        }
        double rougeSum = 0;
        for (String image : references.keySet()) {
            double rouge = simpleRougeL(candidates.get(image), references.get(image));
            assertThat(result.perImage().get(image).get("ROUGE_L")).as(image).isCloseTo(rouge, within(1e-15));
            rougeSum += rouge;
        }
        assertThat(result.corpus().get("ROUGE_L")).isCloseTo(rougeSum / references.size(), within(1e-12));
    }

    @Test
    void aCandidateAmongItsReferencesScoresFullBleuAndRouge() {
        EvaluationResult result = CocoEvaluator.withTokenizer().evaluate(devCaptions, firstCaptions());

        for (String key : List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L")) {
            assertThat(result.corpus().get(key)).as(key).isCloseTo(1.0, within(1e-9));
        }
        // CIDEr-D is a consensus measure: an exact copy of one of five references scores well above the
        // held-out setting, but not a fixed maximum.
        assertThat(result.corpus().get("CIDEr")).isGreaterThan(TOOLKIT_FIGURES.get("CIDEr"));
    }

    @Test
    void scoresDoNotDependOnImageOrder() {
        Map<String, List<String>> reversed = new LinkedHashMap<>();
        List<String> images = new ArrayList<>(otherCaptions().keySet());
        Collections.reverse(images);
        images.forEach(image -> reversed.put(image, otherCaptions().get(image)));
        EvaluationResult forward = CocoEvaluator.withTokenizer().evaluate(otherCaptions(), firstCaptions());
        EvaluationResult backward = CocoEvaluator.withTokenizer().evaluate(reversed, firstCaptions());

        assertThat(backward.perImage()).isEqualTo(forward.perImage());
        forward.corpus().forEach((key, value) ->
                assertThat(backward.corpus().get(key)).as(key).isCloseTo(value, within(1e-12)));
    }

    private static Map<String, String> firstCaptions() {
        Map<String, String> first = new LinkedHashMap<>();
        devCaptions.forEach((image, captions) -> first.put(image, captions.get(0)));
        return first;
    }

    private static Map<String, List<String>> otherCaptions() {
        Map<String, List<String>> others = new LinkedHashMap<>();
        devCaptions.forEach((image, captions) -> others.put(image, captions.subList(1, captions.size())));
        return others;
    }

    private static Map<String, List<String>> tokenized(Map<String, List<String>> captions) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        captions.forEach((image, list) -> result.put(image, list.stream().map(PtbTokenizer::normalizeCaption).toList()));
        return result;
    }

    /** Textbook corpus BLEU (clipped precision, closest reference length, shorter on ties), no smoothing constants. */
    private static double[] simpleCorpusBleu(Map<String, List<String>> references, Map<String, String> candidates) {
        long[] matches = new long[4];
        long[] totals = new long[4];
        long candidateLength = 0;
        long referenceLength = 0;
        for (String image : references.keySet()) {
            List<String> candidate = List.of(candidates.get(image).split(" "));
            candidateLength += candidate.size();
            int closest = Integer.MAX_VALUE;
            for (String reference : references.get(image)) {
                int length = reference.split(" ").length;
                int distance = Math.abs(length - candidate.size());
                int bestDistance = Math.abs(closest - candidate.size());
                if (closest == Integer.MAX_VALUE || distance < bestDistance || (distance == bestDistance && length < closest)) {
                    closest = length;
                }
            }
            referenceLength += closest;
            for (int n = 1; n <= 4; n++) {
                Map<List<String>, Integer> candidateCounts = ngrams(candidate, n);
                Map<List<String>, Integer> maxReference = new HashMap<>();
                for (String reference : references.get(image)) {
                    ngrams(List.of(reference.split(" ")), n).forEach((gram, count) -> maxReference.merge(gram, count, Math::max));
                }
                for (Map.Entry<List<String>, Integer> entry : candidateCounts.entrySet()) {
                    matches[n - 1] += Math.min(entry.getValue(), maxReference.getOrDefault(entry.getKey(), 0));
                    totals[n - 1] += entry.getValue();
                }
            }
        }
        double brevity = candidateLength < referenceLength ? Math.exp(1 - (double) referenceLength / candidateLength) : 1;
        double[] bleu = new double[4];
        double logSum = 0;
        for (int n = 1; n <= 4; n++) {
            logSum += Math.log((double) matches[n - 1] / totals[n - 1]);
            bleu[n - 1] = brevity * Math.exp(logSum / n);
        }
        return bleu;
    }

    private static Map<List<String>, Integer> ngrams(List<String> words, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= words.size(); i++) {
            counts.merge(words.subList(i, i + n), 1, Integer::sum);
        }
        return counts;
    }

    /** ROUGE-L by the textbook definition with a full LCS table. */
    private static double simpleRougeL(String candidate, List<String> references) {
        String[] c = candidate.split(" ", -1);
        double precision = 0;
        double recall = 0;
        for (String reference : references) {
            String[] r = reference.split(" ", -1);
            int[][] table = new int[r.length + 1][c.length + 1];
            for (int i = 1; i <= r.length; i++) {
                for (int j = 1; j <= c.length; j++) {
                    table[i][j] = r[i - 1].equals(c[j - 1]) ? table[i - 1][j - 1] + 1
                            : Math.max(table[i - 1][j], table[i][j - 1]);
                }
            }
            precision = Math.max(precision, (double) table[r.length][c.length] / c.length);
            recall = Math.max(recall, (double) table[r.length][c.length] / r.length);
        }
        return precision == 0 || recall == 0 ? 0 : 2.44 * precision * recall / (recall + 1.44 * precision);
    }
}
