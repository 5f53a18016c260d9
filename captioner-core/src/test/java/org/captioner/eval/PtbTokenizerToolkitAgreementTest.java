package org.captioner.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.captioner.SharedData;
import org.junit.jupiter.api.Test;

/**
 * PtbTokenizer against the COCO toolkit's real tokenizer (CoreNLP 3.4.1 PTBTokenizer, test scope), caption for
 * caption: every Flickr8k caption, punctuation-heavy COCO-style sentences and seeded random strings.
 */
class PtbTokenizerToolkitAgreementTest {
    /** Quotes, abbreviations, times, slashes, currency, entities, contractions, emoticons, URLs and the like. */
    static final List<String> PUNCTUATION_HEAVY = List.of(
            "A bus on Sunset Blvd. at 6:55 p.m. near the U.S. post office.",
            "A sign that says \"STOP\" on St. Patrick's Day, next to Dr. Smith's office.",
            "Two men (one in a hat) stand by a 3/4 ton truck; the other's on the phone.",
            "A \"no parking\" sign and a 'do not enter' sign at 5th Ave. & 42nd St.",
            "The dog's toy isn't red, it's blue... or is it?!",
            "Kids in '90s clothes don't care -- they're having fun!",
            "A pizza for $5.99 (plus tax) & a soda for 99\u00A2.",
            "Tom &amp; Jerry's \"cat & mouse\" cartoon at 10:30am.",
            "A man w/ a surfboard @ the beach :) #surfing",
            "Visit www.example.com or http://example.org/path?q=1 for info, e-mail me at bob@example.com.",
            "A clock reads 12:45; a calendar shows 3/14/2015.",
            "A 1 1/2 year old child holds a \u00BD eaten apple.",
            "The cat sat on the mat. The End.",
            "Mr. and Mrs. Jones visit Washington D.C. in the U.S.A. today.",
            "A \u201Cfancy\u201D caf\u00E9 on the Champs-\u00C9lys\u00E9es \u2014 with cr\u00E8me br\u00FBl\u00E9e\u2026",
            "A colourful grey neighbourhood centre in the theatre district, in favour of the organisation.",
            "She said: 'I can't, I won't, I cannot, gonna, wanna, gotta.'",
            "A rock 'n' roll band plays at 8 o'clock; y'all 'em rock.",
            "Signs: <b>Open</b> 24/7 -- 50% off [today only] {limited}!",
            "A photo.jpg of a man holding a 12-inch sub and a 2x4 board.",
            "A  woman   with extra   spaces\tand a tab .",
            "Jan. 5, 2010 at the Calif. office, Inc. and Co. Ltd. etc. and so on",
            "A man in a t-shirt and flip-flops; a so-called \"smart\" phone.",
            "Letter A. The man holds it.",
            "The K-9 unit's dogs, the 49ers' fans & the A&P store.",
            "A #1 fan with 100,000.00 dollars -- 3.5 million -- at No. 7 and fig. 3.",
            "Emoticons :-) ;) :D =( <3 ^_^ and emoji \uD83D\uDE00 here.",
            "Is this a cat? Yes!! No... Maybe?!?",
            "An \u2018old\u2019 sign: \u00ABBienvenue\u00BB",
            "5'10\" tall man with a 6' pole and a 12\" ruler",
            "C++ and C# books, AT&T phone, S&P-500 chart.",
            "Ph.D. students at M.I.T., e.g. Mr. X, i.e. someone.",
            "Dunkin' Donuts and somethin' else at the ol' place, cont'd.",
            "A sign reading -LRB- and -RRB- literally, plus (parens) and [brackets].",
            "Roads: I-95 / US-1 / Rt. 66 and 1-800-555-1234 or (555) 123-4567.",
            "A dog... a cat. . . and a bird .... end",
            "Shi'ite, Qur'an, O'Neill, D'Angelo, l'amour, c'est la vie.",
            "A**holes, a*b, x/y/z, and\\or back\\slash.",
            "",
            "   ",
            "...",
            "'",
            "\"",
            "A");

    private static final String RANDOM_ALPHABET = "aAbBcdeEfgILmnNoOprsStTuUwxyz0123456789 .,;:!?'\"`-/\\()[]{}<>&#$%@*+=_~^|"
            + "\u2018\u2019\u201C\u201D\u2026\u2013\u2014\u00A0\u00BD\u00E9\u00C9";

    @Test
    void everyFlickr8kCaptionTokenizesAsTheToolkitDoes() throws IOException {
        List<String> captions = new ArrayList<>();
        for (String line : Files.readAllLines(SharedData.flickr8k().resolve("Flickr8k.token.txt"))) {
            String[] fields = line.split("\t", 2);
            if (fields.length == 2) {
                captions.add(fields[1]);
            }
        }
        assertThat(captions).hasSizeGreaterThan(40_000);

        assertAgreement(captions);
    }

    @Test
    void punctuationHeavySentencesTokenizeAsTheToolkitDoes() {
        assertAgreement(PUNCTUATION_HEAVY);
    }

    @Test
    void randomStringsTokenizeAsTheToolkitDoes() {
        Random random = new Random(20240614);
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(30);
            for (int j = 0; j < length; j++) {
                text.append(RANDOM_ALPHABET.charAt(random.nextInt(RANDOM_ALPHABET.length())));
            }
            strings.add(text.toString());
        }
        assertAgreement(strings);
    }

    private static void assertAgreement(List<String> captions) {
        List<String> expected = ToolkitTokenizer.normalize(captions);
        List<String> divergences = new ArrayList<>();
        for (int i = 0; i < captions.size(); i++) {
            String actual = PtbTokenizer.normalizeCaption(captions.get(i));
            if (!actual.equals(expected.get(i))) {
                divergences.add("[" + captions.get(i) + "]\n  toolkit: [" + expected.get(i) + "]\n  ours:    [" + actual + "]");
            }
        }
        assertThat(divergences)
                .as("%d of %d captions tokenized differently, e.g.%n%s", divergences.size(), captions.size(),
                        String.join("\n", divergences.subList(0, Math.min(25, divergences.size()))))
                .isEmpty();
    }
}
