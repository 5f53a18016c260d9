package org.captioner.bundle;

import org.captioner.decode.DecodeOptions;
import org.captioner.features.BackboneSpec;
import org.captioner.text.TextNormalizer;

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
 * @param normalizer  how captions were tokenised for the vocabulary
 * @param decoding    the default decoding options (e.g. beam 3)
 * @param devMetrics  scores on the dev split, by COCO metric key
 * @param provenance  free-form facts: training data, command, time, Captioner version
 */
public record BundleManifest(String format, int version, String family, BackboneSpec backbone, String resize,
                             int gridHeight, int gridWidth, TextNormalizer normalizer, DecodeOptions decoding,
                             Map<String, Double> devMetrics, Map<String, String> provenance) {
    public BundleManifest {
        devMetrics = devMetrics == null ? Map.of() : Map.copyOf(devMetrics);
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
    }
}
