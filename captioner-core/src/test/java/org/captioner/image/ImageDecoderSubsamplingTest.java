package org.captioner.image;

import org.captioner.SharedData;
import org.captioner.image.ImageDecodeException.Kind;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Memory follows the decoded picture, not the header; photos of ordinary size decode exactly as they are. */
class ImageDecoderSubsamplingTest {
    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void decodesA40MegapixelPngOf150KbSubsampledInLittleMemory() throws IOException {
        byte[] bomb = FlatPng.of(7300, 5440);
        assertThat(decoder.probe(bomb, "upload")).isEqualTo(new ImageHeader(ImageFormat.PNG, 7300, 5440, 12));
        BufferedImage[] decoded = new BufferedImage[1];
        long allocated = Allocation.bytesDuring(() -> decoded[0] = decoder.decode(bomb, "upload"));
        // Full resolution took 397 MB; 12x subsampled it is 609 x 454, the short side still over 2 x 224.
        assertThat(decoded[0].getWidth()).isEqualTo(609);
        assertThat(decoded[0].getHeight()).isEqualTo(454);
        assertThat(allocated).as("bytes allocated").isLessThan(64L << 20);
        assertThat(new Color(decoded[0].getRGB(300, 10)).getRed()).isEqualTo(0x80);
    }

    @Test
    void subsamplingKeepsTheShortSideAtLeastTwiceTheModelInput() {
        assertThat(decoder.subsampling(500, 375)).isEqualTo(1);
        assertThat(decoder.subsampling(895, 1200)).isEqualTo(1);
        assertThat(decoder.subsampling(896, 1200)).isEqualTo(2);
        assertThat(decoder.subsampling(4032, 3024)).isEqualTo(6); // a phone photo: 672 x 504
        assertThat(ImageDecoder.forModelInput(384, ImageLimits.DEFAULT).subsampling(4032, 3024)).isEqualTo(3);
    }

    @Test
    void panoramasAreSubsampledFurtherSoTheDecodedPictureStaysWithinItsLimit() {
        int step = decoder.subsampling(100_000, 400);
        assertThat(step).isEqualTo(4); // 25,000 x 100
        assertThat(new ImageHeader(ImageFormat.PNG, 100_000, 400, step).decodedPixels())
                .isLessThanOrEqualTo(ImageLimits.DEFAULT_MAX_DECODED_PIXELS);
    }

    @Test
    void flickrOriginalsDecodeAtFullResolution() throws IOException {
        List<Path> photos = ImageFiles.list(SharedData.flickr8k().resolve("images")).subList(0, 20);
        for (Path photo : photos) {
            BufferedImage plain = ImageIO.read(photo.toFile());
            ImageHeader header = decoder.probe(photo);
            assertThat(header.subsampling()).as(photo.toString()).isEqualTo(1);
            BufferedImage decoded = decoder.decode(photo);
            assertThat(decoded.getWidth()).isEqualTo(plain.getWidth());
            assertThat(decoded.getHeight()).isEqualTo(plain.getHeight());
        }
    }

    @Test
    void aZeroSizedHeaderIsNotUsableRatherThanTooLarge() throws IOException {
        byte[] jpeg = TestImages.encode(TestImages.halves(32, 32, Color.RED, Color.BLUE), "jpg");
        assertThatThrownBy(() -> decoder.decode(HeaderEdits.withSize(jpeg, 0, 0), "upload"))
                .isInstanceOfSatisfying(ImageDecodeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPT))
                .hasMessage("upload: image header says 0x0 pixels: not a usable image");
    }

    @Test
    void aWebpIsDecodedWholeSoItsHeaderIsHeldToTheDecodedPixelLimit() throws IOException {
        byte[] webp = HeaderEdits.withSize(ImageFormatsTest.resource("lossy.webp"), 4000, 3000);
        assertThatThrownBy(() -> decoder.probe(webp, "upload"))
                .isInstanceOfSatisfying(ImageDecodeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_MANY_PIXELS))
                .hasMessage("upload: image header says 4000x3000 pixels; a WebP is decoded whole, and that is more than the limit"
                        + " of 4000000 decoded pixels");
    }

    @Test
    void aZeroSizedPngSaysWhatTheReaderFound() throws IOException {
        byte[] png = HeaderEdits.withSize(TestImages.encode(TestImages.halves(32, 32, Color.RED, Color.BLUE), "png"), 0, 0);
        assertThatThrownBy(() -> decoder.decode(png, "upload"))
                .hasMessage("upload: corrupt image: I/O error reading PNG header! (Image width <= 0!)");
    }

    @Test
    void aHugeHeaderIsRefusedBeforeDecodingInEveryFormat() throws IOException {
        BufferedImage picture = TestImages.halves(32, 32, Color.RED, Color.BLUE);
        for (String format : List.of("jpg", "png", "gif")) {
            byte[] huge = HeaderEdits.withSize(TestImages.encode(picture, format), 65535, 65535);
            assertThatThrownBy(() -> decoder.probe(huge, "upload." + format)).as(format)
                    .isInstanceOfSatisfying(ImageDecodeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_MANY_PIXELS))
                    .hasMessageContaining("65535x65535");
        }
        // The BMP reader itself refuses a size its pixel data cannot hold, as corrupt.
        byte[] bmp = HeaderEdits.withSize(TestImages.encode(picture, "bmp"), 65535, 65535);
        assertThatThrownBy(() -> decoder.probe(bmp, "upload.bmp")).hasMessage("upload.bmp: corrupt image: Invalid width/height for BI_RGB image data.");
        byte[] webp = HeaderEdits.withSize(ImageFormatsTest.resource("lossy.webp"), 16383, 16383);
        assertThatThrownBy(() -> decoder.decode(webp, "upload.webp")).hasMessageContaining("16383x16383")
                .hasMessageContaining("possible decompression bomb");
    }
}
