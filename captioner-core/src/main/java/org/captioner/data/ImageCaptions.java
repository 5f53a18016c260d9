package org.captioner.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One image of a dataset with all its reference captions.
 *
 * @param imageId  stable identifier, usually the file name (e.g. {@code 1000268201_693b08cb0e.jpg})
 * @param image    where the image file is expected; it may not exist when only captions are loaded
 * @param captions raw captions as written in the source file, in file order
 * @param split    the split this image belongs to
 */
public record ImageCaptions(String imageId, Path image, List<String> captions, Split split) {
    public ImageCaptions {
        captions = List.copyOf(captions);
    }
}
