package org.captioner.image;

import java.io.IOException;
import java.nio.file.Path;

/** An image that cannot be used; the message names its source and says why. */
public final class ImageDecodeException extends IOException {
    /** Why an image was refused, so callers such as a web service can answer each case apart. */
    public enum Kind {
        /** missing, empty or unreadable input */
        UNREADABLE,
        /** more bytes than the limit */
        TOO_MANY_BYTES,
        /** the header announces more pixels than the limit (possible decompression bomb) */
        TOO_MANY_PIXELS,
        /** not an image, or one of a format not in {@link ImageFormat} (e.g. TIFF) */
        NOT_AN_IMAGE,
        /** an image format we read, but broken or truncated data, or a header with no usable size (0x0) */
        CORRUPT
    }

    private final String source;
    private final Kind kind;
    private final String reason;

    public ImageDecodeException(Path file, Kind kind, String reason) {
        this(file.toString(), kind, reason, null);
    }

    public ImageDecodeException(Path file, Kind kind, String reason, Throwable cause) {
        this(file.toString(), kind, reason, cause);
    }

    /** @param source the file name, or a description of in-memory data such as {@code "upload"} */
    public ImageDecodeException(String source, Kind kind, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
        this.source = source;
        this.kind = kind;
        this.reason = reason;
    }

    /** The file name or description of the refused image. */
    public String source() {
        return source;
    }

    public Kind kind() {
        return kind;
    }

    /** Why the image was refused, without its source. */
    public String reason() {
        return reason;
    }
}
