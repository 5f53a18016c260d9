package org.captioner.features;

import java.nio.file.Path;

/** An image that could not be used, with the reason (e.g. "truncated or corrupt image data"). */
public record ImageFailure(String imageId, Path file, String reason) {
    @Override
    public String toString() {
        return file + ": " + reason;
    }
}
