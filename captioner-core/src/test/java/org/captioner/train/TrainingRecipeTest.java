package org.captioner.train;

import org.captioner.decode.DecodingOptions;
import org.captioner.engine.MatmulPrecision;
import org.captioner.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingRecipeTest {
    @Test
    void defaultsAreTheDocumentedRecipe() throws IOException {
        TrainingRecipe recipe = TrainingRecipe.defaults();

        assertThat(recipe.training().batchSize()).isEqualTo(64);
        assertThat(recipe.text().minCount()).isEqualTo(5);
        assertThat(recipe.decoding().strategy()).isEqualTo(DecodingOptions.Strategy.BEAM);
        assertThat(recipe.decoding().beamWidth()).isEqualTo(3);
        ModelConfig config = recipe.modelConfig(100, 49, 1280);
        assertThat(config.family()).isEqualTo(ModelConfig.SHOW_ATTEND_TELL);
        assertThat(config.vocabSize()).isEqualTo(100);
        assertThat(config.featureChannels()).isEqualTo(1280);
    }

    @Test
    void aFileChangesOnlyItsKeysAndSetOverridesComeLast(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("r.yaml"), "model:\n  rnn: lstm\ntraining:\n  epochs: 3\n");

        TrainingRecipe recipe = TrainingRecipe.load(file, List.of("training.epochs=7", "training.learningRate=0.002",
                "text.normalizer.dropSingleLetters=true"));

        assertThat(recipe.modelConfig(10, 4, 8).rnn()).isEqualTo("lstm");
        assertThat(recipe.training().epochs()).isEqualTo(7);
        assertThat(recipe.training().learningRate()).isEqualTo(0.002);
        assertThat(recipe.training().batchSize()).isEqualTo(64);
        assertThat(recipe.text().normalizer().dropSingleLetters()).isTrue();
    }

    @Test
    void namedValuesReadInAnyCase() throws IOException {
        TrainingRecipe recipe = TrainingRecipe.load(null, List.of("training.scst={samples: 3, baseline: greedy}",
                "decoding.strategy=sample", "training.precision=BF16"));

        assertThat(recipe.training().scst()).isEqualTo(new ScstConfig(3, ScstConfig.Baseline.GREEDY));
        assertThat(recipe.decoding().strategy()).isEqualTo(DecodingOptions.Strategy.SAMPLE);
        assertThat(recipe.training().precision()).isEqualTo(MatmulPrecision.BF16);
    }

    @Test
    void theSelfCriticalCrossEntropyMixIsOptionalAndNotNegative() throws IOException {
        assertThat(TrainingRecipe.load(null, List.of("training.scst={samples: 5}")).training().scst())
                .isEqualTo(new ScstConfig(5, ScstConfig.Baseline.MEAN, 0));
        assertThat(TrainingRecipe.load(null, List.of("training.scst={samples: 5, crossEntropyWeight: 0.25}"))
                .training().scst().crossEntropyWeight()).isEqualTo(0.25);
        assertThatThrownBy(() -> TrainingRecipe.load(null, List.of("training.scst={samples: 5, crossEntropyWeight: -1}")))
                .hasMessageContaining("training.scst.crossEntropyWeight must be 0 or more, got -1.0");
    }

    /** Recipes written before the American spelling (bundles made then carry one) keep their meaning. */
    @Test
    void theBritishSpellingOfAttentionRegularizationStillReads(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("old.yaml"), "training:\n  attentionRegularisation: 0.25\n");

        assertThat(TrainingRecipe.load(file, List.of()).training().attentionRegularization()).isEqualTo(0.25);
    }

    @Test
    void savedYamlLoadsToTheSameRecipe(@TempDir Path dir) throws IOException {
        TrainingRecipe recipe = TrainingRecipe.load(null, List.of("model.hiddenDim=128"));
        Path saved = Files.writeString(dir.resolve("saved.yaml"), recipe.toYaml());

        assertThat(TrainingRecipe.load(saved, List.of()).toYaml()).isEqualTo(recipe.toYaml());
    }

    /** The example recipes of every family load and give that family's config; the default stays show-attend-tell. */
    @Test
    void theFamilyRecipesLoad() throws IOException {
        ModelConfig transformer = TrainingRecipe.load(Path.of("../recipes/flickr8k-transformer.yaml"), List.of())
                .modelConfig(100, 49, 1280);
        assertThat(transformer.family()).isEqualTo(ModelConfig.TRANSFORMER);
        assertThat(transformer.layers()).isEqualTo(2);
        assertThat(transformer.heads()).isEqualTo(4);
        TrainingRecipe showAndTell = TrainingRecipe.load(Path.of("../recipes/flickr8k-show-and-tell.yaml"), List.of());
        assertThat(showAndTell.modelConfig(100, 49, 1280).family()).isEqualTo(ModelConfig.SHOW_AND_TELL);
        assertThat(showAndTell.training().attentionRegularization()).isZero();
        ModelConfig sat = TrainingRecipe.load(Path.of("../recipes/flickr8k-sat.yaml"), List.of()).modelConfig(100, 49, 1280);
        assertThat(sat).isEqualTo(new ModelConfig(ModelConfig.SHOW_ATTEND_TELL, ModelConfig.GRU, 100, 49, 1280, 256, 512,
                256, 0.5));
        // Family keys can be set from the command line, GloVe embeddings as a flow mapping.
        ModelConfig set = TrainingRecipe.load(null, List.of("model.family=transformer", "model.heads=8",
                "model.embeddings={file: glove.txt, trainable: true}")).modelConfig(100, 49, 1280);
        assertThat(set.heads()).isEqualTo(8);
        assertThat(set.embeddings()).isEqualTo(new ModelConfig.PretrainedEmbeddings("glove.txt", true));
        assertThatThrownBy(() -> TrainingRecipe.load(null, List.of("model.family=resnet")).modelConfig(5, 4, 8))
                .hasMessageContaining("unknown model family 'resnet'").hasMessageContaining("transformer");
    }

    @Test
    void mistakesAreNamed(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> TrainingRecipe.load(null, List.of("training.epoch=3")))
                .hasMessageContaining("unknown key 'epoch'").hasMessageContaining("epochs");
        assertThatThrownBy(() -> TrainingRecipe.load(null, List.of("trainin.epochs=3"))).hasMessageContaining("no section 'trainin'");
        assertThatThrownBy(() -> TrainingRecipe.load(null, List.of("epochs"))).hasMessageContaining("not section.key=value");
        assertThatThrownBy(() -> TrainingRecipe.load(null, List.of("training.epochs=0"))).hasMessageContaining("invalid recipe")
                .hasMessageContaining("training.epochs must be at least 1, got 0");
        Path badDecay = Files.writeString(dir.resolve("decay.yaml"), "training:\n  decay: 1.5\n");
        assertThatThrownBy(() -> TrainingRecipe.load(badDecay, List.of())).hasMessageContaining("decay.yaml")
                .hasMessageContaining("training.decay must be in (0, 1], got 1.5");
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "training: [unclosed");
        assertThatThrownBy(() -> TrainingRecipe.load(broken, List.of())).hasMessageContaining("broken.yaml");
        assertThatThrownBy(() -> TrainingRecipe.load(null, List.of("model.rnn=transistor")).modelConfig(5, 4, 8))
                .hasMessageContaining("rnn must be gru or lstm");
    }
}
