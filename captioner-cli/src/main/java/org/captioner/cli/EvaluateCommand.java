package org.captioner.cli;

import org.captioner.io.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.captioner.Captioner;
import org.captioner.data.Dataset;
import org.captioner.data.ImageCaptions;
import org.captioner.data.Split;
import org.captioner.decode.DecodeOptions;
import org.captioner.eval.CiderDScorer;
import org.captioner.eval.CocoEvaluator;
import org.captioner.eval.EvaluationReport;
import org.captioner.eval.EvaluationResult;
import org.captioner.image.ImageDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code captioner evaluate}: captions a split, scores it with the COCO metrics and writes a report folder. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Captions every image of a split with a model bundle and scores the captions against the references.",
                "Writes metrics.json, captions.json (COCO results format) and report.html into --out."})
final class EvaluateCommand implements Callable<Integer> {
    private static final String METRICS_FILE = "metrics.json";
    private static final String CAPTIONS_FILE = "captions.json";
    private static final String REPORT_FILE = "report.html";
    /** The report embeds every image it shows: 2 x 500 keeps it a page a browser opens. */
    private static final int MAX_SAMPLE = 500;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    DatasetOptions data;

    @Mixin
    ModelOptions model;

    @Mixin
    DecodingOptions decoding;

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
        Map<String, String> candidates = new LinkedHashMap<>();
        Map<String, List<String>> references = new LinkedHashMap<>();
        Map<String, ImageCaptions> byId = new LinkedHashMap<>();
        long started = System.nanoTime();
        DecodeOptions options;
        try (Captioner captioner = model.load();
             ProgressBar progress = progressBar(images.size())) {
            options = decoding.over(captioner.defaultOptions());
            BatchCaptioning.run(captioner, images, ImageCaptions::image, options, batch, err, "evaluate", (image, captions) -> {
                candidates.put(image.imageId(), captions.get(0).text());
                references.put(image.imageId(), image.captions());
                byId.put(image.imageId(), image);
                progress.step();
            });
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        EvaluationResult result = CocoEvaluator.withTokenizer().evaluate(references, candidates);
        writeReport(result, candidates, byId, options, seconds);
        out.printf("%d %s images captioned in %.1f s (%.1f images/s)%n", candidates.size(), split, seconds, candidates.size() / seconds);
        result.corpus().forEach((key, value) -> out.printf("%-8s %.4f%n", key, value));
        out.println("report: " + reportDirectory.resolve(REPORT_FILE));
        return 0;
    }

    /** Progress on stderr; with --no-progress, nowhere. */
    private ProgressBar progressBar(int images) {
        return new ProgressBarBuilder().setTaskName("evaluate").setInitialMax(images).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(noProgress ? new PrintStream(OutputStream.nullOutputStream()) : System.err))
                .showSpeed().build();
    }

    private void writeReport(EvaluationResult result, Map<String, String> candidates, Map<String, ImageCaptions> images,
                             DecodeOptions options, double seconds) throws IOException {
        Files.createDirectories(reportDirectory);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("split", split);
        metrics.put("images", candidates.size());
        metrics.put("decoding", options);
        metrics.put("seconds", seconds);
        metrics.put("scores", result.corpus());
        AtomicFiles.writeString(reportDirectory.resolve(METRICS_FILE), JSON.writeValueAsString(metrics));
        ArrayNode results = JSON.createArrayNode();
        candidates.forEach((id, caption) -> results.addObject().put("image_id", id).put("caption", caption));
        AtomicFiles.writeString(reportDirectory.resolve(CAPTIONS_FILE), JSON.writeValueAsString(results));
        List<EvaluationReport.Row> rows = candidates.entrySet().stream().map(entry -> new EvaluationReport.Row(entry.getKey(),
                images.get(entry.getKey()).image(), entry.getValue(), images.get(entry.getKey()).captions(),
                result.perImage().get(entry.getKey()))).toList();
        AtomicFiles.writeString(reportDirectory.resolve(REPORT_FILE), EvaluationReport.html("Captioner evaluation: " + split + " split of "
                + images.size() + " images", result.corpus(), rows, CiderDScorer.KEY, sample, new ImageDecoder()::decode));
    }

}
