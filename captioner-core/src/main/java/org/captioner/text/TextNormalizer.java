package org.captioner.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a raw caption into the word tokens the vocabulary counts.
 *
 * <p>Punctuation is dropped, except inside words: {@code man's} and {@code t-shirt} stay one token, which
 * keeps generated captions readable and lets the evaluation tokenizer split them as it does references.
 *
 * @param lowerCase         lower-case everything (the usual choice)
 * @param dropNonAlphabetic drop tokens with digits or inner punctuation (as some tutorials do)
 * @param dropSingleLetters drop one-letter tokens such as "a" (as the Caption-IT tutorial does)
 */
public record TextNormalizer(boolean lowerCase, boolean dropNonAlphabetic, boolean dropSingleLetters) {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’-][\\p{L}\\p{N}]+)*");
    private static final Pattern ALPHABETIC = Pattern.compile("\\p{L}+");

    public static TextNormalizer defaults() {
        return new TextNormalizer(true, false, false);
    }

    public List<String> tokens(String caption) {
        String text = lowerCase ? caption.toLowerCase(Locale.ROOT) : caption;
        List<String> tokens = new ArrayList<>();
        Matcher matcher = WORD.matcher(text);
        while (matcher.find()) {
            String token = matcher.group().replace('’', '\'');
            if (dropNonAlphabetic && !ALPHABETIC.matcher(token).matches()) {
                continue;
            }
            if (dropSingleLetters && token.length() == 1) {
                continue;
            }
            tokens.add(token);
        }
        return tokens;
    }
}
