package org.captioner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {
    /** The toolkit's example: candidate "this is a good test" against two references, plus a perfect second image. */
    private static final String REFERENCES_MAP = """
            {"1": ["this is a test", "this is also a test"], "2": ["a dog runs on the grass"]}""";
    private static final String CANDIDATES = """
            [{"image_id": 1, "caption": "This is a good test."}, {"image_id": "2", "caption": "A dog runs on the grass."}]""";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void captureOutput() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @Test
    void printsTheCorpusScoresAsATable() throws IOException {
        int exit = Main.run("score", "--references", write("refs.json", REFERENCES_MAP),
                "--candidates", write("cands.json", CANDIDATES));

        assertThat(exit).isZero();
        assertThat(out()).contains("2 images scored (PTB-tokenized, none skipped)")
                .containsPattern("(?m)^Bleu_1 +0\\.\\d{6}$")
                .containsPattern("(?m)^ROUGE_L +0\\.\\d{6}$")
                .containsPattern("(?m)^CIDEr +\\d\\.\\d{6}$")
                .contains("METEOR   n/a");
    }

    @Test
    void printsOneJsonObjectWithTheToolkitKeys() throws IOException {
        int exit = Main.run("score", "-r", write("refs.json", REFERENCES_MAP), "-c", write("cands.json", CANDIDATES),
                "--json");

        assertThat(exit).isZero();
        JsonNode scores = new ObjectMapper().readTree(out());
        assertThat(scores.fieldNames()).toIterable()
                .containsExactly("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr");
        // ROUGE-L: image 1 scores 0.9070631 (the toolkit's example), image 2 scores 1.
        assertThat(scores.get("ROUGE_L").asDouble()).isCloseTo((0.9070631970 + 1) / 2, within(1e-9));
    }

    @Test
    void readsCocoAnnotationsAndKarpathySplits() throws IOException {
        String coco = """
                {"images": [{"id": 1}, {"id": 2}], "annotations": [
                  {"image_id": 1, "caption": "this is a test"}, {"image_id": 1, "caption": "this is also a test"},
                  {"image_id": 2, "caption": "a dog runs on the grass"}]}""";
        String karpathy = """
                {"images": [
                  {"filename": "a.jpg", "cocoid": 1, "split": "test", "sentences": [{"raw": "This is a test."},
                    {"tokens": ["this", "is", "also", "a", "test"]}]},
                  {"filename": "b.jpg", "cocoid": 2, "split": "test", "sentences": [{"raw": "A dog runs on the grass"}]},
                  {"filename": "c.jpg", "cocoid": 3, "split": "train", "sentences": [{"raw": "unused"}]}]}""";
        String candidates = write("cands.json", CANDIDATES);

        Main.run("score", "-r", write("map.json", REFERENCES_MAP), "-c", candidates, "--json");
        String fromMap = out();
        stdout.reset();
        Main.run("score", "-r", write("coco.json", coco), "-c", candidates, "--json");
        String fromCoco = out();
        stdout.reset();
        int exit = Main.run("score", "-r", write("karpathy.json", karpathy), "--split", "test", "-c", candidates, "--json");

        assertThat(exit).isZero();
        assertThat(fromCoco).isEqualTo(fromMap);
        assertThat(out()).isEqualTo(fromMap);
    }

    /** evaluate's captions.json names images by file name, COCO results files by COCO id: both are scored alike. */
    @Test
    void candidatesMayNameCocoImagesByFileNameOrByCocoId() throws IOException {
        String coco = write("coco.json", """
                {"images": [{"id": 1, "file_name": "COCO_1.jpg"}, {"id": 2, "file_name": "COCO_2.jpg"}], "annotations": [
                  {"image_id": 1, "caption": "this is a test"}, {"image_id": 1, "caption": "this is also a test"},
                  {"image_id": 2, "caption": "a dog runs on the grass"}]}""");
        String byFileName = write("captions.json", """
                [{"image_id": "COCO_1.jpg", "caption": "This is a good test."},
                 {"image_id": "COCO_2.jpg", "caption": "A dog runs on the grass."}]""");

        Main.run("score", "-r", write("map.json", REFERENCES_MAP), "-c", write("cands.json", CANDIDATES), "--json");
        String fromMap = out();
        stdout.reset();
        Main.run("score", "-r", coco, "-c", byFileName, "--json");
        String fromFileNames = out();
        stdout.reset();
        int exit = Main.run("score", "-r", coco, "-c", write("results.json", CANDIDATES), "--json");

        assertThat(exit).as(err()).isZero();
        assertThat(out()).isEqualTo(fromMap);
        assertThat(fromFileNames).isEqualTo(fromMap);
    }

    @Test
    void unknownCandidateIsAnErrorNamingFileAndImageUnlessSkipped() throws IOException {
        String refs = write("refs.json", REFERENCES_MAP);
        String cands = write("cands.json", """
                [{"image_id": 1, "caption": "a test"}, {"image_id": 2, "caption": "a dog"}, {"image_id": 99, "caption": "x"}]""");

        assertThat(Main.run("score", "-r", refs, "-c", cands)).isEqualTo(ExitCodes.FAILED);
        assertThat(err()).contains(cands).contains("images with no references").contains("99");

        stderr.reset();
        assertThat(Main.run("score", "-r", refs, "-c", cands, "--skip-unknown")).isZero();
        assertThat(err()).contains("skipped candidate for unknown image 99");
        assertThat(out()).contains("2 images scored (PTB-tokenized, 1 skipped)");
    }

    @Test
    void imageWithoutCandidateIsAnErrorUnlessSkipped() throws IOException {
        String refs = write("refs.json", REFERENCES_MAP);
        String cands = write("cands.json", """
                [{"image_id": 1, "caption": "this is a good test"}]""");

        assertThat(Main.run("score", "-r", refs, "-c", cands)).isEqualTo(ExitCodes.FAILED);
        assertThat(err()).contains(cands).contains("no candidate for 1 image").contains(": 2");

        stderr.reset();
        assertThat(Main.run("score", "-r", refs, "-c", cands, "--skip-missing", "--no-tokenize", "--json")).isZero();
        assertThat(err()).contains("skipped image 2, which has no candidate");
        assertThat(new ObjectMapper().readTree(out()).get("Bleu_1").asDouble()).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void duplicateCandidateIsAnError() throws IOException {
        String cands = write("cands.json", """
                [{"image_id": 1, "caption": "a"}, {"image_id": "2", "caption": "b"}, {"image_id": "1", "caption": "c"}]""");

        assertThat(Main.run("score", "-r", write("refs.json", REFERENCES_MAP), "-c", cands, "--skip-unknown",
                "--skip-missing")).isEqualTo(ExitCodes.FAILED);
        assertThat(err()).contains(cands).contains("duplicate candidate for image 1 (entries [0] and [2])");
    }

    @Test
    void malformedFilesAreReportedWithFileAndField() throws IOException {
        String refs = write("refs.json", REFERENCES_MAP);

        assertThat(Main.run("score", "-r", refs, "-c", write("bad.json", "[{\"image_id\": 1}]")))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(err()).contains("bad.json: [0]: field 'caption' missing or not a string");

        stderr.reset();
        assertThat(Main.run("score", "-r", write("broken.json", "{\"1\": [\"a\""), "-c", write("c.json", CANDIDATES)))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(err()).contains("broken.json: not valid JSON");

        stderr.reset();
        assertThat(Main.run("score", "-r", refs, "--split", "test", "-c", write("c2.json", CANDIDATES)))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(err()).contains("a split can only be chosen in a Karpathy split file");
    }

    private String write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content).toString();
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }
}
