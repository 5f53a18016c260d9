package org.captioner.image;

import java.io.IOException;
import java.nio.file.Path;

/** An image file that cannot be used; the message names the file and says why. */
public final class ImageDecodeException extends IOException {
    private final Path file;
    private final String reason;

    public ImageDecodeException(Path file, String reason) {
        this(file, reason, null);
    }

    public ImageDecodeException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    /** Why the file was refused, without the file name. */
    public String reason() {
        return reason;
    }
}
