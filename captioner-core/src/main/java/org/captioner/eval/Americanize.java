package org.captioner.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * British-to-American spelling as Stanford CoreNLP's {@code Americanize}, which its PTBTokenizer applies to plain
 * words by default in the 3.x releases the COCO toolkit runs (3.4.1). The word list is case-sensitive and the
 * tokenizer lower-cases afterwards, so "grey" becomes "gray" but "Grey" stays "grey", exactly as in the toolkit.
 */
final class Americanize {
    /** Words shorter than this are never changed; shorter than {@link #MIN_PATTERN_LENGTH} only by the word list. */
    private static final int MIN_CHANGED_LENGTH = 4;
    private static final int MIN_PATTERN_LENGTH = 6;

    private static final Map<String, String> WORDS = pairs(
            "anaesthetic anesthetic", "analogue analog", "analogues analogs", "analyse analyze",
            "analysed analyzed", "analysing analyzing", "armoured armored", "cancelled canceled",
            "cancelling canceling", "candour candor", "capitalise capitalize", "capitalised capitalized",
            "capitalisation capitalization", "centre center", "chimaeric chimeric", "clamour clamor",
            "coloured colored", "colouring coloring", "colourful colorful", "defence defense", "Defence Defense",
            "discolour discolor", "discolours discolors", "discoloured discolored", "discolouring discoloring",
            "encyclopaedia encyclopedia", "endeavour endeavor", "endeavours endeavors", "endeavoured endeavored",
            "endeavouring endeavoring", "fervour fervor", "favour favor", "favours favors", "favoured favored",
            "favouring favoring", "favourite favorite", "favourites favorites", "fibre fiber", "fibres fibers",
            "finalise finalize", "finalised finalized", "finalising finalizing", "flavour flavor",
            "flavours flavors", "flavoured flavored", "flavouring flavoring", "glamour glamour", "grey gray",
            "harbour harbor", "harbours harbors", "homologue homolog", "homologues homologs", "honour honor",
            "honours honors", "honoured honored", "honouring honoring", "honourable honorable", "humour humor",
            "humours humors", "humoured humored", "humouring humoring", "kerb curb", "labelled labeled",
            "labelling labeling", "labour labor", "Labour Labor", "labours labors", "laboured labored",
            "labouring laboring", "leant leaned", "learnt learned", "localise localize", "localised localized",
            "manoeuvre maneuver", "manoeuvres maneuvers", "maximise maximize", "maximised maximized",
            "maximising maximizing", "meagre meager", "minimise minimize", "minimised minimized",
            "minimising minimizing", "modernise modernize", "modernised modernized", "modernising modernizing",
            "misdemeanour misdemeanor", "misdemeanours misdemeanors", "neighbour neighbor",
            "neighbours neighbors", "neighbourhood neighborhood", "neighbourhoods neighborhoods",
            "oestrogen estrogen", "oestrogens estrogens", "organisation organization",
            "organisations organizations", "penalise penalize", "penalised penalized", "popularise popularize",
            "popularised popularized", "popularises popularizes", "popularising popularizing",
            "practise practice", "practised practiced", "pressurise pressurize", "pressurised pressurized",
            "pressurises pressurizes", "pressurising pressurizing", "realise realize", "realised realized",
            "realising realizing", "realises realizes", "recognise recognize", "recognised recognized",
            "recognising recognizing", "recognises recognizes", "rumoured rumored", "rumouring rumoring",
            "savour savor", "savours savors", "savoured savored", "savouring savoring", "splendour splendor",
            "splendours splendors", "theatre theater", "theatres theaters", "titre titer", "titres titers",
            "travelled traveled", "travelling traveling");

    /** Spelling patterns tried in order after the word list; the -our rule has a list of words it must not touch. */
    private static final List<Rule> RULES = List.of(
            new Rule("haem(at)?o", "hem$1o", null),
            new Rule("aemia$", "emia", null),
            new Rule("([lL])eukaem", "$1eukem", null),
            new Rule("programme(s?)$", "program$1", null),
            new Rule("^([a-z]{3,})our(s?)$", "$1or$2", "abatjour|beflour|bonjour|calambour|carrefour|cornflour"
                    + "|contour|de[tv]our|dortour|dyvour|downpour|giaour|glamour|holour|inpour|outpour|pandour"
                    + "|paramour|pompadour|recontour|repour|ryeflour|sompnour|tambour|troubadour|tregetour|velour"));

    private Americanize() {
    }

    static String americanize(String word) {
        if (word.length() < MIN_CHANGED_LENGTH) {
            return word;
        }
        String listed = WORDS.get(word);
        if (listed != null) {
            return listed;
        }
        if (word.length() < MIN_PATTERN_LENGTH) {
            return word;
        }
        for (Rule rule : RULES) {
            Matcher matcher = rule.pattern.matcher(word);
            if (matcher.find() && (rule.exceptions == null || !rule.exceptions.matcher(word).find())) {
                return matcher.replaceAll(rule.replacement);
            }
        }
        return word;
    }

    private static Map<String, String> pairs(String... britishSpaceAmerican) {
        Map<String, String> map = new HashMap<>();
        for (String pair : britishSpaceAmerican) {
            String[] words = pair.split(" ");
            map.put(words[0], words[1]);
        }
        return Map.copyOf(map);
    }

    private static final class Rule {
        final Pattern pattern;
        final String replacement;
        final Pattern exceptions;

        Rule(String pattern, String replacement, String exceptions) {
            this.pattern = Pattern.compile(pattern);
            this.replacement = replacement;
            this.exceptions = exceptions == null ? null : Pattern.compile(exceptions);
        }
    }
}
