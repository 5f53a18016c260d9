package org.captioner.train;

import org.captioner.data.Dataset;
import org.captioner.data.LoadProblem;
import org.captioner.text.SpecialTokens;
import org.captioner.text.Vocabulary;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/** Refusals of training data a model cannot learn words from, each saying what was found instead. */
final class TrainingInputs {
    private static final int PROBLEMS_NAMED = 3;

    private TrainingInputs() {
    }

    /** The train split is empty: say what loading kept and skipped, not that features are missing. */
    static String noTrainCaption(Dataset dataset) {
        List<LoadProblem> problems = dataset.problems();
        String skipped = problems.isEmpty() ? "nothing skipped"
                : problems.size() + " problem(s) while loading: " + problems.stream().limit(PROBLEMS_NAMED)
                        .map(LoadProblem::toString).collect(Collectors.joining("; "))
                        + (problems.size() > PROBLEMS_NAMED ? "; ..." : "");
        return "no usable caption in " + dataset.source() + "'s train split (" + dataset.captionCount()
                + " caption(s) kept, none in the train split; " + skipped + ")";
    }

    /**
     * @throws IOException when no train caption has a word after normalization (e.g. punctuation only), or no
     *                     word is frequent enough for the vocabulary
     */
    static void requireWords(Dataset dataset, List<List<String>> trainTokens, Vocabulary vocabulary, int minCount)
            throws IOException {
        long withWords = trainTokens.stream().filter(tokens -> !tokens.isEmpty()).count();
        if (withWords == 0) {
            throw new IOException("no usable caption in " + dataset.source() + "'s train split: none of its "
                    + trainTokens.size() + " caption(s) has a word once normalized (punctuation only?)");
        }
        if (vocabulary.size() <= SpecialTokens.COUNT) {
            long distinct = trainTokens.stream().flatMap(List::stream).distinct().count();
            throw new IOException("empty vocabulary: none of the " + distinct + " distinct word(s) of " + dataset.source()
                    + "'s train split occurs at least " + minCount + " times (text.minCount); nothing to train on");
        }
    }
}
