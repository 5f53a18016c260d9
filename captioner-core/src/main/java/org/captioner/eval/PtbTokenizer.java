package org.captioner.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The COCO toolkit's tokenisation step in Java: Stanford PTBTokenizer (CoreNLP 3.4.1, {@code -preserveLines
 * -lowerCase}, default PTB3 options) followed by dropping the tokens of the toolkit's {@code PUNCTUATIONS} list.
 * <p>
 * The PTB rules implemented are the ones ordinary English captions exercise: punctuation split from words (commas
 * and colons inside numbers kept), sentence periods split except after acronyms ("u.s.") and common abbreviations
 * ("st.", "mr."), ellipses and dashes as tokens, contractions split ("don't" -> "do n't", "can't" -> "ca n't",
 * "it's" -> "it 's", "'re", "'ve", "'ll", "'d", "'m", "cannot", "gonna", "gotta", "wanna"), plural possessive
 * apostrophes split ("dogs'" -> "dogs '"), double quotes to {@code ``} / {@code ''} by position, single opening
 * quotes to {@code `}, brackets to {@code -LRB-}, {@code -RRB-}, {@code -LSB-}, {@code -RSB-}, {@code -LCB-},
 * {@code -RCB-}, "/" and "*" escaped with a backslash, and British spellings Americanised.
 * <p>
 * Kept toolkit quirk: {@code -lowerCase} lower-cases every token, brackets included, and the toolkit compares the
 * result with its upper-case {@code "-LRB-"} entries, so brackets survive evaluation as {@code -lrb-} / {@code -rrb-}.
 * Known divergences (rare in captions) are listed in docs/evaluation.md.
 */
public final class PtbTokenizer {
    /** The toolkit's {@code PUNCTUATIONS}, compared with the lower-cased tokens exactly as the toolkit does. */
    public static final Set<String> TOOLKIT_PUNCTUATIONS = Set.of(
            "''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-", ".", "?", "!", ",", ":", "-", "--", "...", ";");

    private static final Map<String, String> BRACKETS = Map.of(
            "(", "-LRB-", ")", "-RRB-", "[", "-LSB-", "]", "-RSB-", "{", "-LCB-", "}", "-RCB-");
    /** Chunks that are one token as they stand ("'n'" as in "rock 'n' roll"). */
    private static final Set<String> WHOLE_TOKENS = Set.of("...", "--", "``", "''", "`", "'", ".", "'n'");
    /** Whole words PTB splits in two. */
    private static final Map<String, Integer> SPLIT_WORDS = Map.of(
            "cannot", 3, "gonna", 3, "gotta", 3, "wanna", 3, "lemme", 3, "gimme", 3, "'tis", 2, "'twas", 2);
    /** Contraction suffixes split off a word, longest first so "n't" wins over a bare "t". */
    private static final List<String> CONTRACTION_SUFFIXES = List.of("n't", "'re", "'ve", "'ll", "'s", "'d", "'m");
    /** Words whose final period belongs to the word. */
    private static final Set<String> ABBREVIATIONS = Set.of(
            "mr.", "mrs.", "ms.", "dr.", "st.", "jr.", "sr.", "mt.", "ft.", "vs.", "etc.", "inc.", "co.", "ltd.");
    /** "u.s.", "d.c." and capital initials like "J.". */
    private static final Pattern ACRONYM_OR_INITIAL = Pattern.compile("\\p{L}(\\.\\p{L})+\\.|\\p{Lu}\\.");
    private static final Pattern OPENING_DOUBLE_QUOTE = Pattern.compile("(^|[\\s(\\[{<])\"");
    private static final Pattern COMMA_OR_COLON_OUTSIDE_NUMBER = Pattern.compile("(?<!\\d)[,:]|[,:](?!\\d)");
    private static final Pattern ALWAYS_SEPARATE = Pattern.compile("[;?!%$#()\\[\\]{}]");

    private PtbTokenizer() {
    }

    /** What the toolkit hands to its scorers for one caption: PTB tokens, lower-cased, punctuation dropped. */
    public static String normalizeCaption(String caption) {
        return tokenize(caption).stream()
                .map(token -> token.toLowerCase(Locale.ENGLISH))
                .filter(token -> !TOOLKIT_PUNCTUATIONS.contains(token))
                .collect(Collectors.joining(" "));
    }

    /** PTB tokens of {@code text}, original case, PTB escapes applied. */
    public static List<String> tokenize(String text) {
        String spaced = separatePunctuation(text);
        List<String> tokens = new ArrayList<>();
        for (String chunk : NGramCounts.whitespaceWords(spaced)) {
            addChunk(chunk, tokens);
        }
        return tokens;
    }

    /** Surrounds with spaces the characters that are tokens wherever they occur. */
    private static String separatePunctuation(String text) {
        String s = text.replace('\n', ' ')
                .replace('\u2019', '\'')
                .replace("\u2026", " ... ")
                .replace("\u2014", " -- ").replace("\u2013", " -- ")
                .replace("\u201C", " `` ").replace("\u201D", " '' ").replace("\u2018", " ` ");
        s = OPENING_DOUBLE_QUOTE.matcher(s).replaceAll("$1 `` ");
        s = s.replace("\"", " '' ");
        s = s.replace("...", " ... ").replace("--", " -- ");
        s = COMMA_OR_COLON_OUTSIDE_NUMBER.matcher(s).replaceAll(" $0 ");
        return ALWAYS_SEPARATE.matcher(s).replaceAll(" $0 ");
    }

    /** Tokenises one whitespace-free chunk: edge quotes and periods, then contractions, then escapes. */
    private static void addChunk(String chunk, List<String> tokens) {
        String bracket = BRACKETS.get(chunk);
        if (bracket != null) {
            tokens.add(bracket);
            return;
        }
        if (WHOLE_TOKENS.contains(chunk.toLowerCase(Locale.ROOT))) {
            tokens.add(chunk);
            return;
        }
        String word = chunk;
        if (word.length() > 1 && word.startsWith("'") && !startsWithContractionOrNumber(word)) {
            tokens.add("`");
            word = word.substring(1);
        }
        List<String> trailing = new ArrayList<>();
        while (word.length() > 1) {
            if (word.endsWith("'") && !isContraction(word)) {
                trailing.add(0, "'");
                word = word.substring(0, word.length() - 1);
            } else if (word.endsWith(".") && !keepsPeriod(word)) {
                trailing.add(0, ".");
                word = word.substring(0, word.length() - 1);
            } else {
                break;
            }
        }
        addWord(word, tokens);
        tokens.addAll(trailing);
    }

    private static void addWord(String word, List<String> tokens) {
        String lower = word.toLowerCase(Locale.ROOT);
        Integer splitAt = SPLIT_WORDS.get(lower);
        if (splitAt != null) {
            tokens.add(word.substring(0, splitAt));
            tokens.add(word.substring(splitAt));
            return;
        }
        for (String suffix : CONTRACTION_SUFFIXES) {
            if (lower.endsWith(suffix) && lower.length() > suffix.length()) {
                int cut = word.length() - suffix.length();
                tokens.add(escape(word.substring(0, cut)));
                tokens.add(word.substring(cut));
                return;
            }
        }
        tokens.add(escape(Americanize.americanize(word)));
    }

    private static boolean isContraction(String word) {
        return word.length() > 1 && CONTRACTION_SUFFIXES.contains(word.toLowerCase(Locale.ROOT));
    }

    /** "'s", "'re", ..., "'tis", "'90s": a leading apostrophe that is not an opening quote. */
    private static boolean startsWithContractionOrNumber(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        return isContraction(lower) || SPLIT_WORDS.containsKey(lower) || lower.equals("'em") || lower.equals("'n'")
                || Character.isDigit(lower.charAt(1));
    }

    private static boolean keepsPeriod(String word) {
        return ACRONYM_OR_INITIAL.matcher(word).matches() || ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT));
    }

    /** PTB3 escapes "/" and "*" (a Lisp-reader convention of the original treebank). */
    private static String escape(String word) {
        return word.replace("/", "\\/").replace("*", "\\*");
    }
}
