package org.captioner.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder();

    @TempDir
    Path dir;

    @Test
    void decodesJpegAndPngToUprightRgb() throws IOException {
        BufferedImage picture = TestImages.halves(64, 32, Color.RED, Color.BLUE);
        for (String format : new String[]{"jpg", "png"}) {
            Path file = TestImages.write(dir, "picture." + format, TestImages.encode(picture, format));
            BufferedImage decoded = decoder.decode(file);
            assertThat(decoded.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
            assertThat(decoded.getWidth()).isEqualTo(64);
            assertThat(decoded.getHeight()).isEqualTo(32);
            assertThat(isReddish(decoded.getRGB(5, 16))).as(format).isTrue();
        }
    }

    @Test
    void decodesByContentNotExtension() throws IOException {
        Path pngNamedJpg = TestImages.write(dir, "really-a-png.jpg", TestImages.encode(TestImages.halves(10, 10, Color.RED, Color.RED), "png"));
        assertThat(decoder.decode(pngNamedJpg).getRGB(5, 5)).isEqualTo(Color.RED.getRGB());
    }

    @Test
    void refusesEmptyFileNamingIt() throws IOException {
        Path empty = TestImages.write(dir, "empty.jpg", new byte[0]);
        assertThatThrownBy(() -> decoder.decode(empty))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("empty");
    }

    @Test
    void refusesTextFile() throws IOException {
        Path text = TestImages.write(dir, "notes.jpg", "not a picture at all\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> decoder.decode(text))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining(text.toString())
                .hasMessageContaining("unsupported image format");
    }

    @Test
    void refusesTruncatedJpeg() throws IOException {
        byte[] jpeg = TestImages.encode(noise(128, 128), "jpg");
        Path truncated = TestImages.write(dir, "truncated.jpg", Arrays.copyOf(jpeg, jpeg.length / 2));
        assertThatThrownBy(() -> decoder.decode(truncated))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining(truncated.toString());
    }

    @Test
    void refusesCorruptJpeg() throws IOException {
        byte[] jpeg = TestImages.encode(noise(128, 128), "jpg");
        // Keep the JPEG signature, destroy the headers: a reader is found but cannot decode.
        for (int i = 4; i < jpeg.length; i++) {
            jpeg[i] = (byte) (i * 31);
        }
        Path corrupt = TestImages.write(dir, "corrupt.jpg", jpeg);
        assertThatThrownBy(() -> decoder.decode(corrupt))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining(corrupt.toString());
    }

    @Test
    void refusesDecompressionBombFromHeaderAlone() throws IOException {
        byte[] png = TestImages.encode(TestImages.halves(8, 8, Color.RED, Color.BLUE), "png");
        Path bomb = TestImages.write(dir, "bomb.png", HeaderEdits.withSize(png, 30000, 30000));
        assertThatThrownBy(() -> decoder.decode(bomb))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining(bomb.toString())
                .hasMessageContaining("30000x30000")
                .hasMessageContaining("decompression bomb");
    }

    @Test
    void refusesFileAboveSizeLimit() throws IOException {
        Path file = TestImages.write(dir, "big.png", TestImages.encode(noise(64, 64), "png"));
        ImageDecoder strict = new ImageDecoder(new ImageLimits(1_000_000, 100));
        assertThatThrownBy(() -> strict.decode(file)).isInstanceOf(ImageDecodeException.class).hasMessageContaining("limit");
    }

    @Test
    void appliesExifOrientation() throws IOException {
        // Orientation 6 = "rotate 90 degrees clockwise to display": the left half ends up on top.
        byte[] jpeg = TestImages.encode(TestImages.halves(40, 20, Color.RED, Color.BLUE), "jpg");
        Path rotated = TestImages.write(dir, "rotated.jpg", withExifOrientation(jpeg, 6));
        BufferedImage decoded = decoder.decode(rotated);
        assertThat(decoded.getWidth()).isEqualTo(20);
        assertThat(decoded.getHeight()).isEqualTo(40);
        assertThat(isReddish(decoded.getRGB(10, 5))).isTrue();
        assertThat(isReddish(decoded.getRGB(10, 35))).isFalse();
    }

    @Test
    void decodesAdobeCmykJpeg() throws IOException {
        // Photoshop-style CMYK: channel values are inverted (255 = no ink). Left half no ink (white),
        // right half full cyan.
        WritableRaster cmyk = WritableRaster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 32, 32, 4, null);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                cmyk.setPixel(x, y, x < 16 ? new int[]{255, 255, 255, 255} : new int[]{0, 255, 255, 255});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(cmyk, null, null), null);
        } finally {
            writer.dispose();
        }
        Path file = TestImages.write(dir, "cmyk.jpg", withAdobeCmykMarker(bytes.toByteArray()));

        BufferedImage decoded = decoder.decode(file);
        assertThat(decoded.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        Color paper = new Color(decoded.getRGB(4, 16));
        Color cyan = new Color(decoded.getRGB(28, 16));
        assertThat(Math.min(paper.getRed(), Math.min(paper.getGreen(), paper.getBlue()))).isGreaterThan(220);
        assertThat(cyan.getRed()).isLessThan(100);
        assertThat(cyan.getBlue()).isGreaterThan(150);
    }

    private static boolean isReddish(int rgb) {
        Color c = new Color(rgb);
        return c.getRed() > 180 && c.getBlue() < 80;
    }

    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    /** Inserts an Adobe APP14 segment with transform 0 (plain CMYK, no YCCK) after SOI. */
    private static byte[] withAdobeCmykMarker(byte[] jpeg) {
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 16);
        out.put(jpeg, 0, 2);
        out.put((byte) 0xFF).put((byte) 0xEE).putShort((short) 14).put("Adobe".getBytes(StandardCharsets.ISO_8859_1));
        out.putShort((short) 100).putShort((short) 0).putShort((short) 0).put((byte) 0); // version, flags, transform
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    /** Inserts an APP1 Exif segment holding a one-entry little-endian IFD (Orientation) after SOI. */
    private static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8); // header, IFD at 8
        tiff.putShort((short) 1); // one entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0); // no next IFD
        byte[] exifHeader = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + exifHeader.length + tiff.capacity();
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
        out.put(jpeg, 0, 2); // SOI
        out.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(exifHeader).put(tiff.array());
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }
}
