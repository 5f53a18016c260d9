package org.captioner.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VocabularyTest {
    private static final List<List<String>> CAPTIONS = List.of(
            List.of("a", "dog", "runs"), List.of("a", "cat", "sleeps"), List.of("a", "dog", "sleeps"), List.of("zebra"));

    @Test
    void specialTokensFirstThenByCountThenAlphabetically() {
        Vocabulary vocabulary = Vocabulary.build(CAPTIONS, 0, 1);

        assertThat(vocabulary.words()).containsExactly("<pad>", "<start>", "<end>", "<unk>",
                "a", "dog", "sleeps", "cat", "runs", "zebra");
        assertThat(vocabulary.count(vocabulary.id("a"))).isEqualTo(3);
    }

    @Test
    void topKAndMinCountLimitTheWords() {
        assertThat(Vocabulary.build(CAPTIONS, 2, 1).words()).containsExactly("<pad>", "<start>", "<end>", "<unk>", "a", "dog");
        assertThat(Vocabulary.build(CAPTIONS, 0, 2).words()).containsExactly("<pad>", "<start>", "<end>", "<unk>", "a", "dog", "sleeps");
    }

    @Test
    void encodesWithStartEndUnknownTruncationAndPadding() {
        Vocabulary vocabulary = Vocabulary.build(CAPTIONS, 0, 2);
        int a = vocabulary.id("a");
        int dog = vocabulary.id("dog");

        assertThat(vocabulary.encode(List.of("a", "dog", "flies"), 10))
                .containsExactly(SpecialTokens.START, a, dog, SpecialTokens.UNKNOWN, SpecialTokens.END);
        assertThat(vocabulary.encode(List.of("a", "dog", "flies"), 4)).containsExactly(SpecialTokens.START, a, dog, SpecialTokens.END);
        assertThat(Vocabulary.pad(new int[]{1, a, 2}, 5)).containsExactly(1, a, 2, 0, 0);
        assertThat(vocabulary.decode(new int[]{1, a, dog, 2, a, 0})).isEqualTo("a dog");
    }

    @Test
    void savesAndLoadsTheSameVocabulary(@TempDir Path dir) throws IOException {
        Vocabulary vocabulary = Vocabulary.build(CAPTIONS, 0, 1);
        Path file = dir.resolve("vocab.tsv");

        vocabulary.save(file);
        Vocabulary loaded = Vocabulary.load(file);

        assertThat(loaded.words()).isEqualTo(vocabulary.words());
        assertThat(loaded.count(loaded.id("dog"))).isEqualTo(2);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void rejectsAFileThatIsNotAVocabularyNamingTheLine(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("vocab.tsv"), List.of(Vocabulary.HEADER, "0\t<pad>\t0", "7\toops\t1"));
        assertThatThrownBy(() -> Vocabulary.load(file)).hasMessageContaining("vocab.tsv:3:");
        Path other = Files.write(dir.resolve("other.txt"), List.of("hello"));
        assertThatThrownBy(() -> Vocabulary.load(other)).hasMessageContaining("other.txt:1: not a captioner vocabulary");
    }
}
