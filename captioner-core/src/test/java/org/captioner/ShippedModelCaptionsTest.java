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
            new Expected("1000268201_693b08cb0e.jpg", "a little girl in a red jacket is standing in front of a building",
                    -11.28089952468872, 0.0238335f),
            new Expected("1001773457_577c3a7d70.jpg", "two black dogs are playing in the grass",
                    -4.1747331619262695, 0.029220307f),
            new Expected("1002674143_1b742ab4b8.jpg", "a little girl is playing in the grass",
                    -5.346291542053223, 0.026016945f),
            new Expected("1003163366_44323f5815.jpg", "a man and a woman sitting on a bench",
                    -4.419997215270996, 0.024787316f));

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
