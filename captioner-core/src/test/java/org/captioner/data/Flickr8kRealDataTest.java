package org.captioner.data;

import org.captioner.SharedData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The readers on the real Flickr8k files in ../shared. */
class Flickr8kRealDataTest {

    @Test
    void tokenFileHas8091ImagesWith5CaptionsAndTheOfficialSplits() throws IOException {
        Path flickr = SharedData.flickr8k();

        Dataset dataset = DatasetLoader.load(flickr.resolve("Flickr8k.token.txt"));

        assertThat(dataset.images()).hasSize(8091);
        assertThat(dataset.images()).allSatisfy(image -> assertThat(image.captions()).hasSize(5));
        assertThat(dataset.countBySplit()).containsEntry(Split.TRAIN, 6000L).containsEntry(Split.DEV, 1000L)
                .containsEntry(Split.TEST, 1000L).containsEntry(Split.UNSPLIT, 91L);
        assertThat(dataset.problems()).singleElement().satisfies(problem ->
                assertThat(problem.message()).contains("'2258277193_586949ec62.jpg.1' is not an image file name (5 captions"));
    }

    @Test
    void kaggleCsvAgreesWithTheTokenFile() throws IOException {
        Path flickr = SharedData.flickr8k();

        Dataset csv = DatasetLoader.load(flickr.resolve("captions.txt"));
        Dataset token = DatasetLoader.load(flickr.resolve("Flickr8k.token.txt"));

        assertThat(csv.format()).isEqualTo(CaptionFormat.CSV);
        assertThat(csv.images()).hasSize(8091);
        assertThat(csv.captionCount()).isEqualTo(40455);
        assertThat(csv.byId().keySet()).isEqualTo(token.byId().keySet());
        assertThat(csv.countBySplit()).isEqualTo(token.countBySplit());
    }

    @Test
    void requiringImagesKeepsTheTrainAndDevImagesThatAreOnDisk() throws IOException {
        Path flickr = SharedData.flickr8k();

        Dataset dataset = DatasetLoader.load(flickr.resolve("Flickr8k.token.txt"),
                DatasetLoader.Options.defaults().withRequireImages(true));

        assertThat(dataset.images()).hasSize(7091);
        assertThat(dataset.split(Split.TEST)).isEmpty();
        assertThat(dataset.problems()).extracting(LoadProblem::message)
                .anySatisfy(text -> assertThat(text).startsWith("1000 images have captions but no file here"));
    }
}
