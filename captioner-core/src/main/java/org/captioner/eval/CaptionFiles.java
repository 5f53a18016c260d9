package org.captioner.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.captioner.data.Split;

/**
 * Reads the caption files of an evaluation. References may be
 * <ul>
 *   <li>COCO annotations: {@code {"images": [...], "annotations": [{"image_id": ..., "caption": ...}]}};</li>
 *   <li>a Karpathy split file: {@code {"images": [{"filename", "imgid"?, "cocoid"?, "split", "sentences": [{"raw",
 *       "tokens"}]}]}}, optionally filtered by split; an image is identified by its {@code cocoid} when it has one
 *       (what COCO results files use), otherwise by its {@code filename};</li>
 *   <li>a plain map {@code {"image_id": ["caption", ...]}}.</li>
 * </ul>
 * Candidates are in the COCO results format {@code [{"image_id": ..., "caption": ...}]}. Image ids may be JSON
 * numbers or strings and are compared as text, so 42 and "42" are the same image. Maps keep file order.
 */
public final class CaptionFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaptionFiles() {
    }

    /**
     * Reads references in any of the supported formats.
     *
     * @param split only for Karpathy split files: keep the images of this split
     */
    public static Map<String, List<String>> readReferences(Path file, Optional<Split> split) {
        JsonNode root = parse(file);
        if (root.isObject() && root.has("annotations")) {
            requireNoSplit(file, split, "COCO annotation");
            return readCocoAnnotations(file, root.get("annotations"));
        }
        if (root.isObject() && root.has("images") && !root.has("annotations")) {
            return readKarpathy(file, root.get("images"), split);
        }
        if (root.isObject() && root.size() > 0 && allValuesAreArrays(root)) {
            requireNoSplit(file, split, "{image_id: [captions]}");
            return readCaptionMap(file, root);
        }
        throw new EvaluationInputException(file + ": not a reference file: expected COCO annotations (\"annotations\"),"
                + " a Karpathy split (\"images\" with \"sentences\") or {\"image_id\": [\"caption\", ...]}");
    }

    /** Reads candidates in the COCO results format; a second candidate for the same image is an error. */
    public static Map<String, String> readCandidates(Path file) {
        JsonNode root = parse(file);
        if (!root.isArray()) {
            throw new EvaluationInputException(file + ": candidates must be a JSON array of {\"image_id\", \"caption\"}");
        }
        Map<String, String> candidates = new LinkedHashMap<>();
        Map<String, Integer> firstEntry = new LinkedHashMap<>();
        for (int i = 0; i < root.size(); i++) {
            String where = "[" + i + "]";
            JsonNode entry = root.get(i);
            String imageId = imageId(file, where, entry.get("image_id"));
            String caption = text(file, where, "caption", entry.get("caption"));
            Integer earlier = firstEntry.putIfAbsent(imageId, i);
            if (earlier != null) {
                throw new EvaluationInputException(file + ": duplicate candidate for image " + imageId
                        + " (entries [" + earlier + "] and " + where + ")");
            }
            candidates.put(imageId, caption);
        }
        return candidates;
    }

    private static Map<String, List<String>> readCocoAnnotations(Path file, JsonNode annotations) {
        requireArray(file, "annotations", annotations);
        Map<String, List<String>> references = new LinkedHashMap<>();
        for (int i = 0; i < annotations.size(); i++) {
            String where = "annotations[" + i + "]";
            JsonNode annotation = annotations.get(i);
            references.computeIfAbsent(imageId(file, where, annotation.get("image_id")), id -> new ArrayList<>())
                    .add(text(file, where, "caption", annotation.get("caption")));
        }
        return references;
    }

    private static Map<String, List<String>> readKarpathy(Path file, JsonNode images, Optional<Split> split) {
        requireArray(file, "images", images);
        Map<String, List<String>> references = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            String where = "images[" + i + "]";
            JsonNode image = images.get(i);
            if (split.isPresent() && !split.get().equals(parseSplit(file, where, image.get("split")))) {
                continue;
            }
            String imageId = image.hasNonNull("cocoid")
                    ? imageId(file, where + ".cocoid", image.get("cocoid"))
                    : text(file, where, "filename", image.get("filename"));
            JsonNode sentences = image.get("sentences");
            requireArray(file, where + ".sentences", sentences);
            List<String> captions = new ArrayList<>();
            for (int s = 0; s < sentences.size(); s++) {
                captions.add(karpathySentence(file, where + ".sentences[" + s + "]", sentences.get(s)));
            }
            if (references.put(imageId, captions) != null) {
                throw new EvaluationInputException(file + ": " + where + ": image " + imageId + " appears twice");
            }
        }
        return references;
    }

    /** The raw sentence when present (the evaluator tokenises it), else the tokens joined by spaces. */
    private static String karpathySentence(Path file, String where, JsonNode sentence) {
        if (sentence != null && sentence.hasNonNull("raw")) {
            return text(file, where, "raw", sentence.get("raw"));
        }
        JsonNode tokens = sentence == null ? null : sentence.get("tokens");
        requireArray(file, where + ".tokens", tokens);
        return StreamSupport.stream(tokens.spliterator(), false).map(JsonNode::asText).collect(Collectors.joining(" "));
    }

    private static Map<String, List<String>> readCaptionMap(Path file, JsonNode root) {
        Map<String, List<String>> references = new LinkedHashMap<>();
        root.properties().forEach(field -> {
            List<String> captions = new ArrayList<>();
            JsonNode array = field.getValue();
            for (int i = 0; i < array.size(); i++) {
                captions.add(text(file, "\"" + field.getKey() + "\"[" + i + "]", "caption", array.get(i)));
            }
            references.put(field.getKey(), captions);
        });
        return references;
    }

    private static boolean allValuesAreArrays(JsonNode object) {
        return object.properties().stream().allMatch(field -> field.getValue().isArray());
    }

    private static Split parseSplit(Path file, String where, JsonNode node) {
        String name = text(file, where, "split", node);
        try {
            return Split.parse(name);
        } catch (IllegalArgumentException e) {
            throw new EvaluationInputException(file + ": " + where + ": field 'split': " + e.getMessage(), e);
        }
    }

    private static void requireNoSplit(Path file, Optional<Split> split, String format) {
        if (split.isPresent()) {
            throw new EvaluationInputException(file + ": a split can only be chosen in a Karpathy split file, not in "
                    + format + " format");
        }
    }

    private static void requireArray(Path file, String field, JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new EvaluationInputException(file + ": field '" + field + "' missing or not an array");
        }
    }

    /** Integral numbers and strings are both accepted as image ids and normalised to text. */
    private static String imageId(Path file, String where, JsonNode node) {
        if (node != null && node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node != null && node.isTextual() && !node.asText().isEmpty()) {
            return node.asText();
        }
        throw new EvaluationInputException(file + ": " + where + ": field 'image_id' missing or not an integer or string");
    }

    private static String text(Path file, String where, String field, JsonNode node) {
        if (node == null || !node.isTextual()) {
            throw new EvaluationInputException(file + ": " + where + ": field '" + field + "' missing or not a string");
        }
        return node.asText();
    }

    private static JsonNode parse(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new EvaluationInputException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
