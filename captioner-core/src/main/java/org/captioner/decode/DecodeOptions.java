package org.captioner.decode;

/**
 * How to turn a model into captions.
 *
 * @param strategy          greedy, beam search or sampling
 * @param beamWidth         hypotheses kept per image (beam search)
 * @param lengthPenalty     GNMT alpha: finished beams are ranked by {@code logP / ((5 + length) / 6)^alpha},
 *                          length counting END; 0 ranks by raw log-probability, larger values favour longer captions
 * @param maxLength         most tokens generated per caption, END included; captions cut there have no END
 * @param noRepeatNgramSize if positive, never produce an n-gram of this size twice in a caption
 * @param temperature       sampling: divides log-probabilities before normalising
 * @param topK              sampling: only the k most probable tokens (0 = all)
 * @param topP              sampling: only the smallest set of most probable tokens reaching this mass (1 = all)
 * @param count             captions per image: the best {@code count} beams ({@code <= beamWidth}) or independent samples
 * @param seed              sampling: seeds the draws, so equal options give equal captions
 */
public record DecodeOptions(Strategy strategy, int beamWidth, double lengthPenalty, int maxLength,
                            int noRepeatNgramSize, double temperature, int topK, double topP, int count, long seed) {

    public enum Strategy { GREEDY, BEAM, SAMPLE }

    public DecodeOptions {
        if (beamWidth < 1 || maxLength < 1 || count < 1 || noRepeatNgramSize < 0 || topK < 0) {
            throw new IllegalArgumentException("beamWidth, maxLength and count must be positive; "
                    + "noRepeatNgramSize and topK not negative");
        }
        if (strategy == Strategy.GREEDY && count != 1) {
            throw new IllegalArgumentException("greedy decoding yields one caption per image");
        }
        if (strategy == Strategy.BEAM && count > beamWidth) {
            throw new IllegalArgumentException("count " + count + " exceeds beam width " + beamWidth);
        }
        if (!(temperature > 0) || !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("temperature must be positive and topP in (0, 1]");
        }
    }

    public static DecodeOptions greedy(int maxLength) {
        return new DecodeOptions(Strategy.GREEDY, 1, 0, maxLength, 0, 1, 0, 1, 1, 0);
    }

    public static DecodeOptions beam(int beamWidth, int maxLength) {
        return new DecodeOptions(Strategy.BEAM, beamWidth, 0, maxLength, 0, 1, 0, 1, 1, 0);
    }

    public static DecodeOptions sample(double temperature, int topK, double topP, int maxLength, long seed) {
        return new DecodeOptions(Strategy.SAMPLE, 1, 0, maxLength, 0, temperature, topK, topP, 1, seed);
    }

    public DecodeOptions withCount(int captions) {
        return new DecodeOptions(strategy, beamWidth, lengthPenalty, maxLength, noRepeatNgramSize, temperature, topK,
                topP, captions, seed);
    }

    public DecodeOptions withLengthPenalty(double alpha) {
        return new DecodeOptions(strategy, beamWidth, alpha, maxLength, noRepeatNgramSize, temperature, topK, topP,
                count, seed);
    }

    public DecodeOptions withNoRepeatNgramSize(int size) {
        return new DecodeOptions(strategy, beamWidth, lengthPenalty, maxLength, size, temperature, topK, topP, count,
                seed);
    }
}
