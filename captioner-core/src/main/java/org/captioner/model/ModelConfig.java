package org.captioner.model;

import java.util.Locale;

/**
 * Everything needed to rebuild a caption model's architecture; stored as {@code model.json} beside the weights.
 *
 * @param family          which architecture; {@value #SHOW_ATTEND_TELL} is the only one so far
 * @param rnn             recurrent cell of the decoder: {@code gru} or {@code lstm}
 * @param vocabSize       output vocabulary size, special tokens included
 * @param regions         regions per image (e.g. 49 for a 7x7 grid)
 * @param featureChannels channels per region (e.g. 1280 for MobileNetV2)
 * @param embedDim        word embedding size, also the size the encoder projects regions to
 * @param hiddenDim       recurrent state size
 * @param attentionDim    size of the additive attention's hidden layer
 * @param dropout         dropout rate before the vocabulary projection, applied in training only
 */
public record ModelConfig(String family, String rnn, int vocabSize, int regions, int featureChannels,
                          int embedDim, int hiddenDim, int attentionDim, double dropout) {
    public static final String SHOW_ATTEND_TELL = "show-attend-tell";
    public static final String GRU = "gru";
    public static final String LSTM = "lstm";

    public ModelConfig {
        family = family == null ? SHOW_ATTEND_TELL : family.toLowerCase(Locale.ROOT);
        rnn = rnn == null ? GRU : rnn.toLowerCase(Locale.ROOT);
        if (!rnn.equals(GRU) && !rnn.equals(LSTM)) {
            throw new IllegalArgumentException("rnn must be gru or lstm, not '" + rnn + "'");
        }
        requirePositive("vocabSize", vocabSize);
        requirePositive("regions", regions);
        requirePositive("featureChannels", featureChannels);
        requirePositive("embedDim", embedDim);
        requirePositive("hiddenDim", hiddenDim);
        requirePositive("attentionDim", attentionDim);
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1), not " + dropout);
        }
    }

    /** The defaults of the TensorFlow visual-attention tutorial, sized for the given data. */
    public static ModelConfig showAttendTell(int vocabSize, int regions, int featureChannels) {
        return new ModelConfig(SHOW_ATTEND_TELL, GRU, vocabSize, regions, featureChannels, 256, 512, 512, 0.3);
    }

    public ModelConfig withRnn(String cell) {
        return new ModelConfig(family, cell, vocabSize, regions, featureChannels, embedDim, hiddenDim, attentionDim, dropout);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
    }
}
