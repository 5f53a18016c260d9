package org.captioner.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelBundleTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsABundleAndReplacesAnOldOneWhole() throws IOException {
        Path bundle = TinyBundle.write(dir.resolve("bundle"));
        Files.writeString(bundle.resolve("stale.txt"), "from an older bundle");

        TinyBundle.write(bundle);
        ModelBundle read = ModelBundle.read(bundle);

        assertThat(read.manifest().backbone().name()).isEqualTo("mobilenet_v2");
        assertThat(read.modelConfig().vocabSize()).isEqualTo(read.vocabulary().size());
        assertThat(bundle.resolve("stale.txt")).doesNotExist();
        try (var entries = Files.list(dir)) {
            assertThat(entries).containsExactly(bundle);
        }
    }

    @Test
    void aMissingPieceIsNamed() throws IOException {
        Path bundle = TinyBundle.write(dir.resolve("bundle"));
        Files.delete(bundle.resolve("vocab.tsv"));

        assertThatThrownBy(() -> ModelBundle.read(bundle)).hasMessageContaining("incomplete: vocab.tsv is missing");
        assertThatThrownBy(() -> ModelBundle.read(dir.resolve("nowhere"))).hasMessageContaining("not found");
    }

    @Test
    void aNewerVersionOrAnotherFormatIsRefused() throws IOException {
        Path bundle = TinyBundle.write(dir.resolve("bundle"));
        Path manifest = bundle.resolve(ModelBundle.MANIFEST_FILE);
        String json = Files.readString(manifest);

        Files.writeString(manifest, json.replace("\"version\" : 1", "\"version\" : 99"));
        assertThatThrownBy(() -> ModelBundle.read(bundle)).hasMessageContaining("bundle version 99 is newer");
        Files.writeString(manifest, json.replace("captioner-bundle", "something-else"));
        assertThatThrownBy(() -> ModelBundle.read(bundle)).hasMessageContaining("format is 'something-else'");
    }

    @Test
    void aVocabularyThatDoesNotFitTheModelIsRefused() throws IOException {
        Path bundle = TinyBundle.write(dir.resolve("bundle"));
        Files.writeString(bundle.resolve("vocab.tsv"), Files.readString(bundle.resolve("vocab.tsv")) + "10\textra\t1\n");

        assertThatThrownBy(() -> ModelBundle.read(bundle)).hasMessageContaining("expects 10 words but vocab.tsv has 11");
    }
}
