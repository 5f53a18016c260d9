package org.captioner.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import org.captioner.image.ImageDecodeException.Kind;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Decodes JPEG and PNG files or bytes (by content, not extension) into upright {@code TYPE_INT_RGB} images.
 * TwelveMonkeys' JPEG plugin, found by ImageIO on the classpath, handles CMYK/YCCK and broken
 * colour profiles; the EXIF orientation is applied so the picture is the way a viewer shows it.
 * Thread-safe: every call uses its own reader.
 */
public final class ImageDecoder {
    static {
        // Stream readers would otherwise buffer through temp files: memory is faster and leaves nothing behind.
        ImageIO.setUseCache(false);
    }

    private final ImageLimits limits;

    public ImageDecoder() {
        this(ImageLimits.DEFAULT);
    }

    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    public BufferedImage decode(Path file) throws ImageDecodeException {
        String source = file.toString();
        checkSize(fileSize(file), source);
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            if (input == null) {
                throw new ImageDecodeException(source, Kind.UNREADABLE, "cannot open for reading", null);
            }
            return decode(input, source);
        } catch (IOException e) {
            throw asDecodeFailure(e, source);
        }
    }

    /**
     * Decodes an image held in memory, such as an upload, with the same checks as a file.
     *
     * @param source names the data in error messages, e.g. {@code "upload"} or a URL
     */
    public BufferedImage decode(byte[] data, String source) throws ImageDecodeException {
        checkSize(data.length, source);
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            return decode(input, source);
        } catch (IOException e) {
            throw asDecodeFailure(e, source);
        }
    }

    private void checkSize(long size, String source) throws ImageDecodeException {
        if (size == 0) {
            throw new ImageDecodeException(source, Kind.UNREADABLE, "empty file (0 bytes)", null);
        }
        if (size > limits.maxFileBytes()) {
            throw new ImageDecodeException(source, Kind.TOO_MANY_BYTES,
                    "file is " + size + " bytes, more than the limit of " + limits.maxFileBytes(), null);
        }
    }

    private BufferedImage decode(ImageInputStream input, String source) throws ImageDecodeException {
        try {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new ImageDecodeException(source, Kind.NOT_AN_IMAGE, "not a JPEG or PNG image (unrecognised content)", null);
            }
            ImageReader reader = readers.next();
            try {
                return decodeWith(reader, input, source);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw asDecodeFailure(e, source);
        }
    }

    /** Decoders signal corrupt data with IIOException, but also with IndexOutOfBounds and the like. */
    private static ImageDecodeException asDecodeFailure(Exception e, String source) {
        return e instanceof ImageDecodeException refused ? refused
                : new ImageDecodeException(source, Kind.CORRUPT, "corrupt image: " + describe(e), e);
    }

    private BufferedImage decodeWith(ImageReader reader, ImageInputStream input, String source) throws IOException {
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        // Read before the pixels: the reader may discard the stream's start once it decodes forward-only.
        int orientation = format.contains("jp") ? exifOrientation(input) : 1;
        input.seek(0);
        reader.setInput(input, true, true);
        // The header is all that has been read so far: refuse a decompression bomb before decoding.
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width <= 0 || height <= 0 || width * height > limits.maxPixels()) {
            throw new ImageDecodeException(source, Kind.TOO_MANY_PIXELS, "image is " + width + "x" + height
                    + " pixels, more than the limit of " + limits.maxPixels() + " pixels (possible decompression bomb)", null);
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((IIOReadWarningListener) (ignored, warning) -> warnings.add(warning));
        BufferedImage decoded = reader.read(0);
        // Truncated files decode "successfully" with grey/garbage rows and a warning: refuse them.
        for (String warning : warnings) {
            if (isTruncation(warning)) {
                throw new ImageDecodeException(source, Kind.CORRUPT, "truncated or corrupt image data (" + warning + ")", null);
            }
        }
        return toUprightRgb(decoded, orientation);
    }

    /** Other warnings (e.g. libjpeg's "extraneous bytes before marker") come with a complete picture. */
    private static boolean isTruncation(String warning) {
        String lower = warning.toLowerCase(Locale.ROOT);
        return lower.contains("premature end") || lower.contains("truncat");
    }

    private static long fileSize(Path file) throws ImageDecodeException {
        try {
            if (!Files.isRegularFile(file)) {
                throw new ImageDecodeException(file, Kind.UNREADABLE, Files.exists(file) ? "not a regular file" : "file does not exist");
            }
            return Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(file, Kind.UNREADABLE, "file does not exist", e);
        } catch (IOException e) {
            throw new ImageDecodeException(file, Kind.UNREADABLE, "cannot read: " + describe(e), e);
        }
    }

    /** EXIF orientation 1-8 from the APP1 segment, 1 (upright) when absent or unreadable. */
    private static int exifOrientation(ImageInputStream input) {
        try {
            input.seek(0);
            List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(input, JPEG.APP1, "Exif");
            if (segments.isEmpty()) {
                return 1;
            }
            byte[] segment = segments.get(0).segmentData().readAllBytes();
            // The TIFF structure follows "Exif\0\0"; its offsets count from its own start.
            try (ImageInputStream exif = ImageIO.createImageInputStream(new ByteArrayInputStream(segment, 6, segment.length - 6))) {
                Directory directory = new TIFFReader().read(exif);
                Entry orientation = directory.getEntryById(TIFF.TAG_ORIENTATION);
                return orientation == null ? 1 : ((Number) orientation.getValue()).intValue();
            }
        } catch (IOException | RuntimeException e) {
            return 1; // broken EXIF must not lose an otherwise good picture
        }
    }

    /** Applies EXIF orientation (1-8) and converts to {@code TYPE_INT_RGB} in one drawing pass. */
    static BufferedImage toUprightRgb(BufferedImage source, int orientation) {
        int w = source.getWidth();
        int h = source.getHeight();
        boolean swapsSides = orientation >= 5 && orientation <= 8;
        AffineTransform transform = new AffineTransform();
        switch (orientation) {
            case 2: transform.scale(-1, 1); transform.translate(-w, 0); break;
            case 3: transform.translate(w, h); transform.rotate(Math.PI); break;
            case 4: transform.scale(1, -1); transform.translate(0, -h); break;
            case 5: transform.rotate(Math.PI / 2); transform.scale(1, -1); break;
            case 6: transform.translate(h, 0); transform.rotate(Math.PI / 2); break;
            case 7: transform.scale(-1, 1); transform.translate(-h, w); transform.rotate(3 * Math.PI / 2); break;
            case 8: transform.translate(0, w); transform.rotate(3 * Math.PI / 2); break;
            default:
                if (source.getType() == BufferedImage.TYPE_INT_RGB) {
                    return source;
                }
        }
        BufferedImage upright = new BufferedImage(swapsSides ? h : w, swapsSides ? w : h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = upright.createGraphics();
        try {
            g.drawImage(source, transform, null);
        } finally {
            g.dispose();
        }
        return upright;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
