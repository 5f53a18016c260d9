package org.captioner.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.captioner.data.Split;
import org.captioner.eval.CaptionFiles;
import org.captioner.eval.CocoEvaluator;
import org.captioner.eval.EvaluationResult;
import org.captioner.eval.EvaluationSet;
import org.captioner.eval.References;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code captioner score}: the COCO caption metrics of a candidates file against a references file. */
@Command(name = "score",
        mixinStandardHelpOptions = true,
        description = {"Scores candidate captions against references with the COCO caption metrics",
                "(BLEU-1..4, ROUGE-L, CIDEr-D; no METEOR: see docs/evaluation.md)."})
public final class ScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-r", "--references"}, required = true, paramLabel = "FILE",
            description = "References: COCO annotations, Karpathy split or {image_id: [captions]} JSON.")
    Path references;

    @Option(names = {"-c", "--candidates"}, required = true, paramLabel = "FILE",
            description = {"Candidates in COCO results format: [{\"image_id\": ..., \"caption\": ...}].",
                    "An image_id may be the image's file name or, for COCO and Karpathy references, its COCO id."})
    Path candidates;

    @Option(names = "--split", paramLabel = "SPLIT",
            description = "With a Karpathy split file: score only this split (train, val/dev, test).")
    String split;

    @Option(names = "--json", description = "Print the corpus scores as one JSON object.")
    boolean json;

    @Option(names = "--skip-unknown", description = "Leave out candidates for images without references.")
    boolean skipUnknown;

    @Option(names = "--skip-missing", description = "Leave out images that have no candidate.")
    boolean skipMissing;

    @Option(names = "--no-tokenize",
            description = "Compare captions as given (space-separated words) instead of PTB-tokenizing them first.")
    boolean noTokenize;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Split> chosenSplit = split == null ? Optional.empty() : Optional.of(Split.parse(split));
        References read = CaptionFiles.readReferences(references, chosenSplit);
        EvaluationSet set = EvaluationSet.pair(read.captions(), references,
                read.byName(CaptionFiles.readCandidates(candidates), candidates), candidates, skipUnknown, skipMissing);
        set.skipped().forEach(err::println);
        err.flush();

        CocoEvaluator evaluator = noTokenize ? CocoEvaluator.withoutTokenizer() : CocoEvaluator.withTokenizer();
        EvaluationResult result = evaluator.evaluate(set.references(), set.candidates());
        if (json) {
            out.println(toJson(result.corpus()));
        } else {
            printTable(out, result, set);
        }
        out.flush();
        return 0;
    }

    private void printTable(PrintWriter out, EvaluationResult result, EvaluationSet set) {
        out.printf("%d images scored (%s, %s)%n", set.references().size(),
                noTokenize ? "captions as given" : "PTB-tokenized", set.skipped().isEmpty()
                        ? "none skipped" : set.skipped().size() + " skipped");
        result.corpus().forEach((key, value) -> out.printf("%-8s %.6f%n", key, value));
        out.printf("%-8s %s%n", "METEOR", "n/a (not implemented: see docs/evaluation.md)");
    }

    private static String toJson(Map<String, Double> corpus) {
        try {
            return new ObjectMapper().writeValueAsString(corpus);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("scores are plain numbers and always serialize", e);
        }
    }
}
