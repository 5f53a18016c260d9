package org.captioner.serve;

import org.captioner.Caption;
import org.captioner.decode.DecodeOptions;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;

/** Captions a batch of pictures in one go, as {@link org.captioner.Captioner#caption(List, DecodeOptions)} does. */
@FunctionalInterface
public interface CaptionEngine {
    List<List<Caption>> caption(List<BufferedImage> pictures, DecodeOptions options) throws IOException;
}
