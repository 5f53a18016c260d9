package org.captioner.cli;

import org.captioner.data.Dataset;
import org.captioner.data.DatasetLoader;
import org.captioner.data.LoadProblem;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The options every command that reads a caption file shares. */
final class DatasetOptions implements CheckedOptions {
    private static final int PROBLEMS_SHOWN = 20;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "Caption file: Flickr8k token.txt, CSV with image,caption header (e.g. Kaggle captions.txt), JSONL, COCO or Karpathy JSON.")
    Path captions;

    @Option(names = "--images", paramLabel = "DIR", description = "Image folder (default: images/ beside the caption file).")
    Path images;

    @Option(names = "--splits", paramLabel = "DIR",
            description = "Folder with official split lists *trainImages.txt/*devImages.txt/*testImages.txt (default: beside the caption file).")
    Path splits;

    @Within(min = 0)
    @Option(names = "--limit", defaultValue = "0", description = "Use a seeded random sample of this many images, 0 or more (0 = all).")
    int limit;

    @Within(min = 0)
    @Option(names = "--min-words", defaultValue = "0", description = "Drop captions with fewer words, 0 or more.")
    int minWords;

    @Within(min = 0)
    @Option(names = "--max-words", defaultValue = "0", description = "Drop captions with more words, 0 or more (0 = no limit).")
    int maxWords;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random split and of --limit.")
    long seed;

    @Override
    public void check() {
        if (maxWords > 0 && maxWords < minWords) {
            throw new IllegalArgumentException("--max-words (" + maxWords + ") is less than --min-words (" + minWords
                    + "): no caption would be kept");
        }
    }

    DatasetLoader.Options loaderOptions(boolean requireImages) {
        return new DatasetLoader.Options(images, splits, requireImages, minWords, maxWords, limit, seed, 0.1, 0.1);
    }

    /** Loads the dataset and reports what was skipped on {@code err}. */
    Dataset load(boolean requireImages, PrintWriter err) throws IOException {
        Dataset dataset = DatasetLoader.load(captions, loaderOptions(requireImages));
        report(dataset.problems(), err);
        return dataset;
    }

    static void report(List<LoadProblem> problems, PrintWriter err) {
        if (problems.isEmpty()) {
            return;
        }
        err.println(problems.size() + " problem(s) while loading; skipped:");
        problems.stream().limit(PROBLEMS_SHOWN).forEach(problem -> err.println("  " + problem));
        if (problems.size() > PROBLEMS_SHOWN) {
            err.println("  ... and " + (problems.size() - PROBLEMS_SHOWN) + " more");
        }
        err.flush();
    }
}
