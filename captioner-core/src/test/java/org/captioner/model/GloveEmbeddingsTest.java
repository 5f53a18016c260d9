package org.captioner.model;

import ai.djl.ndarray.NDManager;
import org.captioner.text.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GloveEmbeddingsTest {
    private static final Vocabulary VOCABULARY = Vocabulary.build(List.of(List.of("a", "dog", "runs", "on", "grass")), 0, 1);

    @TempDir
    Path dir;

    @Test
    void vocabularyWordsGetTheirVectorsAndMissingOnesAreReported() throws IOException {
        Path file = Files.writeString(dir.resolve("glove.txt"), """
                the 0.5 0.5 0.5
                dog 1 2 3
                a -1 -2 -3.5
                cat 9 9 9

                runs 0.25 0 1e-2
                """);
        GloveEmbeddings glove = GloveEmbeddings.read(file, VOCABULARY, 3);
        assertThat(glove.missing()).containsExactlyInAnyOrder("on", "grass");
        assertThat(glove.foundCount()).isEqualTo(3);
        int dog = VOCABULARY.id("dog");
        assertThat(glove.vectors()).containsSequence(1f, 2f, 3f);
        assertThat(glove.found()[dog]).isTrue();

        ModelConfig config = new ModelConfig(ModelConfig.SHOW_AND_TELL, ModelConfig.LSTM, VOCABULARY.size(), 2, 4, 3, 6,
                4, 0).withEmbeddings(new ModelConfig.PretrainedEmbeddings(file.toString(), null));
        assertThat(config.embeddingsTrainable()).as("frozen unless asked").isFalse();
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel random = CaptionModels.create(config.withEmbeddings(null), root, 5);
             CaptionModel model = CaptionModels.create(config, root, 5, VOCABULARY)) {
            float[] initial = random.parameters().tensors().get(CaptionModels.EMBEDDING).toFloatArray();
            float[] table = model.parameters().tensors().get(CaptionModels.EMBEDDING).toFloatArray();
            assertThat(java.util.Arrays.copyOfRange(table, dog * 3, dog * 3 + 3)).containsExactly(1f, 2f, 3f);
            int grass = VOCABULARY.id("grass");
            assertThat(java.util.Arrays.copyOfRange(table, grass * 3, grass * 3 + 3))
                    .as("missing words keep their random init")
                    .containsExactly(java.util.Arrays.copyOfRange(initial, grass * 3, grass * 3 + 3));
            assertThat(model.parameters().trainable()).doesNotContainKey(CaptionModels.EMBEDDING);
            assertThat(model.parameters().tensors()).containsKey(CaptionModels.EMBEDDING);
        }
    }

    @Test
    void aWrongDimensionOrMalformedLineNamesTheFileAndLine() throws IOException {
        Path wide = Files.writeString(dir.resolve("wide.txt"), "dog 1 2 3 4\n");
        assertThatThrownBy(() -> GloveEmbeddings.read(wide, VOCABULARY, 3)).isInstanceOf(IOException.class)
                .hasMessageContaining(wide + ":1").hasMessageContaining("4 values").hasMessageContaining("embedDim");
        Path broken = Files.writeString(dir.resolve("broken.txt"), "dog 1 2 3\na 1 2\n");
        assertThatThrownBy(() -> GloveEmbeddings.read(broken, VOCABULARY, 3))
                .hasMessageContaining(broken + ":2").hasMessageContaining("malformed");
        Path text = Files.writeString(dir.resolve("text.txt"), "dog 1 2 3\nruns 1 x 3\n");
        assertThatThrownBy(() -> GloveEmbeddings.read(text, VOCABULARY, 3))
                .hasMessageContaining(text + ":2").hasMessageContaining("not a number: 'x'");
    }

    @Test
    void aConfigWithEmbeddingsNeedsTheVocabulary() {
        ModelConfig config = new ModelConfig(ModelConfig.SHOW_AND_TELL, ModelConfig.LSTM, VOCABULARY.size(), 2, 4, 3, 6,
                4, 0).withEmbeddings(new ModelConfig.PretrainedEmbeddings("glove.txt", true));
        try (NDManager root = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> CaptionModels.create(config, root, 1)).hasMessageContaining("vocabulary");
        }
    }
}
