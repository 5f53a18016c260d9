package org.captioner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.captioner.SharedData;
import org.captioner.bundle.TinyBundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** caption, attend and evaluate on real images with a tiny untrained bundle: the mechanics, not the quality. */
class CaptionAndEvaluateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Path bundle;
    static Path images;
    static String models;

    @BeforeAll
    static void setUp() throws IOException {
        bundle = TinyBundle.write(dir.resolve("bundle"));
        models = SharedData.models().toString();
        images = Files.createDirectories(dir.resolve("images"));
        List<String> lines = new ArrayList<>(List.of("image,caption,split"));
        try (var real = Files.list(SharedData.flickr8k().resolve("images"))) {
            for (Path image : real.sorted().limit(4).toList()) {
                Files.copy(image, images.resolve(image.getFileName()));
                lines.add(image.getFileName() + ",a dog runs on the grass,dev");
                lines.add(image.getFileName() + ",a dog on grass,dev");
            }
        }
        Files.write(images.resolve("broken.jpg"), new byte[]{1, 2, 3});
        Files.write(dir.resolve("captions.csv"), lines);
    }

    @Test
    void captionsAFolderSkippingABrokenImage() {
        CommandLineRunner result = CommandLineRunner.run("caption", "--model", bundle.toString(), "--models-dir", models,
                images.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(result.out().lines()).hasSize(4).allSatisfy(line -> assertThat(line).matches(".+\\.jpg\t.*"));
        assertThat(result.err()).contains("broken.jpg", "4 captioned, 1 failed");
    }

    @Test
    void jsonWithSeveralCaptions() throws IOException {
        Path image;
        try (var files = Files.list(images)) {
            image = files.filter(file -> !file.endsWith("broken.jpg")).sorted().findFirst().orElseThrow();
        }

        CommandLineRunner result = CommandLineRunner.run("caption", "--model", bundle.toString(), "--models-dir", models,
                "--json", "-n", "3", image.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode line = JSON.readTree(result.out());
        assertThat(line.path("image").asText()).isEqualTo(image.toString());
        assertThat(line.path("captions")).hasSize(3);
        assertThat(line.path("score").asDouble()).isEqualTo(line.path("captions").get(0).path("score").asDouble());
    }

    @Test
    void aMissingBundleIsOneClearLine() {
        CommandLineRunner result = CommandLineRunner.run("caption", "--model", dir.resolve("none").toString(), "x.jpg");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no such image or folder: x.jpg");
    }

    @Test
    void attendDrawsAnAttentionSheet() throws IOException {
        Path image;
        try (var files = Files.list(images)) {
            image = files.filter(file -> !file.endsWith("broken.jpg")).sorted().findFirst().orElseThrow();
        }
        Path png = dir.resolve("maps.png");

        CommandLineRunner result = CommandLineRunner.run("attend", "--model", bundle.toString(), "--models-dir", models,
                "--strategy", "GREEDY", image.toString(), "--out", png.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(javax.imageio.ImageIO.read(png.toFile())).isNotNull();
    }

    @Test
    void attendSaysAModelWithoutAttentionHasNoneToDraw() throws IOException {
        Path image;
        try (var files = Files.list(images)) {
            image = files.filter(file -> !file.endsWith("broken.jpg")).sorted().findFirst().orElseThrow();
        }
        Path showAndTell = TinyBundle.write(dir.resolve("show-and-tell"), "show-and-tell");
        Path png = dir.resolve("none.png");

        CommandLineRunner result = CommandLineRunner.run("attend", "--model", showAndTell.toString(), "--models-dir",
                models, "--strategy", "GREEDY", "--max-length", "6", image.toString(), "--out", png.toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("(show-and-tell) has no attention to draw");
        assertThat(png).doesNotExist();
        // Captioning works as with any model.
        CommandLineRunner caption = CommandLineRunner.run("caption", "--model", showAndTell.toString(), "--models-dir",
                models, image.toString());
        assertThat(caption.exitCode()).as(caption.err()).isZero();
    }

    @Test
    void evaluateWritesMetricsCaptionsAndAReport() throws IOException {
        Path report = dir.resolve("report");

        CommandLineRunner result = CommandLineRunner.run("evaluate", "--model", bundle.toString(), "--models-dir", models,
                "--data", dir.resolve("captions.csv").toString(), "--images", images.toString(), "--split", "dev",
                "--out", report.toString(), "--no-progress");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("4 dev images captioned", "Bleu_4", "CIDEr");
        JsonNode metrics = JSON.readTree(report.resolve("metrics.json").toFile());
        assertThat(metrics.path("images").asInt()).isEqualTo(4);
        assertThat(metrics.path("scores").has("ROUGE_L")).isTrue();
        assertThat(JSON.readTree(report.resolve("captions.json").toFile())).hasSize(4);
        assertThat(Files.readString(report.resolve("report.html"))).contains("data:image/jpeg;base64,");
    }
}
