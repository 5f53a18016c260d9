package org.captioner.decode;

import java.util.HashSet;
import java.util.Set;

/** A partial caption as a persistent list (beams share prefixes): last token, its attention, the rest. */
final class Hypothesis {
    static final Hypothesis EMPTY = new Hypothesis(-1, null, null, 0);

    final int token;
    final float[] attention;
    final Hypothesis parent;
    final int length;
    final double logProbability;

    private Hypothesis(int token, float[] attention, Hypothesis parent, double logProbability) {
        this.token = token;
        this.attention = attention;
        this.parent = parent;
        this.length = parent == null ? 0 : parent.length + 1;
        this.logProbability = logProbability;
    }

    Hypothesis extend(int nextToken, float[] nextAttention, double tokenLogProbability) {
        return new Hypothesis(nextToken, nextAttention, this, logProbability + tokenLogProbability);
    }

    int[] tokens() {
        int[] tokens = new int[length];
        Hypothesis h = this;
        for (int i = length - 1; i >= 0; i--, h = h.parent) {
            tokens[i] = h.token;
        }
        return tokens;
    }

    /** Tokens that would repeat an n-gram already in this hypothesis. */
    Set<Integer> bannedByNgrams(int n) {
        Set<Integer> banned = new HashSet<>();
        if (n <= 0 || length < n - 1) {
            return banned;
        }
        int[] tokens = tokens();
        int prefixStart = length - (n - 1);
        for (int start = 0; start + n - 1 < length; start++) {
            boolean same = true;
            for (int i = 0; i < n - 1 && same; i++) {
                same = tokens[start + i] == tokens[prefixStart + i];
            }
            if (same) {
                banned.add(tokens[start + n - 1]);
            }
        }
        return banned;
    }

    /** The caption, dropping a final END from the tokens (its probability stays counted). */
    GeneratedCaption toCaption(int endToken) {
        boolean ended = length > 0 && token == endToken;
        int words = ended ? length - 1 : length;
        int[] all = tokens();
        int[] kept = new int[words];
        System.arraycopy(all, 0, kept, 0, words);
        float[][] weights = new float[words][];
        Hypothesis h = ended ? parent : this;
        boolean attended = true;
        for (int i = words - 1; i >= 0; i--, h = h.parent) {
            weights[i] = h.attention;
            attended &= h.attention != null;
        }
        // A model without attention gives no maps at all rather than a null per word.
        if (!attended) {
            weights = new float[0][];
        }
        return new GeneratedCaption(kept, logProbability, weights);
    }
}
