package org.captioner.decode;

/**
 * How to turn a model into captions.
 *
 * @param strategy          greedy, beam search or sampling
 * @param beamWidth         hypotheses kept per image (beam search)
 * @param lengthPenalty     GNMT alpha: finished beams are ranked by {@code logP / ((5 + length) / 6)^alpha},
 *                          length counting END; 0 ranks by raw log-probability, larger values favor longer captions
 * @param maxLength         most tokens generated per caption, END included; captions cut there have no END
 * @param noRepeatNgramSize if positive, never produce an n-gram of this size twice in a caption
 * @param temperature       sampling: divides log-probabilities before normalizing
 * @param topK              sampling: only the k most probable tokens (0 = all)
 * @param topP              sampling: only the smallest set of most probable tokens reaching this mass (1 = all)
 * @param count             captions per image: the best {@code count} beams ({@code <= beamWidth}) or independent samples
 * @param seed              sampling: seeds the draws, so equal options give equal captions
 */
public record DecodingOptions(Strategy strategy, int beamWidth, double lengthPenalty, int maxLength,
                              int noRepeatNgramSize, double temperature, int topK, double topP, int count, long seed) {

    public enum Strategy { GREEDY, BEAM, SAMPLE }

    /*
     * The ranges of the options, shared by bundles, the command line and the HTTP API (which may allow less).
     * They bound the work one decode can ask for: rows = images x beams (or samples), each kept up to maxLength steps.
     */
    public static final int MAX_BEAM_WIDTH = 20;
    /** Captions per image: at most as many as the widest beam. */
    public static final int MAX_COUNT = MAX_BEAM_WIDTH;
    public static final int MAX_LENGTH = 100;
    public static final double MAX_LENGTH_PENALTY = 5;
    public static final double MAX_TEMPERATURE = 5;

    public DecodingOptions {
        if (strategy == null) {
            throw new IllegalArgumentException("strategy must be one of GREEDY, BEAM, SAMPLE");
        }
        requireWithin("beamWidth", beamWidth, 1, MAX_BEAM_WIDTH);
        requireWithin("count", count, 1, MAX_COUNT);
        requireWithin("maxLength", maxLength, 1, MAX_LENGTH);
        requireWithin("noRepeatNgramSize", noRepeatNgramSize, 0, MAX_LENGTH);
        requireWithin("topK", topK, 0, Integer.MAX_VALUE);
        if (!(lengthPenalty >= 0 && lengthPenalty <= MAX_LENGTH_PENALTY)) {
            throw new IllegalArgumentException("lengthPenalty must be from 0 to " + MAX_LENGTH_PENALTY + ", not " + lengthPenalty);
        }
        if (!(temperature > 0 && temperature <= MAX_TEMPERATURE)) {
            throw new IllegalArgumentException("temperature must be above 0 and at most " + MAX_TEMPERATURE + ", not " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be above 0 and at most 1, not " + topP);
        }
        if (strategy == Strategy.GREEDY && count != 1) {
            throw new IllegalArgumentException("greedy decoding yields one caption per image, not " + count);
        }
        if (strategy == Strategy.BEAM && count > beamWidth) {
            throw new IllegalArgumentException("count " + count + " exceeds beam width " + beamWidth);
        }
    }

    private static void requireWithin(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be "
                    + (max == Integer.MAX_VALUE ? min + " or more" : "from " + min + " to " + max) + ", not " + value);
        }
    }

    public static DecodingOptions greedy(int maxLength) {
        return new DecodingOptions(Strategy.GREEDY, 1, 0, maxLength, 0, 1, 0, 1, 1, 0);
    }

    public static DecodingOptions beam(int beamWidth, int maxLength) {
        return new DecodingOptions(Strategy.BEAM, beamWidth, 0, maxLength, 0, 1, 0, 1, 1, 0);
    }

    public static DecodingOptions sample(double temperature, int topK, double topP, int maxLength, long seed) {
        return new DecodingOptions(Strategy.SAMPLE, 1, 0, maxLength, 0, temperature, topK, topP, 1, seed);
    }

    public DecodingOptions withCount(int captions) {
        return new DecodingOptions(strategy, beamWidth, lengthPenalty, maxLength, noRepeatNgramSize, temperature, topK,
                topP, captions, seed);
    }

    public DecodingOptions withLengthPenalty(double alpha) {
        return new DecodingOptions(strategy, beamWidth, alpha, maxLength, noRepeatNgramSize, temperature, topK, topP,
                count, seed);
    }

    public DecodingOptions withNoRepeatNgramSize(int size) {
        return new DecodingOptions(strategy, beamWidth, lengthPenalty, maxLength, size, temperature, topK, topP, count,
                seed);
    }
}
