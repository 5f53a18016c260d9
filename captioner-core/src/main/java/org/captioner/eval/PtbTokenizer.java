package org.captioner.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The COCO toolkit's tokenization step in Java: Stanford CoreNLP 3.4.1's {@code PTBTokenizer -preserveLines
 * -lowerCase} followed by dropping the tokens of the toolkit's {@code PUNCTUATIONS} list.
 * <p>
 * CoreNLP's tokenizer is a JFlex lexer: at each position every rule is tried, the longest match wins (trailing
 * context included), ties go to the earlier rule, and the rule's action makes the token. This class does the same
 * with the rules of 3.4.1 at the options the toolkit runs (PTB3 escaping, no Americanizing, no escaping of
 * {@code /} and {@code *}), each rule a Java regular expression: literal text matches in any case (JFlex
 * {@code %caseless}), character classes only as written. Its output is compared with the real CoreNLP 3.4.1 on every
 * Flickr8k caption, punctuation-heavy sentences and random strings ({@code PtbTokenizerToolkitAgreementTest}).
 * <p>
 * Kept toolkit quirk: {@code -lowerCase} lower-cases every token, brackets included, and the toolkit compares the
 * result with its upper-case {@code "-LRB-"} entries, so brackets survive evaluation as {@code -lrb-} / {@code -rrb-}.
 */
public final class PtbTokenizer {
    /** The toolkit's {@code PUNCTUATIONS}, compared with the lower-cased tokens exactly as the toolkit does. */
    public static final Set<String> TOOLKIT_PUNCTUATIONS = Set.of(
            "''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-", ".", "?", "!", ",", ":", "-", "--", "...", ";");

    // ---- Character classes. JFlex works on UTF-16 chars, so letters and digits outside the BMP are not letters.
    private static final String BMP = "&&[\\u0000-\\uFFFF]";
    private static final String ANY_LETTER = "[\\p{L}" + BMP + "]";
    private static final String LETTER_OR_DIGIT = "[\\p{L}\\p{Nd}" + BMP + "]";
    private static final String UPPERCASE = "[\\p{Lu}" + BMP + "]";
    private static final String DIGIT = "[\\p{Nd}\\u07C0-\\u07C9" + BMP + "]";
    /** Marks, modifier letters and the like that the lexer counts as letters inside words (soft hyphen first). */
    private static final String EXTRA_LETTERS = "\\u00AD\\u0237-\\u024F\\u02C2-\\u02C5\\u02D2-\\u02DF\\u02E5-\\u02FF"
            + "\\u0300-\\u036F\\u0370-\\u037D\\u0384\\u0385\\u03CF\\u03F6\\u03FC-\\u03FF\\u0483-\\u0487\\u04CF"
            + "\\u04F6-\\u04FF\\u0510-\\u0525\\u055A-\\u055F\\u0591-\\u05BD\\u05BF\\u05C1\\u05C2\\u05C4\\u05C5\\u05C7"
            + "\\u0615-\\u061A\\u063B-\\u063F\\u064B-\\u065E\\u0670\\u06D6-\\u06EF\\u06FA-\\u06FF\\u070F\\u0711"
            + "\\u0730-\\u074F\\u0750-\\u077F\\u07A6-\\u07B1\\u07CA-\\u07F5\\u07FA\\u0900-\\u0903\\u093C\\u093E-\\u094E"
            + "\\u0951-\\u0955\\u0962-\\u0963\\u0981-\\u0983\\u09BC-\\u09C4\\u09C7\\u09C8\\u09CB-\\u09CD\\u09D7\\u09E2"
            + "\\u09E3\\u0A01-\\u0A03\\u0A3C\\u0A3E-\\u0A4F\\u0A81-\\u0A83\\u0ABC-\\u0ACF\\u0B82\\u0BBE-\\u0BC2"
            + "\\u0BC6-\\u0BC8\\u0BCA-\\u0BCD\\u0C01-\\u0C03\\u0C3E-\\u0C56\\u0D3E-\\u0D44\\u0D46-\\u0D48\\u0E30-\\u0E3A"
            + "\\u0E47-\\u0E4E\\u0EB1-\\u0EBC\\u0EC8-\\u0ECD";
    /** An accented letter written as an SGML entity ("&eacute;"). */
    private static final String ENTITY_LETTER = "&[aeiouAEIOU](?i:acute|grave|uml);";
    private static final String LETTER = "(?:[\\p{L}" + EXTRA_LETTERS + BMP + "]|" + ENTITY_LETTER + ")";
    private static final String SPACE = "[ \\t\\u00A0\\u2000-\\u200A\\u3000]";
    private static final String NEWLINE = "(?:\\r\\n|[\\r\\n\\u2028\\u2029\\u000B\\u000C\\u0085])";
    private static final String SPACE_OR_NEWLINE = "(?:" + SPACE + "|" + NEWLINE + ")";
    private static final String APOSTROPHE = "(?:['\\u0092\\u2019]|(?i:&apos;))";
    /** Apostrophes and the quote marks that stand in for them inside words. */
    private static final String WORD_APOSTROPHE = "(?:" + APOSTROPHE + "|[`\\u0091\\u2018\\u201B])";
    private static final String HYPHEN = "[-_\\u058A\\u2010\\u2011]";
    private static final String SENTENCE_INNER_PUNCTUATION = "[,;:\\u3001]";

    // ---- Token shapes.
    private static final String SGML_NAME = "[A-Za-z][A-Za-z0-9_:.-]*";
    private static final String SGML = "<(?:[!?][A-Za-z-][^>\\r\\n]*|" + SGML_NAME + "(?:[ ]+(?:" + SGML_NAME + "|"
            + SGML_NAME + "[ ]*=[ ]*(?:'[^']*'|\"[^\"]*\")))*[ ]*/?|/" + SGML_NAME + ")[ ]*>";
    private static final String WORD = LETTER + "(?:" + LETTER + "|" + DIGIT + ")*(?:[.!?]" + LETTER + "(?:" + LETTER
            + "|" + DIGIT + ")*)*";
    private static final String FILENAME = "(?:" + LETTER + "|" + DIGIT + ")+(?:\\.(?:" + LETTER + "|" + DIGIT
            + ")+)*\\.(?i:bat|bmp|c|class|cgi|cpp|dll|doc|docx|exe|gif|gz|h|htm|html|jar|java|jpeg|jpg|mov|mp3|pdf"
            + "|php|pl|png|ppt|ps|py|sql|tar|txt|wav|x|xml|zip)";
    private static final String ELIDED_PREFIX = "(?:[dDoOlL]" + WORD_APOSTROPHE + LETTER_OR_DIGIT + ")?";
    private static final String HYPHENATED = ELIDED_PREFIX + LETTER_OR_DIGIT + "+(?:" + HYPHEN + ELIDED_PREFIX
            + LETTER_OR_DIGIT + "+)*";
    private static final String CAPITALS_WITH_AMPERSAND = "[A-Z]+(?:(?:[+&]|(?i:&amp;))[A-Z]+)+";
    private static final String SLASHED = "[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}(?:\\\\?/[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}){1,2}";
    private static final String SPECIAL_ACRONYM = "(?i:(?:canada|sino|korean|eu|japan|non)-u\\.s|u\\.s\\.-(?:u\\.k|u\\.s\\.s\\.r))";
    private static final String ACRO = "(?:[A-Za-z](?:\\.[A-Za-z])*|" + SPECIAL_ACRONYM + ")";
    private static final String ACRO2 = "(?:[A-Za-z](?:\\.[A-Za-z])+|" + SPECIAL_ACRONYM + ")";
    private static final String HYPHENATED_NUMBERS = "[A-Za-z0-9][A-Za-z0-9.,\\u00AD]*(?:-(?:[A-Za-z0-9\\u00AD]+|"
            + ACRO2 + "\\.))+";
    private static final String CONTRACTION = APOSTROPHE + "(?:[msdMSD]|(?i:re|ve|ll))";
    private static final String BEFORE_NOT = "[A-Za-z\\u00AD]*[A-MO-Za-mo-z]\\u00AD*";
    private static final String NOT = "(?i:n)" + WORD_APOSTROPHE + "(?i:t)";
    private static final String APOSTROPHE_WORD = String.join("|",
            APOSTROPHE + "(?i:n)" + APOSTROPHE + "?",
            "[lLdDjJ]" + APOSTROPHE,
            "(?i:dunkin|somethin|ol)" + APOSTROPHE,
            APOSTROPHE + "(?i:em)",
            "[A-HJ-XZn]" + WORD_APOSTROPHE + ANY_LETTER + "{2,}",
            APOSTROPHE + "[2-9]0(?i:s)",
            APOSTROPHE + "(?i:till?)",
            ANY_LETTER + "+[aeiouyAEIOUY]" + WORD_APOSTROPHE + "[aeiouA-Z]" + ANY_LETTER + "*",
            APOSTROPHE + "(?i:cause)",
            "(?i:cont'd)\\.?",
            "(?i:'twas|nor'easter|c'mon|e'er|s'mores|ev'ry|li'l|nat'l)",
            "(?i:o)" + WORD_APOSTROPHE + "(?i:o)");
    private static final String FULL_URL = "(?i:https?)://[^ \\t\\n\\f\\r\"<>|(){}]+[^ \\t\\n\\f\\r\"<>|.!?(){},-]";
    /** The second branch's class excludes the range ",-_" (digits and capitals too), as CoreNLP's does. */
    private static final String LIKELY_URL = "(?:(?i:www)\\.(?:[^ \\t\\n\\f\\r\"<>|.!?(){},]+\\.)+[a-zA-Z]{2,4}"
            + "|(?:[^ \\t\\n\\f\\r\"`'<>|.!?(){},-_$]+\\.)+(?i:com|net|org|edu))"
            + "(?:/[^ \\t\\n\\f\\r\"<>|()]+[^ \\t\\n\\f\\r\"<>|.!?(){},-])?";
    private static final String EMAIL = "(?:(?i:&lt;)|<)?[a-zA-Z0-9][^ \\t\\n\\f\\r\"<>|()\\u00A0{}]*@"
            + "(?:[^ \\t\\n\\f\\r\"<>|(){}.\\u00A0]+\\.)*[^ \\t\\n\\f\\r\"<>|(){}.\\u00A0]+(?:(?i:&gt;)|>)?";
    private static final String TWITTER = "@[a-zA-Z_][a-zA-Z_0-9]*|#" + LETTER + "+";
    private static final String DATE = DIGIT + "{1,2}[-/]" + DIGIT + "{1,2}[-/]" + DIGIT + "{2,4}";
    private static final String NUMBER = "[-+]?(?:" + DIGIT + "+|" + DIGIT + "*(?:[.:,\\u00AD\\u066B\\u066C]" + DIGIT
            + "+)+)";
    private static final String SUPERSCRIPT_NUMBER =
            "[\\u207A\\u207B\\u208A\\u208B]?(?:[\\u2070\\u00B9\\u00B2\\u00B3\\u2074-\\u2079]+|[\\u2080-\\u2089]+)";
    private static final String FRACTION = "(?:" + DIGIT + "{1,4}[- \\u00A0])?" + DIGIT + "{1,4}(?:\\\\?/|\\u2044)"
            + DIGIT + "{1,4}";
    private static final String PHONE = "(?:\\([0-9]{2,3}\\)[ \\u00A0]?|(?:\\+\\+?)?(?:[0-9]{2,4}[- \\u00A0])?[0-9]{2,4}"
            + "[- \\u00A0])[0-9]{3,4}[- \\u00A0]?[0-9]{3,5}|(?:(?:\\+\\+?)?[0-9]{2,4}\\.)?[0-9]{2,4}\\.[0-9]{3,4}"
            + "\\.[0-9]{3,5}";
    private static final String SMILEY = "[<>]?[:;=][-o*']?[()DPdpO\\\\{@|\\[\\]]";
    /** The first branch is literally "^.[^x=~<>]" as CoreNLP's rule reads (an escaped bracket), kept as it is. */
    private static final String ASIAN_SMILEY = "[\\^x=~<>]\\.\\[\\^(?i:x)=~<>\\]|[-\\^x=~<>']_[-\\^x=~<>']"
            + "|\\([-\\^x=~<>'][_.]?[-\\^x=~<>']\\)|\\([\\^x=~<>']-[\\^x=~<>'`]\\)";
    private static final String QUOTES = APOSTROPHE + "|''|[`\\u2018\\u2019\\u201A\\u201B\\u201C\\u201D\\u0091\\u0092"
            + "\\u0093\\u0094\\u201E\\u201F\\u2039\\u203A\\u00AB\\u00BB]{1,2}";
    private static final String DOUBLE_QUOTE = "\"|(?i:&quot;)";
    private static final String TREEBANK_SPECIAL = "-(?i:rrb|lrb|rcb|lcb|rsb|lsb)-|(?i:c\\.d\\.s|pro-|anti-"
            + "|s(?:&|&amp;)p-500|s(?:&|&amp;)ls)|(?i:cap)" + APOSTROPHE + "(?i:n)|(?i:c)" + APOSTROPHE + "(?i:est)";
    private static final String MISC_SYMBOL = "[+%&~\\^|\\\\\\u00A6\\u00A7\\u00A8\\u00A9\\u00AC\\u00AE\\u00AF"
            + "\\u00B0-\\u00BA\\u00D7\\u00F7\\u0387\\u05BE\\u05C0\\u05C3\\u05C6\\u05F3\\u05F4\\u0600-\\u0603"
            + "\\u0606-\\u060A\\u060C\\u0614\\u061B\\u061E\\u066A\\u066D\\u0703-\\u070D\\u07F6-\\u07F8\\u0964\\u0965"
            + "\\u0E4F\\u1FBD\\u2016\\u2017\\u2020-\\u2023\\u2030-\\u2038\\u203B\\u203E-\\u2042\\u2044\\u207A-\\u207F"
            + "\\u208A-\\u208E\\u2100-\\u214F\\u2190-\\u21FF\\u2200-\\u2BFF\\u3012\\u30FB\\uFF01-\\uFF0F\\uFF1A-\\uFF20"
            + "\\uFF3B-\\uFF40\\uFF5B-\\uFF65]";

    // ---- Abbreviations. A capital in a character class ("A(?i:rk)") only matches as written.
    /** Usually followed by a lower-case word; before a capital the period also ends the sentence. */
    private static final String ABBREVIATION_BEFORE_LOWER = "(?:(?i:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
            + "|mon|tue|tues|wed|thu|thurs|fri|ala|ariz)|A(?i:z)|A(?i:rk)|(?i:calif|colo|conn|ct|dak)|D(?i:el)"
            + "|(?i:fla|ga)|I(?i:ll)|(?i:ind|kans?|ky)|L(?i:a)|M(?i:ass)|(?i:md|mich|minn)|M(?i:iss)"
            + "|(?i:mo|mont|neb|nev|okla)|O(?i:re)|P(?i:a)|(?i:penn|tenn)|T(?i:ex)|(?i:va|vt)|W(?i:ash)|(?i:wisc?|wyo)"
            + "|(?i:inc|cos?|corp)|(?i:pp?t)[ye](?i:s?)|(?i:ltd|plc|rt|bancorp|bhd|assn|univ|intl|sys|tel|est|ext|sq"
            + "|jr|sr|bros|ed\\.d|ph\\.d|blvd|rd|esq|etc|al|seq|bldg))\\.";
    /** Usually followed by a capitalized word (titles, initials, acronyms). */
    private static final String ABBREVIATION_BEFORE_UPPER_STEM = "(?:(?i:mr|mrs|ms)|M(?i:iss)|(?i:drs?|profs?|sens?"
            + "|reps?|attys?|lt|col|gen|messrs|govs?|adm|rev|maj|sgt|cpl|pvt|capt|ste?|ave|pres|lieut|hon|brig|co?mdr"
            + "|pfc|spc|supts?|det|mt|ft|adj|adv|asst|assoc|ens|insp|mlle|mme|msgr|sfc|vs|alex|wm|jos|cie|a\\.k\\.a|cf"
            + "|treas|ph)|" + ACRO + "|(?i:invt|elec|natl|dept)|(?i:m)[ft](?i:g))";
    private static final String ABBREVIATION_BEFORE_NUMBER = "(?i:ca|figs?|prop|nos?|art|bldg|pp|op)\\.";
    /** Words after which an acronym's period also ends the sentence (case-sensitive capitals). */
    private static final String SENTENCE_START = Arrays.stream(("About According Additionally After An A As At But"
                    + " Earlier He Her Here However If In It Last Many More Mr. Ms. Now Once One Other Our She Since So"
                    + " Some Such That The Their Then There These They This We When While What Yet You").split(" "))
            .map(word -> word.charAt(0) + (word.length() > 1 ? "(?i:" + Pattern.quote(word.substring(1)) + ")" : ""))
            .collect(Collectors.joining("|"));

    /** Words read as two tokens, the first of three letters ("can" "not", "gon" "na"). */
    private static final Set<String> SPLIT_WORDS = Set.of("cannot", "gonna", "gotta", "lemme", "gimme", "wanna");

    /** CoreNLP's rules in its order (the order breaks ties between matches of equal length). */
    private static final List<Rule> RULES = List.of(
            rule("(?i:c)\\+\\+", Action.KEEP),
            rule("[cCfF]#", Action.KEEP),
            rule("(?i:" + String.join("|", SPLIT_WORDS) + ")", Action.firstChars(3)),
            rule("'(?i:twas)", Action.firstChars(2)),
            rule("'(?i:tis)", Action.firstChars(2)),
            rule(SGML, Action.NO_BREAK_SPACES),
            rule("(?i:&(?:md|mdash|ndash);)|[\\u0096\\u0097\\u2013\\u2014\\u2015]", Action.replaceWith("--")),
            rule("(?i:&amp;)", Action.AMPERSAND),
            rule("&(?:(?i:ht|tl|ur|lr|qc|ql|qr|odq|cdq)|#[0-9]+);", Action.KEEP),
            ruleBefore(WORD, CONTRACTION, Action.SOFT_HYPHENS_REMOVED),
            ruleBefore(BEFORE_NOT, NOT, Action.SOFT_HYPHENS_REMOVED),
            rule(WORD, Action.SOFT_HYPHENS_REMOVED),
            rule(APOSTROPHE_WORD, Action.KEEP),
            ruleBefore("(?i:y)" + APOSTROPHE, ANY_LETTER, Action.KEEP),
            rule(FULL_URL, Action.KEEP),
            rule(LIKELY_URL, Action.KEEP),
            rule(EMAIL, Action.KEEP),
            rule(TWITTER, Action.KEEP),
            ruleBefore(CONTRACTION, "[^A-Za-z]", Action.closingQuotes()),
            ruleBefore(NOT, "[^A-Za-z]", Action.closingQuotes()),
            rule(DATE, Action.KEEP),
            rule(NUMBER, Action.SOFT_HYPHENS_REMOVED),
            rule(SUPERSCRIPT_NUMBER, Action.KEEP),
            rule(FRACTION, Action.NO_BREAK_SPACES),
            rule("[\\u00BC\\u00BD\\u00BE\\u2153-\\u215E]", Action.FRACTION_CHARACTERS),
            rule(TREEBANK_SPECIAL, Action.AMPERSAND),
            rule(SLASHED, Action.KEEP),
            rule("[A-Z]*\\$|#", Action.KEEP),
            rule("[\\u00A2\\u00A3\\u00A4\\u00A5\\u0080\\u20A0\\u20AC\\u060B\\u0E3F\\u20A4\\uFFE0\\uFFE1\\uFFE5\\uFFE6]",
                    Action.CURRENCY),
            ruleBefore(ACRO + "\\.", SPACE_OR_NEWLINE + "+(?:" + SENTENCE_START + "|" + SGML + ")" + SPACE_OR_NEWLINE,
                    Action.ACRONYM_ENDING_SENTENCE),
            ruleBefore(ABBREVIATION_BEFORE_NUMBER, SPACE_OR_NEWLINE + "?" + DIGIT, Action.KEEP),
            ruleBefore("(?:(?i:pt)[eyEY]|(?i:co))\\.", SPACE + "(?i:ltd|lim)", Action.KEEP),
            ruleBefore(ABBREVIATION_BEFORE_LOWER, SPACE_OR_NEWLINE + "(?:" + SPACE_OR_NEWLINE + "|" + UPPERCASE + "|"
                    + SGML + ")", Action.PERIOD_AGAIN),
            ruleBefore(ABBREVIATION_BEFORE_LOWER, "(?s:..)", Action.KEEP),
            rule(ABBREVIATION_BEFORE_LOWER, Action.PERIOD_AGAIN),
            rule(ABBREVIATION_BEFORE_UPPER_STEM + "\\.", Action.KEEP),
            ruleBefore(ABBREVIATION_BEFORE_UPPER_STEM, SPACE, Action.KEEP),
            ruleBefore(ACRO, SPACE_OR_NEWLINE, Action.KEEP),
            ruleBefore(APOSTROPHE + "[0-9][0-9]", SPACE_OR_NEWLINE, Action.KEEP),
            ruleBefore(FILENAME, "(?:" + SPACE_OR_NEWLINE + "|[.?!,])", Action.KEEP),
            ruleBefore(WORD + "\\.", SENTENCE_INNER_PUNCTUATION, Action.SOFT_HYPHENS_REMOVED),
            rule(PHONE, Action.PHONE),
            ruleBefore(DOUBLE_QUOTE, "[A-Za-z0-9$]", Action.openingQuotes()),
            rule(DOUBLE_QUOTE, Action.closingQuotes()),
            rule("\\u007F", Action.SKIP),
            rule("<|(?i:&lt;)", Action.replaceWith("<")),
            rule(">|(?i:&gt;)", Action.replaceWith(">")),
            ruleBefore(SMILEY, "[^A-Za-z0-9]", Action.PARENTHESES),
            rule(ASIAN_SMILEY, Action.PARENTHESES),
            rule("\\{", Action.replaceWith("-LCB-")),
            rule("\\}", Action.replaceWith("-RCB-")),
            rule("\\[", Action.replaceWith("-LSB-")),
            rule("\\]", Action.replaceWith("-RSB-")),
            rule("\\(", Action.replaceWith("-LRB-")),
            rule("\\)", Action.replaceWith("-RRB-")),
            rule("-+", Action.DASHES),
            rule("\\.{3,5}|(?:\\.[ \\u00A0]){2,4}\\.|[\\u0085\\u2026]", Action.replaceWith("...")),
            rule("@+|#+|_+", Action.KEEP),
            rule("\\*+|(?:\\\\\\*){1,3}", Action.KEEP),
            rule(SENTENCE_INNER_PUNCTUATION, Action.KEEP),
            rule("[?!]+", Action.KEEP),
            rule("[.\\u00A1\\u00BF\\u037E\\u0589\\u061F\\u06D4\\u0700-\\u0702\\u07FA\\u3002]", Action.KEEP),
            rule("=", Action.KEEP),
            rule("/", Action.KEEP),
            ruleBefore(HYPHENATED_NUMBERS + "\\.", SENTENCE_INNER_PUNCTUATION, Action.SOFT_HYPHENS_REMOVED),
            rule(HYPHENATED_NUMBERS, Action.SOFT_HYPHENS_REMOVED),
            ruleBefore(HYPHENATED + "\\.", SENTENCE_INNER_PUNCTUATION, Action.KEEP),
            rule(HYPHENATED, Action.KEEP),
            ruleBefore(CAPITALS_WITH_AMPERSAND + "\\.", SENTENCE_INNER_PUNCTUATION, Action.AMPERSAND),
            rule(CAPITALS_WITH_AMPERSAND, Action.AMPERSAND),
            ruleBefore("'", "[A-Za-z][^ \\t\\n\\r\\u00A0]", Action.openingQuotes()),
            rule(CONTRACTION, Action.closingQuotes()),
            rule(NOT, Action.closingQuotes()),
            rule(QUOTES, Action.closingQuotes()),
            rule("<<|>>", Action.KEEP),
            rule(MISC_SYMBOL, Action.KEEP),
            rule("\\u0000|" + SPACE + "+|[\\u200B\\u200E\\u200F\\uFEFF]", Action.SKIP),
            // -preserveLines turns newlines into line breaks; within one caption they only separate tokens.
            rule(NEWLINE, Action.SKIP),
            rule("(?i:&nbsp;)", Action.SKIP),
            // Anything else is "untokenizable": CoreNLP drops it (and logs a warning).
            rule("[^\\n]", Action.SKIP));

    private static final Pattern AMPERSAND_ENTITY = Pattern.compile("(?i:&amp;)");

    /** For each first character, the rules that can match text starting with it (filled lazily). */
    private static final AtomicReferenceArray<int[]> RULES_BY_FIRST_CHAR = new AtomicReferenceArray<>(Character.MAX_VALUE + 1);

    private PtbTokenizer() {
    }

    /** What the toolkit hands to its scorers for one caption: PTB tokens, lower-cased, punctuation dropped. */
    public static String normalizeCaption(String caption) {
        return tokenize(caption).stream()
                .map(token -> token.toLowerCase(Locale.ENGLISH))
                .filter(token -> !TOOLKIT_PUNCTUATIONS.contains(token))
                .collect(Collectors.joining(" "));
    }

    /**
     * PTB tokens of {@code text}, original case, PTB escapes applied. The text is read as one line of the toolkit's
     * caption file: newlines become spaces and the line ends with a newline, as every line but the last does there.
     */
    public static List<String> tokenize(String text) {
        String line = text.replace('\n', ' ') + "\n";
        Matcher[] matchers = new Matcher[RULES.size()];
        List<String> tokens = new ArrayList<>();
        int position = 0;
        while (position < line.length()) {
            int plainWordEnd = plainWordEnd(line, position);
            if (plainWordEnd > position) {
                tokens.add(line.substring(position, plainWordEnd));
                position = plainWordEnd;
                continue;
            }
            int bestRule = -1;
            int bestLength = 0;
            for (int ruleIndex : rulesStartingWith(line.charAt(position))) {
                if (matchers[ruleIndex] == null) {
                    matchers[ruleIndex] = RULES.get(ruleIndex).pattern().matcher(line);
                }
                int length = longestMatch(matchers[ruleIndex], position, line.length());
                if (length > bestLength) {
                    bestRule = ruleIndex;
                    bestLength = length;
                }
            }
            Lexeme lexeme = RULES.get(bestRule).action().apply(tokenText(matchers[bestRule], line, position, bestLength));
            if (lexeme.token() != null) {
                tokens.add(lexeme.token());
            }
            position += lexeme.length();
        }
        return tokens;
    }

    /**
     * The end of the run of ASCII letters at {@code start} when the rules would make it one token as it stands: when
     * a space or the line's end follows and it is none of the words split in two ("cannot", "gonna", ...). Every
     * other rule that can start with a letter needs a period, apostrophe, digit or symbol in or right after the run;
     * the two whose match takes in the following space (initials, titles such as "Mr") keep the run as the token.
     * A shortcut only, for speed (most caption words are such runs); -1 when it does not apply.
     */
    private static int plainWordEnd(String line, int start) {
        int end = start;
        while (end < line.length() && isAsciiLetter(line.charAt(end))) {
            end++;
        }
        boolean followedBySpace = end > start && end < line.length() && (line.charAt(end) == ' ' || line.charAt(end) == '\n');
        return followedBySpace && !SPLIT_WORDS.contains(line.substring(start, end).toLowerCase(Locale.ROOT)) ? end : -1;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /**
     * The length of the longest match starting at {@code start}, as a JFlex DFA finds it (a regex engine returns the
     * first match its backtracking finds instead), or -1. Lengths are tried upwards until the engine reports that no
     * longer input could match.
     */
    private static int longestMatch(Matcher matcher, int start, int limit) {
        matcher.region(start, limit);
        if (!matcher.lookingAt()) {
            return -1;
        }
        int longest = matcher.end();
        for (int end = longest + 1; end <= limit; end++) {
            matcher.region(start, end);
            if (matcher.matches()) {
                longest = end;
            } else if (!matcher.hitEnd()) {
                break;
            }
        }
        return longest - start;
    }

    /** The matched text without its trailing context. */
    private static String tokenText(Matcher matcher, String line, int start, int length) {
        if (matcher.groupCount() == 0) {
            return line.substring(start, start + length);
        }
        matcher.region(start, start + length);
        matcher.matches();
        return line.substring(start, matcher.end(1));
    }

    private static int[] rulesStartingWith(char first) {
        int[] rules = RULES_BY_FIRST_CHAR.get(first);
        if (rules == null) {
            String text = String.valueOf(first);
            rules = IntStream.range(0, RULES.size()).filter(i -> {
                Matcher matcher = RULES.get(i).pattern().matcher(text);
                return matcher.lookingAt() || matcher.hitEnd();
            }).toArray();
            RULES_BY_FIRST_CHAR.set(first, rules);
        }
        return rules;
    }

    private static Rule rule(String regex, Action action) {
        return new Rule(Pattern.compile("(?:" + regex + ")"), action);
    }

    /** A rule with trailing context: the text matched by {@code context} counts for the length, not the token. */
    private static Rule ruleBefore(String regex, String context, Action action) {
        return new Rule(Pattern.compile("(" + regex + ")(?:" + context + ")"), action);
    }

    private record Rule(Pattern pattern, Action action) {
    }

    /** A token ({@code null} for none) and how many characters of the input it consumes. */
    private record Lexeme(String token, int length) {
    }

    /** What a rule makes of the text it matched (without trailing context). */
    @FunctionalInterface
    private interface Action {
        Action KEEP = text -> new Lexeme(text, text.length());
        Action SKIP = text -> new Lexeme(null, text.length());
        Action SOFT_HYPHENS_REMOVED = replacing(PtbTokenizer::removeSoftHyphens);
        Action NO_BREAK_SPACES = replacing(text -> text.replace(' ', '\u00A0'));
        Action AMPERSAND = replacing(text -> AMPERSAND_ENTITY.matcher(text).replaceAll("&"));
        Action PARENTHESES = replacing(text -> text.replace("(", "-LRB-").replace(")", "-RRB-"));
        Action PHONE = replacing(text -> text.replace(' ', '\u00A0').replace("(", "-LRB-").replace(")", "-RRB-"));
        Action FRACTION_CHARACTERS = replacing(text -> text.replace("\u00BC", "1/4").replace("\u00BD", "1/2")
                .replace("\u00BE", "3/4").replace("\u2153", "1/3").replace("\u2154", "2/3"));
        /** Cents spelled out, pound as "#" (PTB3's use), euro and other generic currency signs as "$". */
        Action CURRENCY = replacing(text -> switch (text) {
            case "\u00A2" -> "cents";
            case "\u00A3" -> "#";
            case "\u0080", "\u00A4", "\u20A0", "\u20AC" -> "$";
            default -> text;
        });
        /** Three or four hyphens are a dash; other runs stay as written. */
        Action DASHES = replacing(text -> text.length() == 3 || text.length() == 4 ? "--" : text);
        /** The abbreviation keeps its period, and the period is read again as the sentence's end. */
        Action PERIOD_AGAIN = text -> new Lexeme(text, text.length() - 1);
        /** "I." before a sentence start is the word "I" and a period; "U.S." keeps its period and repeats it. */
        Action ACRONYM_ENDING_SENTENCE = text -> text.length() == 2
                ? new Lexeme(text.substring(0, 1), 1) : new Lexeme(text, text.length() - 1);

        Lexeme apply(String text);

        static Action replacing(UnaryOperator<String> change) {
            return text -> new Lexeme(change.apply(text), text.length());
        }

        static Action replaceWith(String token) {
            return text -> new Lexeme(token, text.length());
        }

        /** The first {@code count} characters are the token; the rest is read again ("cannot" -> "can" "not"). */
        static Action firstChars(int count) {
            return text -> new Lexeme(text.substring(0, count), count);
        }

        static Action openingQuotes() {
            return replacing(text -> latexQuotes(text, true));
        }

        static Action closingQuotes() {
            return replacing(text -> latexQuotes(text, false));
        }
    }

    /** PTB3's LaTeX quotes; ASCII quotes by the side the rule guessed, typographic ones by their own side. */
    private static String latexQuotes(String text, boolean opening) {
        String ascii = opening
                ? text.replace("&apos;", "`").replace("'", "`").replace("&quot;", "``").replace("\"", "``")
                : text.replace("&apos;", "'").replace("&quot;", "''").replace("\"", "''");
        StringBuilder quoted = new StringBuilder(ascii.length() + 2);
        for (char c : ascii.toCharArray()) {
            quoted.append(switch (c) {
                case '\u0091', '\u2018', '\u201B', '\u2039' -> "`";
                case '\u0092', '\u2019', '\u203A' -> "'";
                case '\u0093', '\u201C', '\u00AB' -> "``";
                case '\u0094', '\u201D', '\u00BB' -> "''";
                default -> String.valueOf(c);
            });
        }
        return quoted.toString();
    }

    /** Soft hyphens only mark where a word may break; a token of nothing else becomes "-". */
    private static String removeSoftHyphens(String text) {
        String removed = text.replace("\u00AD", "");
        return removed.isEmpty() ? "-" : removed;
    }
}
