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
    JPEG("JPEG", "image/jpeg", "jpg", "jpeg"),
    PNG("PNG", "image/png", "png"),
    /** The first frame of an animation. */
    GIF("GIF", "image/gif", "gif"),
    BMP("BMP", "image/bmp", "bmp"),
    /** Lossy and lossless, via TwelveMonkeys; the first frame of an animation. */
    WEBP("WebP", "image/webp", "webp");

    private final String displayName;
    private final String mediaType;
    private final List<String> extensions;

    ImageFormat(String displayName, String mediaType, String... extensions) {
        this.displayName = displayName;
        this.mediaType = mediaType;
        this.extensions = List.of(extensions);
    }

    public String displayName() {
        return displayName;
    }

    public String mediaType() {
        return mediaType;
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
