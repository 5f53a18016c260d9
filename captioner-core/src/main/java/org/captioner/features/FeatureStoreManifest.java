package org.captioner.features;

import org.captioner.io.AtomicFiles;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code manifest.json} of a feature store: which backbone produced the features and their shapes.
 * A store only ever holds features of one backbone file with one preprocessing.
 *
 * @param format     always {@value #FORMAT}
 * @param version    layout version, {@value #VERSION}
 * @param backbone   backbone name, e.g. {@code mobilenet_v2}
 * @param sha256     SHA-256 of the backbone's ONNX file
 * @param resize     how pictures were brought to the input size ({@code SQUASH} or {@code CENTER_CROP})
 * @param gridHeight rows of the region grid
 * @param gridWidth  columns of the region grid; {@code regions = gridHeight * gridWidth}
 * @param channels   floats per region and of the pooled vector
 * @param dtype      element type of {@code features.f16}: {@value #DTYPE}, little-endian
 */
public record FeatureStoreManifest(String format, int version, String backbone, String sha256, String resize,
                                   int gridHeight, int gridWidth, int channels, String dtype) {
    public static final String FORMAT = "captioner-feature-store";
    public static final int VERSION = 1;
    public static final String DTYPE = "float16-le";
    static final String FILE_NAME = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static FeatureStoreManifest of(OnnxBackbone backbone) {
        return new FeatureStoreManifest(FORMAT, VERSION, backbone.spec().name(), backbone.sha256(),
                backbone.preprocessor().resizeMode().name(), backbone.gridHeight(), backbone.gridWidth(), backbone.channels(), DTYPE);
    }

    public int regions() {
        return gridHeight * gridWidth;
    }

    /** Bytes of one image's record: its region grid, then its pooled vector, as halves. */
    public long recordBytes() {
        return 2L * (regions() + 1) * channels;
    }

    /** Whether features described by {@code other} can go into the same store. */
    public boolean compatibleWith(FeatureStoreManifest other) {
        return Objects.equals(backbone, other.backbone) && Objects.equals(sha256, other.sha256)
                && Objects.equals(resize, other.resize) && gridHeight == other.gridHeight && gridWidth == other.gridWidth
                && channels == other.channels && Objects.equals(dtype, other.dtype);
    }

    public String describe() {
        return backbone + " (sha256 " + sha256 + ", " + resize + ", " + gridHeight + "x" + gridWidth + "x" + channels + ")";
    }

    static FeatureStoreManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        FeatureStoreManifest manifest;
        try {
            manifest = JSON.readValue(file.toFile(), FeatureStoreManifest.class);
        } catch (JacksonException e) {
            throw new IOException(file + ": not a feature store manifest: " + e.getOriginalMessage(), e);
        }
        if (!FORMAT.equals(manifest.format) || manifest.version != VERSION || !DTYPE.equals(manifest.dtype)) {
            throw new IOException(file + ": unsupported feature store (format " + manifest.format + " version "
                    + manifest.version + ", dtype " + manifest.dtype + "; expected " + FORMAT + " " + VERSION + ", " + DTYPE + ")");
        }
        if (manifest.regions() <= 0 || manifest.channels <= 0) {
            throw new IOException(file + ": invalid shapes " + manifest.gridHeight + "x" + manifest.gridWidth + "x" + manifest.channels);
        }
        return manifest;
    }

    void write(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(FILE_NAME), JSON.writeValueAsBytes(this));
    }
}
