package org.captioner.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextNormalizerTest {
    @Test
    void lowerCasesAndDropsPunctuationButKeepsWordInnerMarks() {
        assertThat(TextNormalizer.defaults().tokens("A man's T-shirt , wet; and 2 dogs ' running ! "))
                .containsExactly("a", "man's", "t-shirt", "wet", "and", "2", "dogs", "running");
    }

    @Test
    void optionallyDropsNonAlphabeticAndSingleLetterTokensAsTheTutorialsDo() {
        TextNormalizer strict = new TextNormalizer(true, true, true);
        assertThat(strict.tokens("A man's dog and 2 cats in a T-shirt")).containsExactly("dog", "and", "cats", "in");
    }

    @Test
    void canKeepCase() {
        assertThat(new TextNormalizer(false, false, false).tokens("Big Dog")).containsExactly("Big", "Dog");
    }
}
