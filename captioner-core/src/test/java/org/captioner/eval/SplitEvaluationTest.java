package org.captioner.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.captioner.data.ImageCaptions;
import org.captioner.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SplitEvaluationTest {
    private static final List<ImageCaptions> DEV = List.of(
            new ImageCaptions("a.jpg", Path.of("a.jpg"), List.of("A dalmatian runs on the grass.", "a dog runs"), Split.DEV),
            new ImageCaptions("b.jpg", Path.of("b.jpg"), List.of("Two kids play in the water."), Split.DEV),
            new ImageCaptions("c.jpg", Path.of("c.jpg"), List.of("A man rides a bike."), Split.DEV));

    @Test
    void scoresTheCaptionedImagesAgainstTheirRawReferences() throws IOException {
        SplitEvaluation.Outcome outcome = new SplitEvaluation(DEV).run(ids -> Map.of(
                "c.jpg", "a man rides a bike", "a.jpg", "a <unk> runs on the grass")); // b.jpg unreadable

        assertThat(outcome.images()).extracting(ImageCaptions::imageId).containsExactly("a.jpg", "c.jpg");
        assertThat(outcome.captions()).containsOnlyKeys("a.jpg", "c.jpg");
        EvaluationResult expected = CocoEvaluator.withTokenizer().evaluate(
                Map.of("a.jpg", DEV.get(0).captions(), "c.jpg", DEV.get(2).captions()), outcome.captions());
        assertThat(outcome.scores().corpus()).isEqualTo(expected.corpus());
        assertThat(outcome.score(CiderDScorer.KEY)).isEqualTo(expected.corpus().get(CiderDScorer.KEY));
    }

    @Test
    void aSplitNothingOfWhichCouldBeCaptionedIsAnError() {
        assertThatThrownBy(() -> new SplitEvaluation(DEV).run(ids -> Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("none of the 3 images could be captioned");
    }

    @Test
    void writesMetricsCaptionsAndTheReport(@TempDir Path dir) throws IOException {
        SplitEvaluation.Outcome outcome = new SplitEvaluation(DEV).run(ids -> Map.of(
                "a.jpg", "a dog runs", "b.jpg", "kids in water", "c.jpg", "a man on a bike"));

        EvaluationReport.write(dir, "dev", Map.of("strategy", "GREEDY"), outcome, 1, image -> {
            throw new IOException("no pictures in this test");
        });

        ObjectMapper json = new ObjectMapper();
        JsonNode metrics = json.readTree(dir.resolve(EvaluationReport.METRICS_FILE).toFile());
        assertThat(metrics.path("split").asText()).isEqualTo("dev");
        assertThat(metrics.path("images").asInt()).isEqualTo(3);
        assertThat(metrics.path("decoding").path("strategy").asText()).isEqualTo("GREEDY");
        assertThat(metrics.path("scores").path("CIDEr").asDouble()).isEqualTo(outcome.score(CiderDScorer.KEY));
        JsonNode captions = json.readTree(dir.resolve(EvaluationReport.CAPTIONS_FILE).toFile());
        assertThat(captions).hasSize(3);
        assertThat(captions.get(0).path("image_id").asText()).isEqualTo("a.jpg");
        assertThat(Files.readString(dir.resolve(EvaluationReport.REPORT_FILE))).contains("dev split of 3 images");
    }
}
