package org.captioner.model;

import java.util.List;

/** Tiny configs of every model family, for mechanical tests that run in seconds. */
public final class TinyConfigs {
    private TinyConfigs() {
    }

    /** One config per family (show-attend-tell with a GRU, show-and-tell with an LSTM) of the given sizes. */
    public static List<ModelConfig> all(int vocab, int regions, int channels, int embed, int hidden, double dropout) {
        return List.of(
                new ModelConfig(ModelConfig.SHOW_ATTEND_TELL, ModelConfig.GRU, vocab, regions, channels, embed, hidden,
                        embed, dropout),
                new ModelConfig(ModelConfig.TRANSFORMER, null, vocab, regions, channels, embed, hidden, embed, dropout,
                        2, 2, 24, null),
                new ModelConfig(ModelConfig.SHOW_AND_TELL, ModelConfig.LSTM, vocab, regions, channels, embed, hidden,
                        embed, dropout));
    }
}
