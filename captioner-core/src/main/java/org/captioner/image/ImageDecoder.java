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
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Decodes image files or bytes (by content, not extension) of the {@link ImageFormat supported formats} into
 * upright {@code TYPE_INT_RGB} images. TwelveMonkeys' JPEG plugin, found by ImageIO on the classpath, handles
 * CMYK/YCCK and broken color profiles; the EXIF orientation is applied so the picture is the way a viewer shows it.
 * <p>
 * Memory follows the output, not the input: the header is read first, and large images are decoded subsampled
 * (every n-th pixel of every n-th row, n the same on both axes so the shape is kept) with n as large as keeps the
 * short side at least {@code keepShortSide} (twice the model's input, so captions of full-resolution photos do not
 * get worse), and never more than {@link ImageLimits#maxDecodedPixels()} decoded. A photo whose short side is below
 * twice {@code keepShortSide} (all of Flickr8k) is decoded at full resolution.
 * Thread-safe: every call uses its own reader.
 */
public final class ImageDecoder {
    /** Twice the 224 x 224 input of the built-in backbones. */
    public static final int DEFAULT_KEEP_SHORT_SIDE = 448;

    static {
        // Stream readers would otherwise buffer through temp files: memory is faster and leaves nothing behind.
        ImageIO.setUseCache(false);
    }

    private final ImageLimits limits;
    private final int keepShortSide;

    public ImageDecoder() {
        this(ImageLimits.DEFAULT);
    }

    public ImageDecoder(ImageLimits limits) {
        this(limits, DEFAULT_KEEP_SHORT_SIDE);
    }

    /** @param keepShortSide subsampling keeps the short side at least this long (when the image has it) */
    public ImageDecoder(ImageLimits limits, int keepShortSide) {
        if (keepShortSide < 1) {
            throw new IllegalArgumentException("the short side to keep must be positive: " + keepShortSide);
        }
        this.limits = limits;
        this.keepShortSide = keepShortSide;
    }

    /** A decoder for a model of {@code inputSize x inputSize} input: keeps at least twice that on the short side. */
    public static ImageDecoder forModelInput(int inputSize, ImageLimits limits) {
        return new ImageDecoder(limits, 2 * inputSize);
    }

    /** The formats decoded; anything else is refused with {@link Kind#NOT_AN_IMAGE}. */
    public static List<ImageFormat> supportedFormats() {
        return List.of(ImageFormat.values());
    }

    public BufferedImage decode(Path file) throws ImageDecodeException {
        return readFile(file, this::decodeWith);
    }

    /**
     * Decodes an image held in memory, such as an upload, with the same checks as a file.
     *
     * @param source names the data in error messages, e.g. {@code "upload"} or a URL
     */
    public BufferedImage decode(byte[] data, String source) throws ImageDecodeException {
        return readBytes(data, source, this::decodeWith);
    }

    /**
     * Reads only the header: format, size and the subsampling {@link #decode} would use, with the same checks
     * (file size, supported format, usable and allowed dimensions). Costs a few KB, no pixels.
     */
    public ImageHeader probe(byte[] data, String source) throws ImageDecodeException {
        return readBytes(data, source, this::header);
    }

    /** {@link #probe(byte[], String)} for a file. */
    public ImageHeader probe(Path file) throws ImageDecodeException {
        return readFile(file, this::header);
    }

    /** One step with a reader found for the input; ImageIO failures are turned into {@link ImageDecodeException}. */
    private interface ReaderStep<T> {
        T apply(ImageReader reader, ImageInputStream input, ImageFormat format, String source) throws IOException;
    }

    private <T> T readFile(Path file, ReaderStep<T> step) throws ImageDecodeException {
        String source = file.toString();
        checkSize(fileSize(file), source);
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            if (input == null) {
                throw new ImageDecodeException(source, Kind.UNREADABLE, "cannot open for reading", null);
            }
            return withReader(input, source, step);
        } catch (IOException e) {
            throw asDecodeFailure(e, source);
        }
    }

    private <T> T readBytes(byte[] data, String source, ReaderStep<T> step) throws ImageDecodeException {
        checkSize(data.length, source);
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            return withReader(input, source, step);
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

    private <T> T withReader(ImageInputStream input, String source, ReaderStep<T> step) throws ImageDecodeException {
        try {
            ImageReader reader = supportedReader(input, source);
            try {
                return step.apply(reader, input, ImageFormat.ofReaderFormatName(reader.getFormatName()).orElseThrow(), source);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw asDecodeFailure(e, source);
        }
    }

    /** The first ImageIO reader of a supported format that recognizes the content. */
    private static ImageReader supportedReader(ImageInputStream input, String source) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
        String unsupported = null;
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (ImageFormat.ofReaderFormatName(reader.getFormatName()).isPresent()) {
                return reader;
            }
            unsupported = unsupported == null ? reader.getFormatName() : unsupported;
            reader.dispose();
        }
        String what = unsupported == null ? "unrecognized content" : "the content is " + unsupported.toUpperCase(Locale.ROOT);
        throw new ImageDecodeException(source, Kind.NOT_AN_IMAGE,
                "unsupported image format (" + what + "; supported: " + ImageFormat.supportedList() + ")", null);
    }

    /** Decoders signal corrupt data with IIOException, but also with IndexOutOfBounds and the like. */
    private static ImageDecodeException asDecodeFailure(Exception e, String source) {
        if (e instanceof ImageDecodeException refused) {
            return refused;
        }
        // A reader's own bug on bad data ("-5" from an ArrayIndexOutOfBoundsException) needs its name to mean anything.
        String reason = e instanceof RuntimeException ? e.getClass().getSimpleName() + ": " + describe(e) : describe(e);
        return new ImageDecodeException(source, Kind.CORRUPT, "corrupt image: " + reason, e);
    }

    /** Reads the header only and refuses what cannot or must not be decoded, before any pixel is. */
    private ImageHeader header(ImageReader reader, ImageInputStream input, ImageFormat format, String source) throws IOException {
        input.seek(0);
        reader.setInput(new EndOfDataGuard(input), true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException(source, Kind.CORRUPT,
                    "image header says " + width + "x" + height + " pixels: not a usable image", null);
        }
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels()) {
            throw new ImageDecodeException(source, Kind.TOO_MANY_PIXELS, "image header says " + width + "x" + height
                    + " pixels, more than the limit of " + limits.maxPixels() + " pixels (possible decompression bomb)", null);
        }
        ImageHeader header = new ImageHeader(format, width, height, subsampling(width, height));
        if (header.heldPixels() > limits.maxDecodedPixels()) {
            throw new ImageDecodeException(source, Kind.TOO_MANY_PIXELS, "image header says " + width + "x" + height + " pixels; a "
                    + format.displayName() + " is decoded whole, and that is more than the limit of " + limits.maxDecodedPixels()
                    + " decoded pixels", null);
        }
        return header;
    }

    /**
     * The largest step that keeps the short side at least {@code keepShortSide}, raised further only when the
     * decoded picture would still have more than {@code maxDecodedPixels} (panoramas).
     */
    int subsampling(int width, int height) {
        int step = Math.max(1, Math.min(width, height) / keepShortSide);
        long pixels = (long) width * height;
        step = Math.max(step, (int) Math.sqrt((double) pixels / limits.maxDecodedPixels()));
        while ((long) ceilDiv(width, step) * ceilDiv(height, step) > limits.maxDecodedPixels()) {
            step++;
        }
        return step;
    }

    private static int ceilDiv(int side, int step) {
        return (side + step - 1) / step;
    }

    private BufferedImage decodeWith(ImageReader reader, ImageInputStream input, ImageFormat format, String source) throws IOException {
        // Read before the pixels: the reader may discard the stream's start once it decodes forward-only.
        int orientation = format == ImageFormat.JPEG ? exifOrientation(input) : 1;
        ImageHeader header = header(reader, input, format, source);
        ImageReadParam subsampled = reader.getDefaultReadParam();
        if (header.subsampling() > 1) {
            subsampled.setSourceSubsampling(header.subsampling(), header.subsampling(), 0, 0);
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((IIOReadWarningListener) (ignored, warning) -> {
            warnings.add(warning);
            if (isTruncation(warning)) {
                reader.abort(); // the rest would be decoded from nothing: a 40 MP progressive JPEG took 6 s
            }
        });
        BufferedImage decoded = reader.read(0, subsampled);
        // Truncated files decode "successfully" with gray/garbage rows and a warning: refuse them.
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

    /** The message, with the innermost cause's when it differs: readers wrap the useful part ("Image width <= 0!"). */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = messageOf(e);
        return root == e || messageOf(root).equals(message) ? message : message + " (" + messageOf(root) + ")";
    }

    /** One line: some readers put line breaks or nothing at all in their messages. */
    private static String messageOf(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e instanceof EOFException ? "the data ends too early" : e.getClass().getSimpleName();
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
