package org.captioner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.captioner.SharedData;
import org.captioner.image.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./captioner spark caption --master local[2]} from the real launcher: Spark comes from the jar's lib/,
 * ONNX Runtime starts in the driver-executor JVM, and the captions are those of {@code ./captioner caption}.
 */
class SparkLauncherIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sparkCaptionsAsCaptionDoesAndReportsABrokenFile(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        for (Path image : ImageFiles.list(SharedData.flickr8k().resolve("images")).subList(0, 3)) {
            Files.copy(image, images.resolve(image.getFileName()));
        }
        Files.writeString(images.resolve("broken.jpg"), "not a picture");

        LauncherIT.Result spark = LauncherIT.launch("spark", "caption", "--master", "local[2]", "--input", images.toString(),
                "--out", dir.resolve("out").toString(), "--format", "jsonl");
        LauncherIT.Result single = LauncherIT.launch("caption", "--json", images.toString());

        assertThat(spark.exitCode()).as(spark.stderr()).isZero();
        assertThat(spark.stderr()).contains("4 images (1 failed");
        Map<String, JsonNode> rows = new HashMap<>();
        try (Stream<Path> parts = Files.list(dir.resolve("out"))) {
            for (Path part : parts.filter(file -> file.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(part)) {
                    JsonNode row = JSON.readTree(line);
                    rows.put(Path.of(row.get("path").asText().replaceFirst("^file:/*", "/")).getFileName().toString(), row);
                }
            }
        }
        assertThat(rows.get("broken.jpg").get("error").asText()).contains("unsupported image format");
        List<JsonNode> expected = single.stdout().lines().map(SparkLauncherIT::parse).toList();
        assertThat(expected).hasSize(3);
        for (JsonNode line : expected) {
            String name = Path.of(line.get("image").asText()).getFileName().toString();
            assertThat(rows.get(name).get("caption").asText()).as(name).isEqualTo(line.get("caption").asText());
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(line, e);
        }
    }
}
