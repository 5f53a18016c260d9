package org.captioner.cli;

import org.captioner.train.TrainingStoppedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Errors become one line and an exit code in one place, {@link ExitCodes}; every command's help lists the codes. */
class ExitCodesTest {
    @TempDir
    Path dir;

    @Test
    void aFailureIsOneLineNamingTheCommandAndExitCode1() {
        assertOneLineFailure(CommandLineRunner.run("caption", dir.resolve("none.jpg").toString()),
                "captioner caption: no such image or folder: " + dir.resolve("none.jpg"));
    }

    @Test
    void featuresReportsThroughTheSameHandler() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("no-images"));

        assertOneLineFailure(CommandLineRunner.run("features", "--images", empty.toString(), "--out", dir.resolve("store").toString()),
                "captioner features: no image files (.jpg, .jpeg, .png) in " + empty);
    }

    @Test
    void scoreReportsThroughTheSameHandler() {
        Path missing = dir.resolve("refs.json");

        CommandLineRunner result = CommandLineRunner.run("score", "-r", missing.toString(), "-c", missing.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.err().lines().toList()).singleElement().asString().startsWith("captioner score: ").contains("refs.json");
    }

    @Test
    void aUsageErrorIsExitCode2() {
        CommandLineRunner result = CommandLineRunner.run("caption", "--no-such-option", "x.jpg");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE).isEqualTo(2);
        assertThat(result.err()).startsWith("captioner caption: Unknown option: '--no-such-option'");
    }

    @Test
    void aStoppedTrainingIsExitCode130AsCtrlCGives() {
        assertThat(new ExitCodes().getExitCode(new TrainingStoppedException(dir, 12))).isEqualTo(130);
        assertThat(new ExitCodes().getExitCode(new IllegalStateException("bug"))).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void everyCommandsHelpListsTheExitCodes() {
        CommandLine main = Main.commandLine();
        List<CommandLine> commands = Stream.concat(Stream.of(main), main.getSubcommands().values().stream()).toList();

        assertThat(commands).hasSizeGreaterThan(9).allSatisfy(command -> assertThat(command.getUsageMessage())
                .contains("Exit codes:", "  0 ", "  1 ", "  2 ", "  3 ", "  130 "));
    }

    @Test
    void noCommandPrintsToSystemErrOnTheSide() throws IOException {
        try (Stream<Path> sources = Files.list(Path.of("src/main/java/org/captioner/cli"))) {
            assertThat(sources.filter(source -> read(source).contains("System.err.print")).toList()).isEmpty();
        }
    }

    private static void assertOneLineFailure(CommandLineRunner result, String line) {
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED).isEqualTo(1);
        assertThat(result.err().lines().toList()).containsExactly(line);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
