package org.captioner.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCommandTest {

    @Test
    void trainingBenchmarkPrintsMillisecondsPerStepAndWhereTheTimeWent() {
        // The smallest family, one timed step: what the command prints, not how fast (that is bench/README.md's job).
        CommandLineRunner run = CommandLineRunner.run("bench", "--train", "--steps", "1", "--family", "show-and-tell");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("show-and-tell \\(lstm\\), [0-9,]+ parameters, \\d+ libtorch threads, 2 batch parts, fp32 products, MALLOC_MMAP_THRESHOLD_=\\S+ MALLOC_TRIM_THRESHOLD_=\\S+ THP_MEM_ALLOC_ENABLE=\\S+, batch 64")
                .containsPattern("training: [0-9.]+ ms per step \\([0-9.]+ steps/s, [0-9]+ captions/s\\), [0-9.]+ ms CPU per step")
                .containsPattern("per step, wall / CPU ms: batch [0-9.]+ / [0-9.]+, forward\\+backward [0-9.]+ / [0-9.]+, update [0-9.]+ / [0-9.]+");
    }

    @Test
    void badTrainingBenchmarkRequestsAreOneLineErrors() {
        assertThat(CommandLineRunner.run("bench", "--train", "--family", "lstm").err())
                .contains("unknown model family 'lstm'; expected show-attend-tell, transformer or show-and-tell");
        assertThat(CommandLineRunner.run("bench", "--train", "--precision", "fp16").err())
                .contains("unknown precision 'fp16'; expected fp32 or bf16");
        assertThat(CommandLineRunner.run("bench", "--train", "photo.jpg").err())
                .contains("bench --train uses synthetic features; it takes no images");
        assertThat(CommandLineRunner.run("bench").err()).contains("bench needs IMAGE files or folders to caption, or --train");
        CommandLineRunner noSteps = CommandLineRunner.run("bench", "--train", "--steps", "0");
        assertThat(noSteps.exitCode()).isEqualTo(2);
        assertThat(noSteps.err()).contains("--steps");
    }
}
