package org.captioner.text;

import org.captioner.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Word <-> id mapping. Ids 0..3 are the {@link SpecialTokens}; words follow by descending training count,
 * ties in alphabetical order, so the same captions always give the same vocabulary.
 *
 * <p>On disk ({@code vocab.tsv}): a header line {@value #HEADER}, then {@code id<TAB>token<TAB>count} a line.
 */
public final class Vocabulary {
    static final String HEADER = "# captioner-vocabulary v1";
    private static final List<String> SPECIALS = List.of(SpecialTokens.PAD_TOKEN, SpecialTokens.START_TOKEN,
            SpecialTokens.END_TOKEN, SpecialTokens.UNKNOWN_TOKEN);

    private final List<String> words;
    private final long[] counts;
    private final Map<String, Integer> ids = new HashMap<>();

    private Vocabulary(List<String> words, long[] counts) {
        this.words = List.copyOf(words);
        this.counts = counts;
        for (int id = 0; id < words.size(); id++) {
            ids.put(words.get(id), id);
        }
    }

    /**
     * Builds a vocabulary from tokenized training captions.
     *
     * @param maxWords keep at most this many words besides the special tokens (0 = no limit)
     * @param minCount keep only words seen at least this often
     */
    public static Vocabulary build(Iterable<List<String>> captions, int maxWords, int minCount) {
        Map<String, Long> frequency = new HashMap<>();
        for (List<String> caption : captions) {
            for (String token : caption) {
                frequency.merge(token, 1L, Long::sum);
            }
        }
        SPECIALS.forEach(frequency::remove);
        List<Map.Entry<String, Long>> kept = new ArrayList<>(frequency.entrySet());
        kept.removeIf(entry -> entry.getValue() < minCount);
        kept.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        if (maxWords > 0 && kept.size() > maxWords) {
            kept = kept.subList(0, maxWords);
        }
        List<String> words = new ArrayList<>(SPECIALS);
        long[] counts = new long[SPECIALS.size() + kept.size()];
        for (Map.Entry<String, Long> entry : kept) {
            counts[words.size()] = entry.getValue();
            words.add(entry.getKey());
        }
        return new Vocabulary(words, counts);
    }

    public int size() {
        return words.size();
    }

    public int id(String word) {
        return ids.getOrDefault(word, SpecialTokens.UNKNOWN);
    }

    public String word(int id) {
        return words.get(id);
    }

    public boolean contains(String word) {
        return ids.containsKey(word);
    }

    /** How often the word was seen in the training captions (0 for special tokens). */
    public long count(int id) {
        return counts[id];
    }

    /**
     * {@code <start> w1 .. wn <end>}, truncated to {@code maxLength} ids in all (the end token is kept), unpadded.
     */
    public int[] encode(List<String> tokens, int maxLength) {
        if (maxLength < 3) {
            throw new IllegalArgumentException("maxLength must leave room for <start>, a word and <end>: " + maxLength);
        }
        int wordCount = Math.min(tokens.size(), maxLength - 2);
        int[] encoded = new int[wordCount + 2];
        encoded[0] = SpecialTokens.START;
        for (int i = 0; i < wordCount; i++) {
            encoded[i + 1] = id(tokens.get(i));
        }
        encoded[wordCount + 1] = SpecialTokens.END;
        return encoded;
    }

    /** Right-pads (or cuts) ids to {@code length} with {@link SpecialTokens#PAD}. */
    public static int[] pad(int[] ids, int length) {
        int[] padded = Arrays.copyOf(ids, length);
        if (length > ids.length) {
            Arrays.fill(padded, ids.length, length, SpecialTokens.PAD);
        }
        return padded;
    }

    /** The words of {@code ids}, up to the first end token, leaving out start and padding. */
    public List<String> decodeTokens(int[] ids) {
        List<String> tokens = new ArrayList<>();
        for (int id : ids) {
            if (id == SpecialTokens.END) {
                break;
            }
            if (id != SpecialTokens.START && id != SpecialTokens.PAD) {
                tokens.add(word(id));
            }
        }
        return tokens;
    }

    public String decode(int[] ids) {
        return String.join(" ", decodeTokens(ids));
    }

    public void save(Path file) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (int id = 0; id < words.size(); id++) {
            text.append(id).append('\t').append(words.get(id)).append('\t').append(counts[id]).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }

    public static Vocabulary load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + ":1: not a captioner vocabulary (expected header '" + HEADER + "')");
        }
        List<String> words = new ArrayList<>();
        long[] counts = new long[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String[] fields = lines.get(i).split("\t", -1);
            if (fields.length != 3 || !fields[0].equals(Integer.toString(i - 1))) {
                throw new IOException(file + ":" + (i + 1) + ": expected '" + (i - 1) + "<TAB>token<TAB>count'");
            }
            words.add(fields[1]);
            try {
                counts[i - 1] = Long.parseLong(fields[2]);
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": count is not a number: '" + fields[2] + "'");
            }
        }
        if (words.size() < SPECIALS.size() || !words.subList(0, SPECIALS.size()).equals(SPECIALS)) {
            throw new IOException(file + ": the first ids must be the special tokens " + SPECIALS);
        }
        return new Vocabulary(words, counts);
    }

    public List<String> words() {
        return Collections.unmodifiableList(words);
    }
}
