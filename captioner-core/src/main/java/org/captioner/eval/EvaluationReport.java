package org.captioner.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.captioner.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A self-contained HTML page for a person to judge a model: the corpus scores, then a sample of images
 * (the best and the worst by one metric) with the generated caption, the references and per-image scores.
 * Thumbnails are embedded, so the page can be mailed or archived on its own. {@link #write} puts it in a report
 * folder beside the scores and the captions.
 */
public final class EvaluationReport {
    public static final String METRICS_FILE = "metrics.json";
    public static final String CAPTIONS_FILE = "captions.json";
    public static final String REPORT_FILE = "report.html";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One evaluated image. */
    public record Row(String imageId, Path image, String candidate, List<String> references, Map<String, Double> scores) {
    }

    private static final int THUMBNAIL_WIDTH = 256;

    private EvaluationReport() {
    }

    /**
     * Writes {@value #METRICS_FILE} (split, image count, decoding, seconds, corpus scores), {@value #CAPTIONS_FILE}
     * (the captions in the COCO results format, {@code [{"image_id", "caption"}]}, images named as the dataset names
     * them) and {@value #REPORT_FILE} (the best and worst {@code perSide} images by CIDEr-D) into {@code directory}.
     * Each file is replaced whole or not at all.
     *
     * @param decoding how the captions were made, written as JSON
     */
    public static void write(Path directory, String split, Object decoding, SplitEvaluation.Outcome outcome, int perSide,
                             ImageReader decoder) throws IOException {
        Files.createDirectories(directory);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("split", split);
        metrics.put("images", outcome.captions().size());
        metrics.put("decoding", decoding);
        metrics.put("seconds", outcome.seconds());
        metrics.put("scores", outcome.scores().corpus());
        AtomicFiles.writeString(directory.resolve(METRICS_FILE), JSON.writeValueAsString(metrics));
        ArrayNode results = JSON.createArrayNode();
        outcome.captions().forEach((id, caption) -> results.addObject().put("image_id", id).put("caption", caption));
        AtomicFiles.writeString(directory.resolve(CAPTIONS_FILE), JSON.writeValueAsString(results));
        List<Row> rows = outcome.images().stream().map(image -> new Row(image.imageId(), image.image(),
                outcome.captions().get(image.imageId()), image.captions(),
                outcome.scores().perImage().get(image.imageId()))).toList();
        AtomicFiles.writeString(directory.resolve(REPORT_FILE), html("Captioner evaluation: " + split + " split of "
                + rows.size() + " images", outcome.scores().corpus(), rows, CiderDScorer.KEY, perSide, decoder));
    }

    /**
     * @param rankBy  per-image metric that orders the sample (e.g. {@code CIDEr})
     * @param perSide how many of the best and of the worst images to show
     * @param decoder reads an image for its thumbnail; a failure shows the error in place of the picture
     */
    public static String html(String title, Map<String, Double> corpus, List<Row> rows, String rankBy, int perSide,
                              ImageReader decoder) {
        List<Row> ranked = new ArrayList<>(rows);
        ranked.sort(Comparator.comparing((Row row) -> row.scores().getOrDefault(rankBy, 0.0)).reversed()
                .thenComparing(Row::imageId));
        Set<Row> sample = new LinkedHashSet<>(ranked.subList(0, Math.min(perSide, ranked.size())));
        sample.addAll(ranked.subList(Math.max(0, ranked.size() - perSide), ranked.size()));

        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:72rem}")
                .append("table{border-collapse:collapse}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}")
                .append(".item{display:flex;gap:1rem;margin:1rem 0;padding:1rem;border:1px solid #ddd;border-radius:6px}")
                .append(".item img{width:").append(THUMBNAIL_WIDTH).append("px;height:auto;border-radius:4px}")
                .append(".candidate{font-size:1.15rem;font-weight:600}.refs{color:#555}.scores{font-size:.85rem;color:#333}")
                .append("\n</style></head><body>\n<h1>").append(escape(title)).append("</h1>\n");
        html.append("<h2>Corpus scores (").append(rows.size()).append(" images)</h2>\n<table><tr>");
        corpus.keySet().forEach(metric -> html.append("<th>").append(escape(metric)).append("</th>"));
        html.append("</tr><tr>");
        corpus.values().forEach(value -> html.append("<td>").append(format(value)).append("</td>"));
        html.append("</tr></table>\n<h2>Best and worst ").append(sample.size()).append(" images by ")
                .append(escape(rankBy)).append("</h2>\n");
        for (Row row : sample) {
            html.append("<div class=\"item\">").append(thumbnail(row, decoder)).append("<div>")
                    .append("<div class=\"candidate\">").append(escape(row.candidate())).append("</div>")
                    .append("<div>").append(escape(row.imageId())).append("</div><ul class=\"refs\">");
            row.references().forEach(reference -> html.append("<li>").append(escape(reference)).append("</li>"));
            html.append("</ul><div class=\"scores\">");
            row.scores().forEach((metric, value) -> html.append(escape(metric)).append(' ').append(format(value)).append(" &nbsp; "));
            html.append("</div></div></div>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    /** Reads a picture for a thumbnail. */
    @FunctionalInterface
    public interface ImageReader {
        BufferedImage read(Path image) throws IOException;
    }

    private static String thumbnail(Row row, ImageReader decoder) {
        try {
            BufferedImage picture = decoder.read(row.image());
            int height = Math.max(1, picture.getHeight() * THUMBNAIL_WIDTH / picture.getWidth());
            BufferedImage small = new BufferedImage(THUMBNAIL_WIDTH, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D graphics = small.createGraphics();
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.drawImage(picture, 0, 0, THUMBNAIL_WIDTH, height, null);
            graphics.dispose();
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            ImageIO.write(small, "jpg", jpeg);
            return "<img alt=\"" + escape(row.candidate()) + "\" src=\"data:image/jpeg;base64,"
                    + Base64.getEncoder().encodeToString(jpeg.toByteArray()) + "\">";
        } catch (IOException | RuntimeException e) {
            return "<div style=\"width:" + THUMBNAIL_WIDTH + "px\">(no picture: " + escape(String.valueOf(e.getMessage())) + ")</div>";
        }
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

}
