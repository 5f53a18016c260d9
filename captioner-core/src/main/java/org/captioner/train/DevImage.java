package org.captioner.train;

import java.util.List;

/** A development image with all its reference captions (each START ... END). */
public record DevImage(String imageId, List<int[]> references) {
    public DevImage {
        references = List.copyOf(references);
    }
}
