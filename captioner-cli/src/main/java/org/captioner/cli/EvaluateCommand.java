package org.captioner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.captioner.Caption;
import org.captioner.Captioner;
import org.captioner.data.Dataset;
import org.captioner.data.ImageCaptions;
import org.captioner.data.Split;
import org.captioner.decode.DecodeOptions;
import org.captioner.eval.CiderDScorer;
import org.captioner.eval.CocoEvaluator;
import org.captioner.eval.EvaluationReport;
import org.captioner.eval.EvaluationResult;
import org.captioner.image.ImageDecodeException;
import org.captioner.image.ImageDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code captioner evaluate}: captions a split, scores it with the COCO metrics and writes a report folder. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Captions every image of a split with a model bundle and scores the captions against the references.",
                "Writes metrics.json, captions.json (COCO results format) and report.html into --out."})
final class EvaluateCommand implements Callable<Integer> {
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
    Path out;

    @Option(names = "--batch", defaultValue = "16", description = "Images captioned together. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--sample", defaultValue = "25", description = "Best and worst images shown in the report. Default: ${DEFAULT-VALUE}.")
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
        ImageDecoder decoder = new ImageDecoder();
        Map<String, String> candidates = new LinkedHashMap<>();
        Map<String, List<String>> references = new LinkedHashMap<>();
        Map<String, ImageCaptions> byId = new LinkedHashMap<>();
        long started = System.nanoTime();
        DecodeOptions options;
        try (Captioner captioner = model.load();
             ProgressBar progress = new ProgressBarBuilder().setTaskName("evaluate").setInitialMax(images.size())
                     .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer(
                             noProgress ? new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) : System.err))
                     .showSpeed().build()) {
            options = decoding.over(captioner.defaultOptions());
            for (int from = 0; from < images.size(); from += batch) {
                List<ImageCaptions> chunk = images.subList(from, Math.min(images.size(), from + batch));
                List<ImageCaptions> readable = new ArrayList<>();
                List<BufferedImage> pictures = new ArrayList<>();
                for (ImageCaptions image : chunk) {
                    try {
                        pictures.add(decoder.decode(image.image()));
                        readable.add(image);
                    } catch (ImageDecodeException e) {
                        err.println("evaluate: skipped " + e.getMessage());
                    }
                }
                List<List<Caption>> captions = captioner.caption(pictures, options);
                for (int i = 0; i < readable.size(); i++) {
                    ImageCaptions image = readable.get(i);
                    candidates.put(image.imageId(), captions.get(i).get(0).text());
                    references.put(image.imageId(), image.captions());
                    byId.put(image.imageId(), image);
                }
                progress.stepBy(chunk.size());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        EvaluationResult result = CocoEvaluator.withTokenizer().evaluate(references, candidates);
        writeReport(result, candidates, byId, options, seconds, decoder);
        out.printf("%d %s images captioned in %.1f s (%.1f images/s)%n", candidates.size(), split, seconds, candidates.size() / seconds);
        result.corpus().forEach((key, value) -> out.printf("%-8s %.4f%n", key, value));
        out.println("report: " + out(ReportFile.HTML));
        return 0;
    }

    private enum ReportFile {
        METRICS("metrics.json"), CAPTIONS("captions.json"), HTML("report.html");

        final String name;

        ReportFile(String name) {
            this.name = name;
        }
    }

    private Path out(ReportFile file) {
        return out.resolve(file.name);
    }

    private void writeReport(EvaluationResult result, Map<String, String> candidates, Map<String, ImageCaptions> images,
                             DecodeOptions options, double seconds, ImageDecoder decoder) throws java.io.IOException {
        Files.createDirectories(out);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("split", split);
        metrics.put("images", candidates.size());
        metrics.put("decoding", options);
        metrics.put("seconds", seconds);
        metrics.put("scores", result.corpus());
        writeAtomically(out(ReportFile.METRICS), JSON.writeValueAsString(metrics));
        ArrayNode results = JSON.createArrayNode();
        candidates.forEach((id, caption) -> results.addObject().put("image_id", id).put("caption", caption));
        writeAtomically(out(ReportFile.CAPTIONS), JSON.writeValueAsString(results));
        List<EvaluationReport.Row> rows = candidates.entrySet().stream().map(entry -> new EvaluationReport.Row(entry.getKey(),
                images.get(entry.getKey()).image(), entry.getValue(), images.get(entry.getKey()).captions(),
                result.perImage().get(entry.getKey()))).toList();
        writeAtomically(out(ReportFile.HTML), EvaluationReport.html("Captioner evaluation: " + split + " split of "
                + images.size() + " images", result.corpus(), rows, CiderDScorer.KEY, sample, decoder::decode));
    }

    private static void writeAtomically(Path file, String text) throws java.io.IOException {
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
