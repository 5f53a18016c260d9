package org.captioner.bundle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.captioner.decode.CaptionDecoder;
import org.captioner.decode.DecodeOptions;
import org.captioner.decode.GeneratedCaption;
import org.captioner.model.CaptionModel;
import org.captioner.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {ModelConfig.SHOW_ATTEND_TELL, ModelConfig.TRANSFORMER,
        ModelConfig.SHOW_AND_TELL})
    void aBundleOfEveryFamilyReadsBackAsThatFamily(String family) throws IOException {
        Path bundle = TinyBundle.write(dir.resolve(family), family);
        ModelBundle read = ModelBundle.read(bundle);

        assertThat(read.manifest().family()).isEqualTo(family);
        assertThat(read.modelConfig().family()).isEqualTo(family);
        try (NDManager manager = NDManager.newBaseManager(); CaptionModel model = read.loadModel(manager)) {
            assertThat(model.config()).isEqualTo(read.modelConfig());
            NDArray regions = manager.randomUniform(0, 1, new Shape(2, 49, 1280));
            List<List<GeneratedCaption>> captions = CaptionDecoder.decode(model, regions, DecodeOptions.beam(2, 5));
            assertThat(captions).hasSize(2).allSatisfy(c -> assertThat(c).hasSize(1));
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
