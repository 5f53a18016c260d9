package org.captioner.spark;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.captioner.decode.DecodingOptions;

import java.io.IOException;

/**
 * {@code --decoding beamWidth=5,count=3}: decoding options of {@code spark-submit} runs, named as the fields of
 * {@link DecodingOptions} (strategy, beamWidth, lengthPenalty, maxLength, noRepeatNgramSize, temperature, topK, topP,
 * count, seed) and laid over the bundle's defaults.
 */
final class DecodingOverrides {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private DecodingOverrides() {
    }

    static DecodingOptions apply(DecodingOptions defaults, String overrides) {
        ObjectNode fields = JSON.valueToTree(defaults);
        for (String pair : overrides.split(",")) {
            String[] keyValue = pair.split("=", 2);
            if (keyValue.length != 2 || !fields.has(keyValue[0].trim())) {
                throw new IllegalArgumentException("--decoding: '" + pair + "' is not NAME=VALUE with NAME one of "
                        + iterable(fields));
            }
            fields.put(keyValue[0].trim(), keyValue[1].trim());
        }
        try {
            return JSON.treeToValue(fields, DecodingOptions.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("--decoding " + overrides + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static String iterable(ObjectNode fields) {
        StringBuilder names = new StringBuilder();
        fields.fieldNames().forEachRemaining(name -> names.append(names.isEmpty() ? "" : ", ").append(name));
        return names.toString();
    }
}
