package org.captioner.image;

import org.captioner.image.ImageDecodeException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every supported format decodes (GIF and WebP animations: the first frame); anything else is refused. */
class ImageFormatsTest {
    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void decodesGifAndBmp() throws IOException {
        BufferedImage picture = TestImages.halves(64, 32, Color.RED, Color.BLUE);
        for (String format : List.of("gif", "bmp")) {
            assertRedLeftBlueRight(decoder.decode(TestImages.encode(picture, format), "upload." + format), format);
        }
    }

    @Test
    void decodesLossyAndLosslessWebp() throws IOException {
        for (String name : List.of("lossy.webp", "lossless.webp")) {
            assertRedLeftBlueRight(decoder.decode(resource(name), name), name);
        }
    }

    @Test
    void decodesTheFirstFrameOfAnimations() throws IOException {
        byte[] gif = animatedGif(TestImages.halves(64, 32, Color.RED, Color.BLUE), TestImages.halves(64, 32, Color.BLUE, Color.BLUE));
        assertRedLeftBlueRight(decoder.decode(gif, "animated.gif"), "gif");
        // animated.webp: the red/blue halves, then all blue
        assertRedLeftBlueRight(decoder.decode(resource("animated.webp"), "animated.webp"), "webp");
    }

    @Test
    void aGifOfHundredThousandFramesCostsOnlyItsFirst() throws IOException {
        byte[] gif = TinyGif.frames(100_000);
        long allocated = Allocation.bytesDuring(() -> assertThat(decoder.decode(gif, "frames.gif").getWidth()).isEqualTo(1));
        assertThat(allocated).as("bytes allocated").isLessThan(16L << 20);
    }

    @Test
    void aWebpWhoseDataEndsLongBeforeItsPixelsIsRefusedAtOnce() throws IOException {
        // A fuzzed lossless.webp of 46 bytes announcing 16,192 x 32: the reader decoded zeros past the end (29 s, 1.1 GB).
        byte[] webp = resource("lossless-past-end.webp");
        long allocated = Allocation.bytesDuring(() -> assertThatThrownBy(() -> decoder.decode(webp, "upload"))
                .hasMessage("upload: corrupt image: the image data ends before its pixels do (truncated or corrupt)"));
        assertThat(allocated).as("bytes allocated").isLessThan(16L << 20);
    }

    @Test
    void probeReadsFormatAndSizeOfEveryFormat() throws IOException {
        BufferedImage picture = TestImages.halves(40, 30, Color.RED, Color.BLUE);
        assertThat(decoder.probe(TestImages.encode(picture, "jpg"), "upload")).isEqualTo(new ImageHeader(ImageFormat.JPEG, 40, 30, 1));
        assertThat(decoder.probe(TestImages.encode(picture, "png"), "upload").format()).isEqualTo(ImageFormat.PNG);
        assertThat(decoder.probe(TestImages.encode(picture, "gif"), "upload").format()).isEqualTo(ImageFormat.GIF);
        assertThat(decoder.probe(TestImages.encode(picture, "bmp"), "upload").format()).isEqualTo(ImageFormat.BMP);
        assertThat(decoder.probe(resource("lossy.webp"), "upload")).isEqualTo(new ImageHeader(ImageFormat.WEBP, 64, 32, 1));
    }

    @Test
    void refusesTiffAsUnsupportedNamingTheFormatsThatAre() throws IOException {
        byte[] tiff = TestImages.encode(TestImages.halves(16, 16, Color.RED, Color.BLUE), "tiff");
        assertThatThrownBy(() -> decoder.decode(tiff, "upload"))
                .isInstanceOfSatisfying(ImageDecodeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_AN_IMAGE))
                .hasMessage("upload: unsupported image format (the content is TIF; supported: JPEG, PNG, GIF, BMP, WebP)");
        assertThatThrownBy(() -> decoder.probe(tiff, "upload")).hasMessageContaining("unsupported image format");
    }

    @Test
    void listsTheSupportedFormatsAndTheirExtensions() {
        assertThat(ImageDecoder.supportedFormats()).containsExactly(ImageFormat.values());
        assertThat(ImageFormat.supportedList()).isEqualTo("JPEG, PNG, GIF, BMP, WebP");
        assertThat(ImageFormat.WEBP.extensions()).containsExactly("webp");
    }

    @Test
    void foldersListEverySupportedExtensionAndNothingElse(@TempDir Path folder) throws IOException {
        for (String name : List.of("a.JPG", "b.jpeg", "c.png", "d.gif", "e.bmp", "f.webp", "g.tif", "h.txt")) {
            Files.write(folder.resolve(name), new byte[] {1});
        }
        assertThat(ImageFiles.list(folder)).extracting(path -> path.getFileName().toString())
                .containsExactly("a.JPG", "b.jpeg", "c.png", "d.gif", "e.bmp", "f.webp");
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ImageFormatsTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static void assertRedLeftBlueRight(BufferedImage decoded, String what) {
        assertThat(decoded.getType()).as(what).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(decoded.getWidth()).as(what).isEqualTo(64);
        Color left = new Color(decoded.getRGB(8, 16));
        Color right = new Color(decoded.getRGB(56, 16));
        assertThat(left.getRed() > 200 && left.getBlue() < 60).as(what + " left is red: " + left).isTrue();
        assertThat(right.getBlue() > 200 && right.getRed() < 60).as(what + " right is blue: " + right).isTrue();
    }

    private static byte[] animatedGif(BufferedImage... frames) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : frames) {
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                writer.writeToSequence(new IIOImage(frame, null, metadata), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
