package org.captioner.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DatasetCommandTest {
    @Test
    void summarizesSplitsLengthsAndProblemsAndWritesTheVocabulary(@TempDir Path dir) throws Exception {
        Path captions = Files.write(dir.resolve("captions.csv"), List.of("image,caption,split",
                "a.jpg,A dog runs,train", "a.jpg,A dog is running fast,train", "b.jpg,A dog sleeps,val",
                "broken.jpg"));

        CommandLineRunner result = CommandLineRunner.run("dataset", "--data", captions.toString(),
                "--vocab-min-count", "1", "--vocab-out", dir.resolve("vocab.tsv").toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("images: 2, captions: 3", "train         1 images", "dev           1 images",
                "words per caption: mean 3.7", "vocabulary of the train split (min count 1): 10 tokens");
        assertThat(result.err()).contains("captions.csv:5: row has 1 fields");
        assertThat(dir.resolve("vocab.tsv")).exists();
    }

    @Test
    void aMissingCaptionFileIsAClearErrorNotAStackTrace(@TempDir Path dir) {
        CommandLineRunner result = CommandLineRunner.run("dataset", "--data", dir.resolve("none.txt").toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("caption file not found").doesNotContain("\tat org.");
    }
}
