package org.captioner.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        Path out = java.nio.file.Files.createTempFile("launcher", ".out");
        Path err = java.nio.file.Files.createTempFile("launcher", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("launcher did not finish in 5 minutes: " + command);
        }
        return new Result(process.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
                java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Result result = launch("--help");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("Usage: captioner");
    }
}
