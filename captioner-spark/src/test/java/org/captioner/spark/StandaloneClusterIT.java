package org.captioner.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.captioner.Captioner;
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
 * The application jar submitted with spark-submit to a real standalone cluster (Master and Worker in their own
 * JVMs on 127.0.0.1): the captioning job returns the right rows, and the executors' command lines stay short
 * enough for ONNX Runtime.
 */
class StandaloneClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void captionsOnAStandaloneCluster(@TempDir Path dir) throws Exception {
        List<Path> good = ImageFiles.list(SharedData.flickr8k().resolve("images")).subList(0, 4);
        Path images = Files.createDirectories(dir.resolve("images"));
        for (Path image : good) {
            Files.copy(image, images.resolve(image.getFileName()));
        }
        Files.writeString(images.resolve("broken.jpg"), "not a picture");
        Path bundle = Captioner.defaultBundle();
        Path out = dir.resolve("out");
        List<String> conf = List.of("--executor-memory", "1g", "--total-executor-cores", "1",
                "--conf", "spark.executor.extraJavaOptions=-Dai.djl.offline=true");

        try (StandaloneCluster cluster = StandaloneCluster.start(Path.of(System.getProperty("spark.home")),
                Files.createDirectories(dir.resolve("logs")), 1, "2g")) {
            Path app = Path.of(System.getProperty("captioner.spark.app"));
            StandaloneCluster.Result caption = cluster.submit(app, conf, "caption", "--input", images.toString(),
                    "--out", out.toString(), "--format", "jsonl", "--model", bundle.toString(),
                    "--models-dir", SharedData.models().toString());
            assertThat(caption.exitCode()).as(caption.stderr()).isZero();
            assertThat(caption.stdout()).contains("5 images (1 failed");

            StandaloneCluster.Result check = cluster.submit(app, conf, "check", "--tasks", "2");
            assertThat(check.exitCode()).as(check.stderr()).isZero();
            List<Integer> lengths = check.stdout().lines().filter(line -> line.startsWith("executor pid"))
                    .map(line -> Integer.parseInt(line.replaceAll(".*command line (\\d+) bytes.*", "$1"))).toList();
            System.out.println("executor command lines (bytes): " + lengths);
            assertThat(lengths).isNotEmpty().allSatisfy(bytes -> assertThat(bytes).isBetween(100, 4000));
        }

        Map<String, JsonNode> rows = new HashMap<>();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path part : parts.filter(file -> file.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(part)) {
                    JsonNode row = JSON.readTree(line);
                    rows.put(Path.of(row.get("path").asText().replaceFirst("^file:", "")).getFileName().toString(), row);
                }
            }
        }
        assertThat(rows).hasSize(5);
        assertThat(rows.get("broken.jpg").get("error").asText()).contains("unsupported image format");
        try (Captioner captioner = Captioner.load(bundle, SharedData.models())) {
            for (Path image : good) {
                JsonNode row = rows.get(image.getFileName().toString());
                assertThat(row.get("error").isNull()).isTrue();
                assertThat(row.get("caption").asText()).as(image.toString()).isEqualTo(captioner.caption(image).get(0).text());
            }
        }
    }
}
