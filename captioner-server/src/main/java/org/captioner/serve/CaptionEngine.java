package org.captioner.serve;

import org.captioner.Caption;
import org.captioner.decode.DecodingOptions;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;

/** Captions a batch of pictures in one go, as {@link org.captioner.Captioner#caption(List, DecodingOptions)} does. */
@FunctionalInterface
public interface CaptionEngine {
    List<List<Caption>> caption(List<BufferedImage> pictures, DecodingOptions options) throws IOException;
}
