package org.captioner.text;

import java.util.Set;

/** The reserved token ids every vocabulary starts with, in this order. */
public final class SpecialTokens {
    public static final int PAD = 0;
    public static final int START = 1;
    public static final int END = 2;
    public static final int UNKNOWN = 3;
    public static final int COUNT = 4;

    public static final String PAD_TOKEN = "<pad>";
    public static final String START_TOKEN = "<start>";
    public static final String END_TOKEN = "<end>";
    public static final String UNKNOWN_TOKEN = "<unk>";

    /**
     * Tokens no generated caption contains, in decoding and in self-critical sampling alike: {@code <unk>} (the
     * model's best real word says more than "unknown word"), PAD and START. END is generated: it closes a caption.
     */
    public static final Set<Integer> NEVER_GENERATED = Set.of(PAD, START, UNKNOWN);

    private SpecialTokens() {
    }
}
