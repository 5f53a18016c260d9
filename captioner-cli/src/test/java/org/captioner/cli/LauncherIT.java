package org.captioner.cli;

import org.captioner.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real {@code ./captioner} launcher on the packaged jar, as a user does. ONNX Runtime 1.29 kills
 * the JVM when the java command line is long, so only the real launcher proves the product starts.
 */
class LauncherIT {
    record Result(int exitCode, String stdout, String stderr) {
    }

    static Result launch(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", System.getProperty("captioner.launcher")));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("launcher did not finish in 5 minutes: " + command);
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void extractsFeaturesWithOnnxRuntimeAndSkipsACorruptImage(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        try (var real = Files.list(SharedData.flickr8k().resolve("images"))) {
            for (Path image : real.sorted().limit(3).toList()) {
                Files.copy(image, images.resolve(image.getFileName()));
            }
        }
        Files.write(images.resolve("corrupt.jpg"), new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x01});

        Result result = launch("features", "--images", images.toString(), "--out", dir.resolve("store").toString(), "--no-progress");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("3 extracted", "1 failed", "corrupt.jpg");
        assertThat(Files.readAllLines(dir.resolve("store/index.txt"))).hasSize(3);
    }

    @Test
    void captionsADevImageWithTheDefaultModel() throws Exception {
        Path image = SharedData.flickr8k().resolve("images/2090545563_a4e66ec76b.jpg");

        Result result = launch("caption", image.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).startsWith(image + "\t");
        assertThat(result.stdout().strip().split("\t")[1].split(" ")).as("a sentence, not a word").hasSizeGreaterThan(3);
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Result result = launch("--help");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("Usage: captioner");
    }
}
