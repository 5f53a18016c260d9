package org.captioner;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The shipped model (models/default) on the first Flickr8k images: the captions, their log-probabilities and the
 * first attention weight it gave when this test was written. Refactorings of the models must keep them.
 */
class ShippedModelCaptionsTest {
    private record Expected(String image, String text, double logProbability, float firstAttention) {
    }

    private static final List<Expected> EXPECTED = List.of(
            new Expected("1000268201_693b08cb0e.jpg", "a woman in a blue shirt is sitting in front of a building",
                    -15.463578582275659, 0.020091837f),
            new Expected("1001773457_577c3a7d70.jpg", "a black and white dog is running on the grass",
                    -10.521895855665207, 0.030665994f),
            new Expected("1002674143_1b742ab4b8.jpg", "a little girl in a red shirt is sitting in the grass",
                    -14.054549664258957, 0.017580608f),
            new Expected("1003163366_44323f5815.jpg", "a man and a woman sitting on a bench",
                    -8.246780529618263, 0.0182678f));

    @Test
    void theShippedModelCaptionsAsItDidWhenReleased() throws IOException {
        Path shipped = Path.of(System.getProperty("user.dir")).resolveSibling("models").resolve("default");
        Path images = SharedData.flickr8k().resolve("images");
        try (Captioner captioner = Captioner.load(shipped, SharedData.models())) {
            for (Expected expected : EXPECTED) {
                Caption caption = captioner.caption(images.resolve(expected.image())).get(0);

                assertThat(caption.text()).as(expected.image()).isEqualTo(expected.text());
                assertThat(caption.logProbability()).as(expected.image()).isCloseTo(expected.logProbability(), within(1e-5));
                assertThat(caption.attention().get(0)[0]).as(expected.image())
                        .isCloseTo(expected.firstAttention(), within(1e-6f));
            }
        }
    }
}
