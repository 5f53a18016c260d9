package org.captioner.cli;

import org.captioner.data.Dataset;
import org.captioner.data.ImageCaptions;
import org.captioner.data.Split;
import org.captioner.text.TextNormalizer;
import org.captioner.text.Vocabulary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** Summarizes a caption file: format, splits, caption lengths, vocabulary size, and what was skipped. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Load a caption file and report its images, splits, caption lengths, vocabulary and problems.")
final class DatasetCommand implements Callable<Integer> {
    @Mixin
    DatasetOptions data;

    @Option(names = "--require-images", description = "Skip (and report) images whose file is missing.")
    boolean requireImages;

    @Within(min = 1)
    @Option(names = "--vocab-min-count", defaultValue = "5", description = "Minimum count of a vocabulary word, 1 or more. Default: ${DEFAULT-VALUE}.")
    int minCount;

    @Option(names = "--vocab-out", paramLabel = "FILE", description = "Also write the training-split vocabulary here.")
    Path vocabularyOut;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Dataset dataset = data.load(requireImages, spec.commandLine().getErr());
        out.printf("%s (%s)%n", dataset.source(), dataset.format());
        out.printf("images: %d, captions: %d%n", dataset.images().size(), dataset.captionCount());
        for (Split split : Split.values()) {
            out.printf("  %-8s %6d images%n", split.label(), dataset.countBySplit().getOrDefault(split, 0L));
        }
        TextNormalizer normalizer = TextNormalizer.defaults();
        List<List<String>> train = dataset.split(Split.TRAIN).stream()
                .flatMap(image -> image.captions().stream()).map(normalizer::tokens).toList();
        int[] lengths = dataset.images().stream().map(ImageCaptions::captions).flatMap(List::stream)
                .mapToInt(caption -> normalizer.tokens(caption).size()).sorted().toArray();
        if (lengths.length > 0) {
            out.printf("words per caption: mean %.1f, median %d, 95th percentile %d, max %d%n",
                    Arrays.stream(lengths).average().orElse(0), lengths[lengths.length / 2],
                    lengths[(int) (lengths.length * 0.95)], lengths[lengths.length - 1]);
        }
        Vocabulary vocabulary = Vocabulary.build(train, 0, minCount);
        out.printf("vocabulary of the train split (min count %d): %d tokens incl. 4 special%n", minCount, vocabulary.size());
        if (vocabularyOut != null) {
            vocabulary.save(vocabularyOut);
            out.println("wrote " + vocabularyOut);
        }
        return 0;
    }
}
