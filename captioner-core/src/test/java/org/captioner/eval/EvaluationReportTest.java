package org.captioner.eval;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EvaluationReportTest {
    private static EvaluationReport.Row row(String id, String caption, double cider) {
        return new EvaluationReport.Row(id, Path.of(id), caption, List.of("ref one", "ref <two>"), Map.of("CIDEr", cider));
    }

    @Test
    void showsCorpusScoresThenTheBestAndWorstImagesWithEmbeddedPictures() {
        List<EvaluationReport.Row> rows = List.of(row("mid.jpg", "a middling dog", 0.5), row("best.jpg", "a perfect dog", 2.0),
                row("worst.jpg", "a <bad> dog & cat", 0.0), row("broken.jpg", "unreadable", 1.0));
        EvaluationReport.ImageReader reader = image -> {
            if (image.toString().equals("broken.jpg")) {
                throw new IOException("broken.jpg: not an image");
            }
            return new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        };

        String html = EvaluationReport.html("Dev split", Map.of("CIDEr", 0.9), rows, "CIDEr", 1, reader);

        assertThat(html).startsWith("<!doctype html>").contains("<th>CIDEr</th>", "<td>0.9000</td>", "(4 images)");
        assertThat(html.indexOf("a perfect dog")).isLessThan(html.indexOf("a &lt;bad&gt; dog &amp; cat"));
        assertThat(html).doesNotContain("a middling dog").contains("data:image/jpeg;base64,", "ref &lt;two&gt;");
    }

    @Test
    void anUnreadablePictureIsShownAsTextNotAFailure() {
        String html = EvaluationReport.html("t", Map.of(), List.of(row("broken.jpg", "x", 1)), "CIDEr", 5,
                image -> {
                    throw new IOException("broken.jpg: truncated");
                });

        assertThat(html).contains("(no picture: broken.jpg: truncated)");
    }
}
