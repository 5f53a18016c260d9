package org.captioner.bundle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.captioner.decode.DecodingOptions;
import org.captioner.features.BackboneSpec;
import org.captioner.image.ResizeMode;
import org.captioner.model.ModelConfig;
import org.captioner.text.TextNormalizer;

import java.util.Arrays;
import java.util.Map;

/**
 * {@code bundle.json}: everything besides the weights and the vocabulary that captioning a new picture
 * needs, and where the model came from.
 *
 * @param format      always {@value ModelBundle#FORMAT}
 * @param version     layout version; a newer one than this code knows is refused
 * @param family      model family, as in {@code model.json}
 * @param backbone    the backbone spec the features were made with, its sha256 included
 * @param resize      how pictures were brought to the backbone's input size ({@code SQUASH} or {@code CENTER_CROP})
 * @param gridHeight  rows of the backbone's region grid (for attention maps)
 * @param gridWidth   columns of the region grid
 * @param normalizer  how captions were tokenized for the vocabulary
 * @param decoding    the default decoding options (e.g. beam 3)
 * @param devMetrics  scores on the dev split, by COCO metric key
 * @param provenance  free-form facts: training data, command, time, Captioner version
 * @param weightsSha256 SHA-256 of {@code weights.bin} in hex, recorded by {@link ModelBundle#write} and checked on
 *                    reading; null only in bundles of version 1, written before it was recorded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleManifest(String format, int version, String family, BackboneSpec backbone, String resize,
                             int gridHeight, int gridWidth, TextNormalizer normalizer, DecodingOptions decoding,
                             Map<String, Double> devMetrics, Map<String, String> provenance, String weightsSha256) {
    /** Rows and columns of a backbone's region grid at most: 64 x 64 regions is far beyond any ImageNet backbone. */
    public static final int MAX_GRID_SIDE = 64;

    /** Checks every field a bundle.json may get wrong; the message names the field and what it allows. */
    @JsonCreator
    public BundleManifest {
        if (family == null || !ModelConfig.FAMILIES.contains(family)) {
            throw new IllegalArgumentException("family must be one of " + String.join(", ", ModelConfig.FAMILIES)
                    + ", not '" + family + "'");
        }
        if (Arrays.stream(ResizeMode.values()).noneMatch(mode -> mode.name().equals(resize))) {
            throw new IllegalArgumentException("resize must be one of " + Arrays.toString(ResizeMode.values())
                    + ", not '" + resize + "'");
        }
        requireSide("gridHeight", gridHeight);
        requireSide("gridWidth", gridWidth);
        requirePresent("backbone", backbone);
        requirePresent("normalizer", normalizer);
        requirePresent("decoding", decoding);
        if (weightsSha256 != null && !weightsSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("weightsSha256 must be 64 lower-case hex digits, not '" + weightsSha256 + "'");
        }
        devMetrics = devMetrics == null ? Map.of() : Map.copyOf(devMetrics);
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
    }

    /** A manifest to write: {@link ModelBundle#write} records the weights' checksum. */
    public BundleManifest(String format, int version, String family, BackboneSpec backbone, String resize,
                          int gridHeight, int gridWidth, TextNormalizer normalizer, DecodingOptions decoding,
                          Map<String, Double> devMetrics, Map<String, String> provenance) {
        this(format, version, family, backbone, resize, gridHeight, gridWidth, normalizer, decoding, devMetrics,
                provenance, null);
    }

    BundleManifest withWeightsSha256(String sha256) {
        return new BundleManifest(format, version, family, backbone, resize, gridHeight, gridWidth, normalizer, decoding,
                devMetrics, provenance, sha256);
    }

    private static void requireSide(String name, int value) {
        if (value < 1 || value > MAX_GRID_SIDE) {
            throw new IllegalArgumentException(name + " must be from 1 to " + MAX_GRID_SIDE + ", not " + value);
        }
    }

    private static void requirePresent(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
    }
}
