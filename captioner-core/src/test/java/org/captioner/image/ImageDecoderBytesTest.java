package org.captioner.image;

import org.captioner.image.ImageDecodeException.Kind;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageDecoderBytesTest {
    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void decodesJpegAndPngBytesToRgbOfTheSameSize() throws IOException {
        for (String format : new String[]{"jpg", "png"}) {
            BufferedImage decoded = decoder.decode(encode(picture(40, 30), format), "upload");
            assertThat(decoded.getWidth()).isEqualTo(40);
            assertThat(decoded.getHeight()).isEqualTo(30);
            assertThat(decoded.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
            assertThat(new Color(decoded.getRGB(5, 5)).getRed()).isGreaterThan(200);
        }
    }

    @Test
    void refusesTextAsNotAnImage() {
        assertRefused(decoder, "hello, not a picture".getBytes(StandardCharsets.UTF_8), Kind.NOT_AN_IMAGE);
    }

    @Test
    void refusesEmptyAndTruncatedData() throws IOException {
        byte[] jpeg = encode(picture(64, 64), "jpg");
        assertRefused(decoder, new byte[0], Kind.UNREADABLE);
        assertRefused(decoder, Arrays.copyOf(jpeg, jpeg.length / 2), Kind.CORRUPT);
    }

    @Test
    void refusesTooManyBytesAndTooManyPixelsBeforeDecoding() throws IOException {
        byte[] png = encode(picture(20, 20), "png");
        assertRefused(new ImageDecoder(new ImageLimits(1_000_000, png.length - 1)), png, Kind.TOO_MANY_BYTES);
        assertRefused(new ImageDecoder(new ImageLimits(399, png.length)), png, Kind.TOO_MANY_PIXELS);
    }

    @Test
    void aPngCutInItsHeaderSaysTheDataEndsTooEarly() throws IOException {
        byte[] png = encode(picture(20, 20), "png");
        assertThatThrownBy(() -> decoder.decode(Arrays.copyOf(png, 20), "upload"))
                .hasMessageContaining("the data ends too early");
    }

    private static void assertRefused(ImageDecoder decoder, byte[] data, Kind kind) {
        assertThatThrownBy(() -> decoder.decode(data, "upload"))
                .isInstanceOfSatisfying(ImageDecodeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(kind);
                    assertThat(e.source()).isEqualTo("upload");
                    assertThat(e.getMessage()).startsWith("upload: ");
                });
    }

    private static BufferedImage picture(int width, int height) {
        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return picture;
    }

    private static byte[] encode(BufferedImage picture, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(picture, format, out);
        return out.toByteArray();
    }
}
