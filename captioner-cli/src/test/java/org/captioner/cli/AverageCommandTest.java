package org.captioner.cli;

import org.captioner.bundle.ModelBundle;
import org.captioner.bundle.TinyBundle;
import org.captioner.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AverageCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesAReadableBundleAndRecordsTheCommand() throws IOException {
        Path a = TinyBundle.write(dir.resolve("a"), 7);
        Path b = TinyBundle.write(dir.resolve("b"), 8);
        Path out = dir.resolve("avg");

        CommandLineRunner result = CommandLineRunner.run("average", "--weights", "0.7,0.3", "--out", out.toString(),
                a.toString(), b.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        ModelBundle average = ModelBundle.read(out);
        assertThat(result.out()).contains("wrote " + out, average.weightsSha256());
        assertThat(average.manifest().provenance().get("command")).isEqualTo("captioner average --weights 0.7,0.3 --out "
                + out + " " + a + " " + b);
        assertThat(average.manifest().provenance().get("averageOf")).contains(a + " (weight 0.7", b + " (weight 0.3");
    }

    @Test
    void aWrongCountOfWeightsIsAUsageErrorAndAnotherModelAFailureNamingIt() throws IOException {
        Path a = TinyBundle.write(dir.resolve("a"));
        Path transformer = TinyBundle.write(dir.resolve("t"), ModelConfig.TRANSFORMER);

        CommandLineRunner counts = CommandLineRunner.run("average", "--weights", "1", "--out", dir.resolve("x").toString(),
                a.toString(), a.toString());
        CommandLineRunner models = CommandLineRunner.run("average", "--out", dir.resolve("x").toString(),
                a.toString(), transformer.toString());
        CommandLineRunner zero = CommandLineRunner.run("average", "--weights", "1,0", "--out", dir.resolve("x").toString(),
                a.toString(), a.toString());

        assertThat(counts.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(counts.err()).contains("--weights gives 1 weights for 2 bundles");
        assertThat(models.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(models.err()).contains("captioner average: " + transformer, "model (model.json) differs");
        assertThat(zero.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(zero.err()).contains("--weights: the weight of " + a + " must be above 0 and finite, not 0.0");
        assertThat(dir.resolve("x")).doesNotExist();
    }
}
