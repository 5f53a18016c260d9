package org.captioner.cli;

import org.captioner.decode.DecodeOptions;
import picocli.CommandLine.Option;

/** Decoding flags shared by the commands that caption; unset flags keep the bundle's defaults. */
final class DecodingOptions {
    @Option(names = "--strategy", paramLabel = "GREEDY|BEAM|SAMPLE", description = "Decoding strategy (default: the model's, usually BEAM).")
    DecodeOptions.Strategy strategy;

    @Option(names = "--beam", paramLabel = "WIDTH", description = "Beam width (implies --strategy BEAM unless given).")
    Integer beamWidth;

    @Option(names = "-n", paramLabel = "N", description = "Captions per image: the N best beams, or N samples.")
    Integer count;

    @Option(names = "--max-length", paramLabel = "TOKENS", description = "Most tokens per caption.")
    Integer maxLength;

    @Option(names = "--length-penalty", paramLabel = "ALPHA", description = "GNMT length penalty for beam search (0 = none).")
    Double lengthPenalty;

    @Option(names = "--no-repeat-ngram", paramLabel = "N", description = "Never repeat an n-gram of this size (0 = allow).")
    Integer noRepeatNgram;

    @Option(names = "--temperature", description = "Sampling temperature.")
    Double temperature;

    @Option(names = "--top-k", description = "Sampling: only the k most probable words (0 = all).")
    Integer topK;

    @Option(names = "--top-p", description = "Sampling: nucleus mass (1 = all).")
    Double topP;

    @Option(names = "--sample-seed", description = "Seed of sampling.")
    Long seed;

    /** The model's defaults with the flags given on the command line applied. */
    DecodeOptions over(DecodeOptions defaults) {
        DecodeOptions.Strategy chosen = strategy != null ? strategy
                : beamWidth != null ? DecodeOptions.Strategy.BEAM
                : temperature != null || topK != null || topP != null ? DecodeOptions.Strategy.SAMPLE
                : defaults.strategy();
        int beam = chosen == DecodeOptions.Strategy.BEAM ? or(beamWidth, defaults.beamWidth()) : 1;
        int captions = or(count, chosen == DecodeOptions.Strategy.GREEDY ? 1 : defaults.count());
        return new DecodeOptions(chosen, Math.max(beam, chosen == DecodeOptions.Strategy.BEAM ? captions : 1),
                or(lengthPenalty, defaults.lengthPenalty()), or(maxLength, defaults.maxLength()),
                or(noRepeatNgram, defaults.noRepeatNgramSize()), or(temperature, defaults.temperature()),
                or(topK, defaults.topK()), or(topP, defaults.topP()), captions, or(seed, defaults.seed()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
