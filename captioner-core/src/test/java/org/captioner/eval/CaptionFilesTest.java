package org.captioner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.captioner.data.Dataset;
import org.captioner.data.DatasetLoader;
import org.captioner.data.ImageCaptions;
import org.captioner.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CaptionFilesTest {
    @TempDir
    Path dir;

    @Test
    void cocoImagesAreNamedByFileNameElseByIdAndIdsAreNormalizedToText() throws IOException {
        Path file = write("coco.json", """
                {"images": [{"id": 7}, {"id": 9, "file_name": "b.jpg"}], "annotations": [
                  {"image_id": 7, "caption": "a"}, {"image_id": "9", "caption": "b"}, {"image_id": 7, "caption": "c"}]}""");
        Path withoutImages = write("annotations.json", """
                {"annotations": [{"image_id": "x9", "caption": "d"}]}""");

        References references = CaptionFiles.readReferences(file, Optional.empty());

        assertThat(references.captions()).containsExactly(entry("7", List.of("a", "c")), entry("b.jpg", List.of("b")));
        assertThat(references.namesByCocoId()).containsExactly(entry("9", "b.jpg"));
        assertThat(CaptionFiles.readReferences(withoutImages, Optional.empty()).captions())
                .containsExactly(entry("x9", List.of("d")));
    }

    @Test
    void karpathyImagesAreNamedByFileNameAndFilteredBySplit() throws IOException {
        Path file = write("karpathy.json", """
                {"images": [
                  {"filename": "1.jpg", "imgid": 0, "split": "train", "sentences": [{"raw": "t"}]},
                  {"filename": "2.jpg", "imgid": 1, "split": "val", "sentences": [{"tokens": ["a", "dog"]}]},
                  {"filename": "3.jpg", "imgid": 2, "cocoid": 391895, "split": "val", "sentences": [{"raw": "A cat.", "tokens": ["a", "cat"]}]},
                  {"cocoid": 5, "split": "test", "sentences": [{"raw": "no file name"}]}]}""");

        References dev = CaptionFiles.readReferences(file, Optional.of(Split.DEV));

        assertThat(dev.captions()).containsExactly(entry("2.jpg", List.of("a dog")), entry("3.jpg", List.of("A cat.")));
        assertThat(dev.namesByCocoId()).containsExactly(entry("391895", "3.jpg"));
        assertThat(CaptionFiles.readReferences(file, Optional.empty()).captions())
                .containsOnlyKeys("1.jpg", "2.jpg", "3.jpg", "5");
    }

    /** What {@code dataset} (and so {@code evaluate}'s captions.json) calls an image is what {@code score} calls it. */
    @ParameterizedTest
    @ValueSource(strings = {"""
            {"images": [{"id": 1, "file_name": "COCO_1.jpg"}, {"id": 2, "file_name": "COCO_2.jpg"}], "annotations": [
              {"image_id": 2, "caption": "A plane."}, {"image_id": 1, "caption": "A man rides."},
              {"image_id": 1, "caption": "Someone on a bike."}]}""", """
            {"images": [
              {"filepath": "val2014", "filename": "COCO_1.jpg", "cocoid": 1, "split": "val", "sentences": [{"raw": "A man."}]},
              {"filepath": "val2014", "filename": "COCO_2.jpg", "cocoid": 2, "split": "restval", "sentences": [{"raw": "A plane."}]}
            ], "dataset": "coco"}"""})
    void datasetAndScoreNameTheImagesOfOneFileAlike(String content) throws IOException {
        Path file = write("captions.json", content);

        Dataset dataset = DatasetLoader.load(file);
        References references = CaptionFiles.readReferences(file, Optional.empty());

        assertThat(dataset.problems()).isEmpty();
        assertThat(references.captions().keySet())
                .containsExactlyElementsOf(dataset.images().stream().map(ImageCaptions::imageId).toList());
        dataset.images().forEach(image -> assertThat(references.captions().get(image.imageId()))
                .isEqualTo(image.captions()));
        assertThat(references.namesByCocoId()).containsOnly(entry("1", "COCO_1.jpg"), entry("2", "COCO_2.jpg"));
    }

    @Test
    void aCandidateMayNameItsImageByFileNameOrByCocoIdButNotBoth() throws IOException {
        References references = new References(Map.of("COCO_1.jpg", List.of("a"), "COCO_2.jpg", List.of("b")),
                Map.of("1", "COCO_1.jpg", "2", "COCO_2.jpg"));
        Path candidates = Path.of("cands.json");

        assertThat(references.byName(Map.of("1", "x", "COCO_2.jpg", "y"), candidates))
                .containsOnly(entry("COCO_1.jpg", "x"), entry("COCO_2.jpg", "y"));
        assertThat(references.byName(Map.of("7", "z"), candidates)).containsOnly(entry("7", "z"));
        Map<String, String> both = new LinkedHashMap<>();
        both.put("1", "x");
        both.put("COCO_1.jpg", "y");
        assertThatThrownBy(() -> references.byName(both, candidates)).isInstanceOf(EvaluationInputException.class)
                .hasMessage("cands.json: two candidates for image COCO_1.jpg (as image_id 1 and COCO_1.jpg)");
    }

    @Test
    void plainMapsKeepFileOrder() throws IOException {
        Path file = write("map.json", "{\"b\": [\"x\"], \"a\": [\"y\", \"z\"]}");

        assertThat(CaptionFiles.readReferences(file, Optional.empty()).captions())
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
                .hasMessage(badSentence + ": images[0].sentences[0]: neither a 'raw' string nor a 'tokens' array");
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
