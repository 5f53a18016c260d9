package org.captioner.image;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The image formats Captioner decodes. ImageIO knows more (TIFF, WBMP with the JDK): those are refused as
 * unsupported, so what is accepted is a decision in one place, not whatever plugin happens to be on the classpath.
 */
public enum ImageFormat {
    JPEG("JPEG", "image/jpeg", true, "jpg", "jpeg"),
    PNG("PNG", "image/png", true, "png"),
    /** The first frame of an animation. */
    GIF("GIF", "image/gif", true, "gif"),
    BMP("BMP", "image/bmp", true, "bmp"),
    /**
     * Lossy and lossless, via TwelveMonkeys; the first frame of an animation. Its reader decodes the whole frame
     * before subsampling (a 12 MP lossy WebP allocated 1.3 GB), so its header is held to the decoded-pixel limit.
     */
    WEBP("WebP", "image/webp", false, "webp");

    private final String displayName;
    private final String mediaType;
    private final boolean subsamplesWhileDecoding;
    private final List<String> extensions;

    ImageFormat(String displayName, String mediaType, boolean subsamplesWhileDecoding, String... extensions) {
        this.displayName = displayName;
        this.mediaType = mediaType;
        this.subsamplesWhileDecoding = subsamplesWhileDecoding;
        this.extensions = List.of(extensions);
    }

    public String displayName() {
        return displayName;
    }

    public String mediaType() {
        return mediaType;
    }

    /**
     * Whether the reader decodes row by row, keeping only the subsampled rows (JPEG in the heap; a progressive
     * JPEG still holds its coefficients natively), so memory follows the decoded size rather than the header's.
     */
    public boolean subsamplesWhileDecoding() {
        return subsamplesWhileDecoding;
    }

    /** File name extensions without the dot, lower case, the usual one first. */
    public List<String> extensions() {
        return extensions;
    }

    /** "JPEG, PNG, GIF, BMP, WebP": for messages and docs. */
    public static String supportedList() {
        return Arrays.stream(values()).map(ImageFormat::displayName).collect(Collectors.joining(", "));
    }

    /** The format of an ImageIO reader, by its format name ("JPEG", "jpg", "png", ...); empty when not supported. */
    static Optional<ImageFormat> ofReaderFormatName(String formatName) {
        String name = formatName.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(format -> format.extensions.contains(name)).findFirst();
    }
}
