package org.captioner.train;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.captioner.decode.DecodingOptions;
import org.captioner.model.ModelConfig;
import org.captioner.text.TextNormalizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything that decides a training run: text processing, model family and sizes, training
 * hyper-parameters and the default decoding of the resulting bundle. Read from YAML or JSON over the
 * built-in {@code default-recipe.yaml}, so a recipe file holds only what it changes; saved with the model.
 *
 * @param model the model section; {@code vocabSize}, {@code regions} and {@code featureChannels} are filled in from
 *              the data by {@link #modelConfig}
 */
public record TrainingRecipe(TextSettings text, ObjectNode model, TrainingConfig training, DecodingOptions decoding) {
    /** How captions become token ids. */
    public record TextSettings(TextNormalizer normalizer, int maxWords, int minCount) {
    }

    /** Named values in any case ({@code baseline: mean}, {@code strategy: beam}), as {@code precision: fp32} is written. */
    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS).build();

    public static TrainingRecipe defaults() throws IOException {
        return load(null, List.of());
    }

    /**
     * @param file      a YAML or JSON recipe with the keys to change, or null for the defaults
     * @param overrides {@code section.key=value} assignments applied last, e.g. {@code training.epochs=5}
     */
    public static TrainingRecipe load(Path file, List<String> overrides) throws IOException {
        ObjectNode tree;
        try (InputStream defaults = TrainingRecipe.class.getResourceAsStream("default-recipe.yaml")) {
            tree = (ObjectNode) YAML.readTree(defaults);
        }
        if (file != null) {
            try {
                YAML.readerForUpdating(tree).readValue(file.toFile());
            } catch (JacksonException e) {
                throw new IOException(file + ": not a valid recipe: " + e.getOriginalMessage(), e);
            }
        }
        for (String override : overrides) {
            apply(tree, override);
        }
        renameBritishKey(tree);
        try {
            return YAML.treeToValue(tree, TrainingRecipe.class);
        } catch (JacksonException e) {
            throw new IOException((file != null ? file + ": " : "") + "invalid recipe: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException((file != null ? file + ": " : "") + "invalid recipe: " + e.getMessage(), e);
        }
    }

    /** Recipes written before the keys took the American spelling (bundles made then carry one) keep their meaning. */
    private static void renameBritishKey(ObjectNode tree) {
        if (tree.get("training") instanceof ObjectNode training && training.has("attentionRegularisation")) {
            training.set("attentionRegularization", training.remove("attentionRegularisation"));
        }
    }

    private static void apply(ObjectNode tree, String override) throws IOException {
        int equals = override.indexOf('=');
        if (equals <= 0) {
            throw new IOException("override '" + override + "' is not section.key=value");
        }
        String[] path = override.substring(0, equals).strip().split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = node.get(path[i]);
            if (!(child instanceof ObjectNode object)) {
                throw new IOException("override '" + override + "': no section '" + path[i] + "'");
            }
            node = object;
        }
        String key = path[path.length - 1];
        if (!node.has(key)) {
            throw new IOException("override '" + override + "': unknown key '" + key + "' (known: "
                    + String.join(", ", (Iterable<String>) node::fieldNames) + ")");
        }
        // Parsed as a YAML scalar, so numbers, booleans and strings all come out as the recipe would have them.
        node.set(key, YAML.readTree(override.substring(equals + 1).strip()));
    }

    /** The model configuration for data with this vocabulary size and feature shape. */
    public ModelConfig modelConfig(int vocabSize, int regions, int featureChannels) throws IOException {
        ObjectNode sized = model.deepCopy();
        sized.put("vocabSize", vocabSize).put("regions", regions).put("featureChannels", featureChannels);
        try {
            return YAML.treeToValue(sized, ModelConfig.class);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new IOException("invalid model section of the recipe: " + e.getMessage(), e);
        }
    }

    /**
     * This recipe with the model and text sections of the model it fine-tunes ({@code TrainingRun#initFrom}), so the
     * saved recipe describes the model that was trained; the vocabulary limits stay this recipe's.
     */
    public TrainingRecipe startingFrom(ModelConfig config, TextNormalizer normalizer) {
        ObjectNode started = YAML.valueToTree(config);
        started.remove(List.of("vocabSize", "regions", "featureChannels"));
        return new TrainingRecipe(new TextSettings(normalizer, text.maxWords(), text.minCount()), started, training,
                decoding);
    }

    public String toYaml() throws IOException {
        return YAML.writeValueAsString(this);
    }
}
