package org.captioner.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.captioner.BatchCaptioning;
import org.captioner.Captioner;
import org.captioner.data.Dataset;
import org.captioner.data.ImageCaptions;
import org.captioner.data.Split;
import org.captioner.decode.DecodingOptions;
import org.captioner.eval.EvaluationReport;
import org.captioner.eval.SplitEvaluation;
import org.captioner.image.ImageDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code captioner evaluate}: captions a split, scores it with the COCO metrics and writes a report folder. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Captions every image of a split with a model bundle and scores the captions against the references.",
                "Writes metrics.json, captions.json (COCO results format) and report.html into --out."})
final class EvaluateCommand implements Callable<Integer> {
    /** The report embeds every image it shows: 2 x 500 keeps it a page a browser opens. */
    private static final int MAX_SAMPLE = 500;

    @Mixin
    DatasetOptions data;

    @Mixin
    ModelOptions model;

    @Mixin
    DecodingFlags decoding;

    @Option(names = "--split", defaultValue = "dev", description = "Split to evaluate. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Report folder.")
    Path reportDirectory;

    @Within(min = 1, max = OptionRanges.MAX_BATCH)
    @Option(names = "--batch", defaultValue = "16",
            description = "Images captioned together, from 1 to " + OptionRanges.MAX_BATCH + ". Default: ${DEFAULT-VALUE}.")
    int batch;

    @Within(min = 0, max = MAX_SAMPLE)
    @Option(names = "--sample", defaultValue = "25",
            description = "Best and worst images shown in the report, from 0 to " + MAX_SAMPLE + " each. Default: ${DEFAULT-VALUE}.")
    int sample;

    @Option(names = "--no-progress", description = "Do not draw the progress bar.")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Dataset dataset = data.load(true, err);
        List<ImageCaptions> images = dataset.split(Split.parse(split));
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no " + split + "-split images with files in " + dataset.source());
        }
        Map<String, Path> files = images.stream().collect(Collectors.toMap(ImageCaptions::imageId, ImageCaptions::image));
        SplitEvaluation.Outcome outcome;
        DecodingOptions options;
        try (Captioner captioner = model.load();
             ProgressBar progress = progressBar(images.size())) {
            options = decoding.over(captioner.defaultOptions());
            outcome = new SplitEvaluation(images).run(BatchCaptioning.ofFiles(captioner, files::get, options, batch,
                    skipped -> err.println("evaluate: skipped " + skipped), progress::step));
        }
        EvaluationReport.write(reportDirectory, split, options, outcome, sample, new ImageDecoder()::decode);
        int captioned = outcome.captions().size();
        out.printf("%d %s images captioned in %.1f s (%.1f images/s)%n", captioned, split, outcome.seconds(),
                captioned / outcome.seconds());
        outcome.scores().corpus().forEach((key, value) -> out.printf("%-8s %.4f%n", key, value));
        out.println("report: " + reportDirectory.resolve(EvaluationReport.REPORT_FILE));
        return 0;
    }

    /** Progress on stderr; with --no-progress, nowhere. */
    private ProgressBar progressBar(int images) {
        return new ProgressBarBuilder().setTaskName("evaluate").setInitialMax(images).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(noProgress ? new PrintStream(OutputStream.nullOutputStream()) : System.err))
                .showSpeed().build();
    }
}
