package org.captioner.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Locale;

/**
 * Everything needed to rebuild a caption model's architecture; stored as {@code model.json} beside the weights.
 *
 * <p>The family-specific fields are nullable: a family that does not use one drops it (so show-attend-tell configs,
 * and their {@code model.json} files, stay exactly as they were), a family that uses it fills in its default.
 *
 * @param family          which architecture: {@value #SHOW_ATTEND_TELL}, {@value #TRANSFORMER} or
 *                        {@value #SHOW_AND_TELL}
 * @param rnn             recurrent cell of the decoder: {@code gru} or {@code lstm} (recurrent families only)
 * @param vocabSize       output vocabulary size, special tokens included
 * @param regions         regions per image (e.g. 49 for a 7x7 grid)
 * @param featureChannels channels per region (e.g. 1280 for MobileNetV2)
 * @param embedDim        word embedding size; show-attend-tell: also the encoder's output size; transformer: the
 *                        model width D
 * @param hiddenDim       recurrent state size; transformer: the feed-forward layers' inner size
 * @param attentionDim    size of show-attend-tell's additive attention's hidden layer (unused by the others)
 * @param dropout         dropout rate, applied in training only
 * @param layers          transformer: decoder layers (default {@value #DEFAULT_LAYERS}); null for other families
 * @param heads           transformer: attention heads, dividing {@code embedDim} (default {@value #DEFAULT_HEADS})
 * @param maxPositions    transformer: learned positions, the longest input it can decode (default
 *                        {@value #DEFAULT_MAX_POSITIONS})
 * @param embeddings      optional pre-trained word embeddings (GloVe text format) to start from; null = random
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelConfig(String family, String rnn, int vocabSize, int regions, int featureChannels,
                          int embedDim, int hiddenDim, int attentionDim, double dropout,
                          Integer layers, Integer heads, Integer maxPositions, PretrainedEmbeddings embeddings) {
    public static final String SHOW_ATTEND_TELL = "show-attend-tell";
    public static final String TRANSFORMER = "transformer";
    public static final String SHOW_AND_TELL = "show-and-tell";
    public static final List<String> FAMILIES = List.of(SHOW_ATTEND_TELL, TRANSFORMER, SHOW_AND_TELL);
    public static final String GRU = "gru";
    public static final String LSTM = "lstm";
    public static final int DEFAULT_LAYERS = 2;
    public static final int DEFAULT_HEADS = 4;
    public static final int DEFAULT_MAX_POSITIONS = 64;
    /*
     * Upper bounds of the sizes: far above any model trained here (vocabulary ~3,000, width 512), low enough that
     * every matrix stays under 2^31 values, so sizes never overflow the int arithmetic of the layers.
     */
    static final int MAX_VOCABULARY = 200_000;
    static final int MAX_REGIONS = 4096;
    static final int MAX_WIDTH = 8192;
    static final int MAX_LAYERS = 48;
    static final int MAX_HEADS = 128;
    static final int MAX_POSITIONS = 1024;

    /**
     * Word embeddings to initialize from: a GloVe-format text file ({@code word v1 v2 ...} per line) whose
     * dimension must equal {@code embedDim}. Read once, when a run creates the model (the weights carry them after).
     *
     * @param file      the text file
     * @param trainable whether training may change them (default false: frozen, as in the Caption-IT article)
     */
    public record PretrainedEmbeddings(String file, Boolean trainable) {
        public PretrainedEmbeddings {
            if (file == null || file.isBlank()) {
                throw new IllegalArgumentException("embeddings need a file (GloVe text format)");
            }
            trainable = trainable != null && trainable;
        }
    }

    @JsonCreator
    public ModelConfig {
        family = family == null ? SHOW_ATTEND_TELL : family.toLowerCase(Locale.ROOT);
        if (!FAMILIES.contains(family)) {
            throw new IllegalArgumentException(unknownFamily(family));
        }
        rnn = rnn == null ? GRU : rnn.toLowerCase(Locale.ROOT);
        if (!rnn.equals(GRU) && !rnn.equals(LSTM)) {
            throw new IllegalArgumentException("rnn must be gru or lstm, not '" + rnn + "'");
        }
        requireWithin("vocabSize", vocabSize, MAX_VOCABULARY);
        requireWithin("regions", regions, MAX_REGIONS);
        requireWithin("featureChannels", featureChannels, MAX_WIDTH);
        requireWithin("embedDim", embedDim, MAX_WIDTH);
        requireWithin("hiddenDim", hiddenDim, MAX_WIDTH);
        requireWithin("attentionDim", attentionDim, MAX_WIDTH);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), not " + dropout);
        }
        if (TRANSFORMER.equals(family)) {
            layers = layers == null ? DEFAULT_LAYERS : layers;
            heads = heads == null ? DEFAULT_HEADS : heads;
            maxPositions = maxPositions == null ? DEFAULT_MAX_POSITIONS : maxPositions;
            requireWithin("layers", layers, MAX_LAYERS);
            requireWithin("heads", heads, MAX_HEADS);
            requireWithin("maxPositions", maxPositions, MAX_POSITIONS);
            if (embedDim % heads != 0) {
                throw new IllegalArgumentException("embedDim " + embedDim + " must be a multiple of heads " + heads);
            }
        } else {
            layers = null;
            heads = null;
            maxPositions = null;
        }
    }

    /** A config without the transformer fields and pre-trained embeddings (as before there were other families). */
    public ModelConfig(String family, String rnn, int vocabSize, int regions, int featureChannels,
                       int embedDim, int hiddenDim, int attentionDim, double dropout) {
        this(family, rnn, vocabSize, regions, featureChannels, embedDim, hiddenDim, attentionDim, dropout,
                null, null, null, null);
    }

    static String unknownFamily(String family) {
        return "unknown model family '" + family + "': family must be one of " + String.join(", ", FAMILIES);
    }

    /** The defaults of the TensorFlow visual-attention tutorial, sized for the given data. */
    public static ModelConfig showAttendTell(int vocabSize, int regions, int featureChannels) {
        return new ModelConfig(SHOW_ATTEND_TELL, GRU, vocabSize, regions, featureChannels, 256, 512, 512, 0.3);
    }

    /** The Keras example's shape: D = 256, 2 decoder layers, 4 heads, feed-forward 512, dropout 0.1. */
    public static ModelConfig transformer(int vocabSize, int regions, int featureChannels) {
        return new ModelConfig(TRANSFORMER, GRU, vocabSize, regions, featureChannels, 256, 512, 512, 0.1,
                DEFAULT_LAYERS, DEFAULT_HEADS, DEFAULT_MAX_POSITIONS, null);
    }

    /** The Caption-IT merge model: embeddings, LSTM and image projection of 256, dropout 0.5. */
    public static ModelConfig showAndTell(int vocabSize, int regions, int featureChannels) {
        return new ModelConfig(SHOW_AND_TELL, LSTM, vocabSize, regions, featureChannels, 256, 256, 512, 0.5);
    }

    public ModelConfig withRnn(String cell) {
        return new ModelConfig(family, cell, vocabSize, regions, featureChannels, embedDim, hiddenDim, attentionDim,
                dropout, layers, heads, maxPositions, embeddings);
    }

    public ModelConfig withEmbeddings(PretrainedEmbeddings pretrained) {
        return new ModelConfig(family, rnn, vocabSize, regions, featureChannels, embedDim, hiddenDim, attentionDim,
                dropout, layers, heads, maxPositions, pretrained);
    }

    /** Whether the word embeddings are trained (false only for frozen pre-trained ones). */
    public boolean embeddingsTrainable() {
        return embeddings == null || embeddings.trainable();
    }

    private static void requireWithin(String name, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(name + " must be from 1 to " + max + ", not " + value);
        }
    }
}
