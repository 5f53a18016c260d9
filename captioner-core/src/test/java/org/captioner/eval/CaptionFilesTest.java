package org.captioner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.captioner.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionFilesTest {
    @TempDir
    Path dir;

    @Test
    void cocoAnnotationsGroupCaptionsByImageAndNormaliseIdsToText() throws IOException {
        Path file = write("coco.json", """
                {"images": [{"id": 7}], "annotations": [
                  {"image_id": 7, "caption": "a"}, {"image_id": "x9", "caption": "b"}, {"image_id": 7, "caption": "c"}]}""");

        assertThat(CaptionFiles.readReferences(file, Optional.empty()))
                .containsExactly(entry("7", List.of("a", "c")), entry("x9", List.of("b")));
    }

    @Test
    void karpathyFilesUseCocoIdOrFileNameAndFilterBySplit() throws IOException {
        Path file = write("karpathy.json", """
                {"images": [
                  {"filename": "1.jpg", "imgid": 0, "split": "train", "sentences": [{"raw": "t"}]},
                  {"filename": "2.jpg", "imgid": 1, "split": "val", "sentences": [{"tokens": ["a", "dog"]}]},
                  {"filename": "3.jpg", "imgid": 2, "cocoid": 391895, "split": "val", "sentences": [{"raw": "A cat.", "tokens": ["a", "cat"]}]}]}""");

        assertThat(CaptionFiles.readReferences(file, Optional.of(Split.DEV)))
                .containsExactly(entry("2.jpg", List.of("a dog")), entry("391895", List.of("A cat.")));
        assertThat(CaptionFiles.readReferences(file, Optional.empty())).containsOnlyKeys("1.jpg", "2.jpg", "391895");
    }

    @Test
    void plainMapsKeepFileOrder() throws IOException {
        Path file = write("map.json", "{\"b\": [\"x\"], \"a\": [\"y\", \"z\"]}");

        assertThat(CaptionFiles.readReferences(file, Optional.empty()))
                .containsExactly(entry("b", List.of("x")), entry("a", List.of("y", "z")));
    }

    @Test
    void candidatesAcceptNumericAndStringIdsAndRejectDuplicatesAcrossBoth() throws IOException {
        Path ok = write("ok.json", "[{\"image_id\": 1, \"caption\": \"a\"}, {\"image_id\": \"2\", \"caption\": \"b\"}]");
        Path duplicate = write("dup.json", "[{\"image_id\": 1, \"caption\": \"a\"}, {\"image_id\": \"1\", \"caption\": \"b\"}]");

        assertThat(CaptionFiles.readCandidates(ok)).containsExactly(entry("1", "a"), entry("2", "b"));
        assertThatThrownBy(() -> CaptionFiles.readCandidates(duplicate))
                .isInstanceOf(EvaluationInputException.class)
                .hasMessage(duplicate + ": duplicate candidate for image 1 (entries [0] and [1])");
    }

    @Test
    void errorsNameTheFileAndTheField() throws IOException {
        Path badAnnotation = write("a.json", "{\"annotations\": [{\"image_id\": 1.5, \"caption\": \"a\"}]}");
        Path notReferences = write("b.json", "[1, 2]");
        Path badSentence = write("c.json", "{\"images\": [{\"filename\": \"x.jpg\", \"split\": \"test\", \"sentences\": [{}]}]}");

        assertThatThrownBy(() -> CaptionFiles.readReferences(badAnnotation, Optional.empty()))
                .hasMessage(badAnnotation + ": annotations[0]: field 'image_id' missing or not an integer or string");
        assertThatThrownBy(() -> CaptionFiles.readReferences(notReferences, Optional.empty()))
                .hasMessageStartingWith(notReferences + ": not a reference file");
        assertThatThrownBy(() -> CaptionFiles.readReferences(badSentence, Optional.empty()))
                .hasMessage(badSentence + ": field 'images[0].sentences[0].tokens' missing or not an array");
    }

    @Test
    void pairingListsWhatTheSkipFlagsLeftOut() {
        Path refs = Path.of("refs.json");
        Path cands = Path.of("cands.json");
        Map<String, List<String>> references = Map.of("1", List.of("a"), "2", List.of("b"));
        Map<String, String> candidates = Map.of("1", "a", "3", "c");

        EvaluationSet set = EvaluationSet.pair(references, refs, candidates, cands, true, true);

        assertThat(set.references()).containsOnlyKeys("1");
        assertThat(set.candidates()).containsOnlyKeys("1");
        assertThat(set.skipped()).containsExactlyInAnyOrder(
                "cands.json: skipped candidate for unknown image 3", "cands.json: skipped image 2, which has no candidate");
        assertThatThrownBy(() -> EvaluationSet.pair(references, refs, candidates, cands, false, true))
                .hasMessageContaining("cands.json: 1 candidate for images with no references in refs.json: 3");
        assertThatThrownBy(() -> EvaluationSet.pair(references, refs, candidates, cands, true, false))
                .hasMessageContaining("cands.json: no candidate for 1 image of refs.json: 2");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
