package org.captioner.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PtbTokenizerTest {

    @Test
    void lowerCasesAndDropsTheToolkitPunctuation() {
        assertThat(PtbTokenizer.normalizeCaption("A Dog runs, jumps; and barks: \"Woof!\" -- or does it?"))
                .isEqualTo("a dog runs jumps and barks woof or does it");
        assertThat(PtbTokenizer.normalizeCaption("A man in a red shirt ...")).isEqualTo("a man in a red shirt");
        assertThat(PtbTokenizer.normalizeCaption("Two dogs play.")).isEqualTo("two dogs play");
    }

    @Test
    void splitsContractionsAsPennTreebankDoes() {
        assertThat(PtbTokenizer.tokenize("The dog's ball isn't red and they're happy"))
                .containsExactly("The", "dog", "'s", "ball", "is", "n't", "red", "and", "they", "'re", "happy");
        assertThat(PtbTokenizer.tokenize("I can't, we won't, you cannot, they'll, I'm, we've, he'd"))
                .containsExactly("I", "ca", "n't", ",", "we", "wo", "n't", ",", "you", "can", "not", ",", "they",
                        "'ll", ",", "I", "'m", ",", "we", "'ve", ",", "he", "'d");
        assertThat(PtbTokenizer.tokenize("the girls' dresses")).containsExactly("the", "girls", "'", "dresses");
        assertThat(PtbTokenizer.tokenize("Don\u2019t")).containsExactly("Do", "n't");
    }

    @Test
    void contractionPiecesSurviveThePunctuationFilter() {
        // "'s" and "n't" are not in the toolkit's list; a bare closing quote "'" is.
        assertThat(PtbTokenizer.normalizeCaption("A girl's dog doesn't sit on the boys' bench"))
                .isEqualTo("a girl 's dog does n't sit on the boys bench");
    }

    @Test
    void turnsQuotesIntoLatexStyleByPosition() {
        assertThat(PtbTokenizer.tokenize("a sign reading \"stop\" here"))
                .containsExactly("a", "sign", "reading", "``", "stop", "''", "here");
        assertThat(PtbTokenizer.tokenize("a \u201Cfancy\u201D sign")).containsExactly("a", "``", "fancy", "''", "sign");
        assertThat(PtbTokenizer.tokenize("a 'quoted' word")).containsExactly("a", "`", "quoted", "'", "word");
    }

    @Test
    void escapesBracketsAndKeepsTheToolkitQuirkOfLowerCasedBrackets() {
        assertThat(PtbTokenizer.tokenize("a dog (brown) [big] {x}"))
                .containsExactly("a", "dog", "-LRB-", "brown", "-RRB-", "-LSB-", "big", "-RSB-", "-LCB-", "x", "-RCB-");
        // -lowerCase turns -LRB- into -lrb-, which the toolkit's upper-case PUNCTUATIONS entry no longer matches.
        assertThat(PtbTokenizer.normalizeCaption("a dog (brown)")).isEqualTo("a dog -lrb- brown -rrb-");
    }

    @Test
    void keepsNumbersHyphenatedWordsAndAbbreviationsTogether() {
        assertThat(PtbTokenizer.tokenize("1,000 people at 10:30 in a t-shirt on St. Louis street in the U.S."))
                .containsExactly("1,000", "people", "at", "10:30", "in", "a", "t-shirt", "on", "St.", "Louis",
                        "street", "in", "the", "U.S.");
        assertThat(PtbTokenizer.tokenize("it costs $5 or 50%")).containsExactly("it", "costs", "$", "5", "or", "50", "%");
    }

    @Test
    void keepsSlashesAndBritishSpellingsAsCoreNlp341DoesByDefault() {
        // americanize and escapeForwardSlashAsterisk are off by default in the 3.4.1 lexer the toolkit runs.
        assertThat(PtbTokenizer.normalizeCaption("a black/white dog")).isEqualTo("a black/white dog");
        assertThat(PtbTokenizer.normalizeCaption("a grey dog in a colourful centre")).isEqualTo("a grey dog in a colourful centre");
    }

    @Test
    void followsTheLexersLongestMatchForUrlsTimesAbbreviationsAndEmoticons() {
        assertThat(PtbTokenizer.tokenize("see http://example.org/a?b=1 at 6:55 on Sunset Blvd. now :)"))
                .containsExactly("see", "http://example.org/a?b=1", "at", "6:55", "on", "Sunset", "Blvd.", "now", ":-RRB-");
        // An initial before a sentence start loses its period; "blvd." before a capital repeats it as a sentence end.
        assertThat(PtbTokenizer.tokenize("letter A. The end")).containsExactly("letter", "A", ".", "The", "end");
        assertThat(PtbTokenizer.tokenize("Main Blvd. The end")).containsExactly("Main", "Blvd.", ".", "The", "end");
        assertThat(PtbTokenizer.tokenize("Tom &amp; Jerry cost 99\u00A2")).containsExactly("Tom", "&", "Jerry", "cost", "99", "cents");
    }

    @Test
    void emptyAndPunctuationOnlyCaptionsBecomeEmpty() {
        assertThat(PtbTokenizer.normalizeCaption("")).isEmpty();
        assertThat(PtbTokenizer.normalizeCaption(" . , ! ")).isEmpty();
    }
}
