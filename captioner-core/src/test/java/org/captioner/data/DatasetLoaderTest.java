package org.captioner.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines));
    }

    @Test
    void readsFlickrTokenFileAndReportsBadLinesWithTheirNumbers() throws IOException {
        Path file = write("captions.token.txt",
                "a.jpg#0\tA dog runs .",
                "a.jpg#1\tA brown dog running .",
                "this line has no tab",
                "b.jpg#0\tTwo kids play",
                "b.jpg.1#0\tA ghost image",
                "c.jpg#0\t   ");

        Dataset dataset = DatasetLoader.load(file);

        assertThat(dataset.format()).isEqualTo(CaptionFormat.FLICKR_TOKEN);
        assertThat(dataset.images()).extracting(ImageCaptions::imageId).containsExactly("a.jpg", "b.jpg");
        assertThat(dataset.images().get(0).captions()).containsExactly("A dog runs .", "A brown dog running .");
        assertThat(dataset.problems()).extracting(LoadProblem::toString).anySatisfy(text ->
                assertThat(text).startsWith(file + ":3: malformed line"));
        assertThat(dataset.problems()).extracting(LoadProblem::toString).anySatisfy(text ->
                assertThat(text).contains(":6: empty caption for c.jpg"));
        assertThat(dataset.problems()).extracting(LoadProblem::message).anySatisfy(text ->
                assertThat(text).contains("'b.jpg.1' is not an image file name"));
    }

    @Test
    void readsQuotedCsvWithSplitColumnAndSkipsRaggedRows() throws IOException {
        Path file = write("captions.csv",
                "image,caption,split",
                "a.jpg,\"A dog, brown, runs .\",train",
                "b.jpg,A cat sleeps,val",
                "c.jpg,too,many,fields",
                "d.jpg,A bird,nonsense");

        Dataset dataset = DatasetLoader.load(file);

        assertThat(dataset.format()).isEqualTo(CaptionFormat.CSV);
        assertThat(dataset.byId().get("a.jpg").captions()).containsExactly("A dog, brown, runs .");
        assertThat(dataset.byId().get("a.jpg").split()).isEqualTo(Split.TRAIN);
        assertThat(dataset.byId().get("b.jpg").split()).isEqualTo(Split.DEV);
        assertThat(dataset.byId()).doesNotContainKey("c.jpg").containsKey("d.jpg");
        assertThat(dataset.problems()).extracting(LoadProblem::toString)
                .anySatisfy(text -> assertThat(text).contains("captions.csv:4: row has 4 fields"))
                .anySatisfy(text -> assertThat(text).contains("captions.csv:5: unknown split 'nonsense'"));
    }

    @Test
    void csvWithoutCaptionColumnIsAClearError() throws IOException {
        Path file = write("bad.csv", "image,label", "a.jpg,dog");
        assertThatThrownBy(() -> DatasetLoader.load(file))
                .hasMessageContaining("bad.csv").hasMessageContaining("no caption column");
    }

    @Test
    void readsJsonlWithSingleAndManyCaptions() throws IOException {
        Path file = write("captions.jsonl",
                "{\"image\": \"a.jpg\", \"caption\": \"A dog\", \"split\": \"test\"}",
                "{\"image\": \"b.jpg\", \"captions\": [\"A cat\", \"A kitten\"]}",
                "{not json",
                "{\"image\": \"c.jpg\"}");

        Dataset dataset = DatasetLoader.load(file);

        assertThat(dataset.format()).isEqualTo(CaptionFormat.JSONL);
        assertThat(dataset.byId().get("a.jpg").split()).isEqualTo(Split.TEST);
        assertThat(dataset.byId().get("b.jpg").captions()).containsExactly("A cat", "A kitten");
        assertThat(dataset.problems()).extracting(LoadProblem::toString)
                .anySatisfy(text -> assertThat(text).contains("captions.jsonl:3: not valid JSON"))
                .anySatisfy(text -> assertThat(text).contains("captions.jsonl:4: empty caption for c.jpg"));
    }

    @Test
    void readsCocoCaptionJson() throws IOException {
        Path file = write("captions_val2017.json", """
                {"info": {}, "images": [{"id": 1, "file_name": "000001.jpg"}, {"id": 2, "file_name": "000002.jpg"}],
                 "annotations": [{"image_id": 1, "id": 10, "caption": "A man rides."},
                                 {"image_id": 2, "id": 11, "caption": "A plane."},
                                 {"image_id": 1, "id": 12, "caption": "Someone on a bike."},
                                 {"image_id": 99, "id": 13, "caption": "Orphan."}]}""");

        Dataset dataset = DatasetLoader.load(file);

        assertThat(dataset.format()).isEqualTo(CaptionFormat.COCO_JSON);
        assertThat(dataset.byId().get("000001.jpg").captions()).containsExactly("A man rides.", "Someone on a bike.");
        assertThat(dataset.problems()).extracting(LoadProblem::message)
                .anySatisfy(text -> assertThat(text).contains("annotations[3] refers to unknown image_id 99"));
    }

    @Test
    void readsKarpathyJsonWithItsSplitsAndFolders() throws IOException {
        Path file = write("dataset_coco.json", """
                {"images": [
                  {"filepath": "val2014", "filename": "x.jpg", "split": "restval", "sentences": [{"raw": "A cat.", "tokens": ["a", "cat"]}]},
                  {"filename": "y.jpg", "split": "val", "sentences": [{"tokens": ["a", "dog"]}]},
                  {"filename": "z.jpg", "split": "test", "sentences": [{"raw": "A bird."}, {"raw": "Birds."}]}
                ], "dataset": "coco"}""");

        Dataset dataset = DatasetLoader.load(file, DatasetLoader.Options.defaults().withImageDir(dir));

        assertThat(dataset.format()).isEqualTo(CaptionFormat.KARPATHY_JSON);
        assertThat(dataset.byId().get("x.jpg").split()).isEqualTo(Split.TRAIN);
        assertThat(dataset.byId().get("x.jpg").image()).isEqualTo(dir.resolve("val2014/x.jpg"));
        assertThat(dataset.byId().get("y.jpg").captions()).containsExactly("a dog");
        assertThat(dataset.byId().get("y.jpg").split()).isEqualTo(Split.DEV);
        assertThat(dataset.split(Split.TEST)).hasSize(1);
    }

    @Test
    void randomSplitIsByImageSeededAndStable() throws IOException {
        String[] lines = new String[500];
        for (int i = 0; i < 100; i++) {
            for (int c = 0; c < 5; c++) {
                lines[i * 5 + c] = "img" + i + ".jpg#" + c + "\tcaption " + c;
            }
        }
        Path file = write("own.token.txt", lines);

        Dataset first = DatasetLoader.load(file);
        Dataset again = DatasetLoader.load(file);

        assertThat(first.countBySplit()).containsEntry(Split.TRAIN, 80L).containsEntry(Split.DEV, 10L).containsEntry(Split.TEST, 10L);
        assertThat(first.images()).isEqualTo(again.images());
        assertThat(first.images()).allSatisfy(image -> assertThat(image.captions()).hasSize(5));
        Dataset otherSeed = DatasetLoader.load(file, DatasetLoader.Options.defaults().withSeed(7));
        assertThat(otherSeed.split(Split.DEV)).isNotEqualTo(first.split(Split.DEV));
    }

    @Test
    void officialSplitListsBesideTheFileWin() throws IOException {
        Path file = write("Flickr8k.token.txt", "a.jpg#0\tA", "b.jpg#0\tB", "c.jpg#0\tC", "d.jpg#0\tD");
        write("Flickr_8k.trainImages.txt", "a.jpg", "b.jpg");
        write("Flickr_8k.devImages.txt", "c.jpg", "a.jpg");

        Dataset dataset = DatasetLoader.load(file);

        assertThat(dataset.byId().get("a.jpg").split()).isEqualTo(Split.TRAIN);
        assertThat(dataset.byId().get("c.jpg").split()).isEqualTo(Split.DEV);
        assertThat(dataset.byId().get("d.jpg").split()).isEqualTo(Split.UNSPLIT);
        assertThat(dataset.problems()).extracting(LoadProblem::toString)
                .anySatisfy(text -> assertThat(text).contains("Flickr_8k.devImages.txt:2: a.jpg is already in split train"));
    }

    @Test
    void wordLimitsLimitAndMissingImages() throws IOException {
        Files.createDirectories(dir.resolve("images"));
        Files.write(dir.resolve("images/a.jpg"), new byte[]{1});
        Files.write(dir.resolve("images/b.jpg"), new byte[]{1});
        Path file = write("caps.csv", "image,caption", "a.jpg,one two three", "a.jpg,one", "b.jpg,one two",
                "missing.jpg,one two three");

        Dataset filtered = DatasetLoader.load(file, DatasetLoader.Options.defaults()
                .withRequireImages(true).withWordLimits(2, 3));

        assertThat(filtered.byId().get("a.jpg").captions()).containsExactly("one two three");
        assertThat(filtered.byId()).containsOnlyKeys("a.jpg", "b.jpg");
        assertThat(filtered.problems()).extracting(LoadProblem::message)
                .anySatisfy(text -> assertThat(text).contains("1 images have captions but no file here (e.g. missing.jpg)"))
                .anySatisfy(text -> assertThat(text).contains("1 captions outside the word limits [2, 3]"));
        assertThat(DatasetLoader.load(file, DatasetLoader.Options.defaults().withLimit(2)).images()).hasSize(2);
    }

    @Test
    void missingFileAndUnknownFormatAreClearErrors() throws IOException {
        assertThatThrownBy(() -> DatasetLoader.load(dir.resolve("nope.txt"))).hasMessageContaining("caption file not found");
        Path binary = write("weird.txt", "just some words");
        assertThatThrownBy(() -> DatasetLoader.load(binary)).hasMessageContaining("weird.txt").hasMessageContaining("cannot tell the caption format");
    }
}
