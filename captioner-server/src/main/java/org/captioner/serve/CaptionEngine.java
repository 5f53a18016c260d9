package org.captioner.serve;

import org.captioner.Caption;
import org.captioner.Captioner;
import org.captioner.PictureFeatures;
import org.captioner.decode.DecodingOptions;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;

/**
 * Captions a batch of pictures in two stages, as {@link Captioner#features} and
 * {@link Captioner#caption(PictureFeatures, DecodingOptions)} do, so that the {@link MicroBatcher} can run the backbone
 * on one batch while it decodes the captions of another.
 */
public interface CaptionEngine {
    /** The first stage: the backbone on all pictures at once. */
    PictureFeatures features(List<BufferedImage> pictures) throws IOException;

    /** The second stage: one list of captions per picture, best first. */
    List<List<Caption>> caption(PictureFeatures features, DecodingOptions options);

    static CaptionEngine of(Captioner captioner) {
        return new CaptionEngine() {
            @Override
            public PictureFeatures features(List<BufferedImage> pictures) throws IOException {
                return captioner.features(pictures);
            }

            @Override
            public List<List<Caption>> caption(PictureFeatures features, DecodingOptions options) {
                return captioner.caption(features, options);
            }
        };
    }
}
