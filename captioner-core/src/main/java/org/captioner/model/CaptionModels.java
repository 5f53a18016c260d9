package org.captioner.model;

import ai.djl.ndarray.NDManager;
import org.captioner.text.SpecialTokens;
import org.captioner.text.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/** Builds and loads caption models by family; {@link ModelFiles} is the layout of a saved model. */
public final class CaptionModels {
    /** The word embedding table [V, E] every family names so, which pre-trained embeddings replace. */
    public static final String EMBEDDING = "embedding.weight";
    private static final int MISSING_EXAMPLES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(CaptionModels.class);

    private CaptionModels() {
    }

    /**
     * A freshly initialized model; {@code seed} fixes the initial weights. A config asking for pre-trained
     * embeddings needs the vocabulary: use {@link #create(ModelConfig, NDManager, long, Vocabulary)}.
     */
    public static CaptionModel create(ModelConfig config, NDManager parent, long seed) {
        if (config.embeddings() != null) {
            throw new IllegalArgumentException("the model config asks for pre-trained embeddings ("
                    + config.embeddings().file() + "): create the model with its vocabulary");
        }
        return build(config, parent, seed);
    }

    /**
     * A freshly initialized model whose word embeddings, if the config names a GloVe file, start from that file's
     * vectors for the vocabulary's words (the others keep their random values and are logged) and are frozen
     * unless the config makes them trainable.
     *
     * @param vocabulary the vocabulary the model's token ids come from; may be null without pre-trained embeddings
     * @throws IOException if the GloVe file cannot be read, has another dimension than {@code embedDim} or a
     *                     malformed line
     */
    public static CaptionModel create(ModelConfig config, NDManager parent, long seed, Vocabulary vocabulary)
            throws IOException {
        CaptionModel model = build(config, parent, seed);
        if (config.embeddings() == null) {
            return model;
        }
        try {
            if (vocabulary == null || vocabulary.size() != config.vocabSize()) {
                throw new IllegalArgumentException("pre-trained embeddings need the model's vocabulary of "
                        + config.vocabSize() + " tokens");
            }
            Path file = Path.of(config.embeddings().file());
            GloveEmbeddings glove = GloveEmbeddings.read(file, vocabulary, config.embedDim());
            ParameterSet parameters = model.parameters();
            parameters.assign(EMBEDDING, glove.over(parameters.tensors().get(EMBEDDING).toFloatArray()));
            int words = vocabulary.size() - SpecialTokens.COUNT;
            LOG.info("word embeddings from {}: {} of {} words found ({})", file, glove.foundCount(), words,
                    config.embeddingsTrainable() ? "trainable" : "frozen");
            if (!glove.missing().isEmpty()) {
                LOG.warn("{} vocabulary words are not in {} and keep random embeddings, e.g. {}", glove.missing().size(),
                        file, glove.missing().subList(0, Math.min(MISSING_EXAMPLES, glove.missing().size())));
            }
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static CaptionModel build(ModelConfig config, NDManager parent, long seed) {
        CaptionModel model = switch (config.family()) {
            case ModelConfig.SHOW_ATTEND_TELL -> new ShowAttendTell(config, parent, seed);
            case ModelConfig.TRANSFORMER -> new Transformer(config, parent, seed);
            case ModelConfig.SHOW_AND_TELL -> new ShowAndTell(config, parent, seed);
            default -> throw new IllegalArgumentException(ModelConfig.unknownFamily(config.family()));
        };
        if (!config.embeddingsTrainable()) {
            model.parameters().freeze(EMBEDDING);
        }
        return model;
    }

    /** Loads a model saved with {@link CaptionModel#save}; float16 weights come back as float32. */
    public static CaptionModel load(Path directory, NDManager parent) throws IOException {
        CaptionModel model = build(ModelFiles.readConfig(directory), parent, 0);
        try {
            model.parameters().load(directory.resolve(ModelFiles.WEIGHTS_FILE));
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
