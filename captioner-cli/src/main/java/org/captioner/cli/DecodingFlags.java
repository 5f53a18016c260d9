package org.captioner.cli;

import org.captioner.decode.DecodingOptions;
import picocli.CommandLine.Option;

/**
 * Decoding flags shared by the commands that caption; unset flags keep the bundle's defaults. The ranges are
 * {@link DecodingOptions}'s, so a bundle, the command line and the HTTP API accept the same values.
 */
final class DecodingFlags implements CheckedOptions {
    @Option(names = "--strategy", paramLabel = "GREEDY|BEAM|SAMPLE", description = "Decoding strategy (default: the model's, usually BEAM).")
    DecodingOptions.Strategy strategy;

    @Within(min = 1, max = DecodingOptions.MAX_BEAM_WIDTH)
    @Option(names = "--beam", paramLabel = "WIDTH",
            description = "Beam width, from 1 to " + DecodingOptions.MAX_BEAM_WIDTH + " (implies --strategy BEAM unless given).")
    Integer beamWidth;

    @Within(min = 1, max = DecodingOptions.MAX_COUNT)
    @Option(names = "-n", paramLabel = "N",
            description = "Captions per image, from 1 to " + DecodingOptions.MAX_COUNT + ": the N best beams (at most --beam), or N samples.")
    Integer count;

    @Within(min = 1, max = DecodingOptions.MAX_LENGTH)
    @Option(names = "--max-length", paramLabel = "TOKENS", description = "Most tokens per caption, from 1 to " + DecodingOptions.MAX_LENGTH + ".")
    Integer maxLength;

    @Within(min = 0, max = DecodingOptions.MAX_LENGTH_PENALTY)
    @Option(names = "--length-penalty", paramLabel = "ALPHA",
            description = "GNMT length penalty for beam search, from 0 to 5 (0 = none).")
    Double lengthPenalty;

    @Within(min = 0, max = DecodingOptions.MAX_LENGTH)
    @Option(names = "--no-repeat-ngram", paramLabel = "N",
            description = "Never repeat an n-gram of this size, from 0 to " + DecodingOptions.MAX_LENGTH + " (0 = allow).")
    Integer noRepeatNgram;

    @Within(min = 0, aboveMin = true, max = DecodingOptions.MAX_TEMPERATURE)
    @Option(names = "--temperature", description = "Sampling temperature, above 0 and at most 5.")
    Double temperature;

    @Within(min = 0)
    @Option(names = "--top-k", description = "Sampling: only the k most probable words, 0 or more (0 = all).")
    Integer topK;

    @Within(min = 0, aboveMin = true, max = 1)
    @Option(names = "--top-p", description = "Sampling: nucleus mass, above 0 and at most 1 (1 = all).")
    Double topP;

    @Option(names = "--sample-seed", description = "Seed of sampling (any whole number).")
    Long seed;

    @Override
    public void check() {
        if (strategy == DecodingOptions.Strategy.GREEDY && count != null && count > 1) {
            throw new IllegalArgumentException("-n must be 1 with --strategy GREEDY: greedy decoding yields one caption");
        }
        if (beamWidth != null && count != null && count > beamWidth && strategy != DecodingOptions.Strategy.SAMPLE) {
            throw new IllegalArgumentException("-n (" + count + ") cannot exceed --beam (" + beamWidth
                    + "): the captions are the best N beams");
        }
    }

    /** The model's defaults with the flags given on the command line applied; -n alone widens the model's beam. */
    DecodingOptions over(DecodingOptions defaults) {
        DecodingOptions.Strategy chosen = strategy != null ? strategy
                : beamWidth != null ? DecodingOptions.Strategy.BEAM
                : temperature != null || topK != null || topP != null ? DecodingOptions.Strategy.SAMPLE
                : defaults.strategy();
        int beam = chosen == DecodingOptions.Strategy.BEAM ? or(beamWidth, defaults.beamWidth()) : 1;
        int captions = or(count, chosen == DecodingOptions.Strategy.GREEDY ? 1 : defaults.count());
        return new DecodingOptions(chosen, Math.max(beam, chosen == DecodingOptions.Strategy.BEAM ? captions : 1),
                or(lengthPenalty, defaults.lengthPenalty()), or(maxLength, defaults.maxLength()),
                or(noRepeatNgram, defaults.noRepeatNgramSize()), or(temperature, defaults.temperature()),
                or(topK, defaults.topK()), or(topP, defaults.topP()), captions, or(seed, defaults.seed()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
