package org.captioner.features;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class OnnxRuntimeStartTest {
    /**
     * Measured with ONNX Runtime 1.29: a 1 MB stack starts with a command line of 3,979 bytes, a 2 MB stack
     * with 8,075: 256 bytes of stack a byte, on top of a default stack.
     */
    @Test
    void givesTheStartThreadFourTimesTheStackTheCommandLineWasMeasuredToNeed() {
        for (long commandLine : new long[]{0, 3_981, 60_000, 2_000_000}) {
            assertThat(OnnxRuntimeStart.stackBytesFor(commandLine)).as("%d bytes", commandLine)
                    .isGreaterThanOrEqualTo((1 << 20) + 4 * 256 * commandLine);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void readsTheCommandLineOfThisProcess() {
        assertThat(OnnxRuntimeStart.commandLineBytes()).isGreaterThan("java".length());
    }

    /** Before the fix, ONNX Runtime 1.29 killed this JVM with SIGSEGV (exit 139) and printed nothing. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void opensABackboneInAJvmWithA100KilobyteCommandLine() throws Exception {
        Path models = SharedData.models();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Dpad=" + "x".repeat(100_000),
                "-cp", System.getProperty("java.class.path"), OpenBackbone.class.getName(), models.toString()))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("finished").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Matcher opened = Pattern.compile("opened mobilenet_v2 with a command line of (\\d+) bytes").matcher(output);
        assertThat(opened.find()).as(output).isTrue();
        assertThat(Long.parseLong(opened.group(1))).isGreaterThan(100_000);
    }

    /** Run in a child JVM by the test above. */
    static final class OpenBackbone {
        public static void main(String[] args) throws IOException {
            try (OnnxBackbone backbone = OnnxBackbone.open(BackboneSpec.builtin("mobilenet_v2"), Path.of(args[0]))) {
                System.out.println("opened " + backbone.spec().name() + " with a command line of "
                        + OnnxRuntimeStart.commandLineBytes() + " bytes");
            }
        }
    }
}
