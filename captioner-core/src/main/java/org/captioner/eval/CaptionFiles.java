package org.captioner.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.captioner.data.CaptionFileException;
import org.captioner.data.CaptionFormat;
import org.captioner.data.CaptionJson;
import org.captioner.data.Split;

/**
 * Reads the caption files of an evaluation. References may be
 * <ul>
 *   <li>COCO annotations: {@code {"images": [...], "annotations": [{"image_id": ..., "caption": ...}]}};</li>
 *   <li>a Karpathy split file: {@code {"images": [{"filename", "imgid"?, "cocoid"?, "split", "sentences": [{"raw",
 *       "tokens"}]}]}}, optionally filtered by split;</li>
 *   <li>a plain map {@code {"image_id": ["caption", ...]}}.</li>
 * </ul>
 * COCO and Karpathy images are named as {@link CaptionJson} says: by file name, else by COCO id; a candidate may name
 * an image either way ({@link References#byName}). Candidates are in the COCO results format
 * {@code [{"image_id": ..., "caption": ...}]}. Image ids may be JSON numbers or strings and are compared as text, so
 * 42 and "42" are the same image. Maps keep file order.
 */
public final class CaptionFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaptionFiles() {
    }

    /**
     * Reads references in any of the supported formats. COCO and Karpathy files are read by
     * {@link CaptionJson#readStrict}, which names their images as {@code dataset} and {@code evaluate} do.
     *
     * @param split only for Karpathy split files: keep the images of this split
     */
    public static References readReferences(Path file, Optional<Split> split) {
        JsonNode root = parse(file);
        if (root.isObject() && root.has("annotations")) {
            requireNoSplit(file, split, "COCO annotation");
            return readJsonCaptions(file, root, CaptionFormat.COCO_JSON, split);
        }
        if (root.isObject() && root.has("images")) {
            return readJsonCaptions(file, root, CaptionFormat.KARPATHY_JSON, split);
        }
        if (root.isObject() && root.size() > 0 && allValuesAreArrays(root)) {
            requireNoSplit(file, split, "{image_id: [captions]}");
            return new References(readCaptionMap(file, root), Map.of());
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

    private static References readJsonCaptions(Path file, JsonNode root, CaptionFormat format, Optional<Split> split) {
        List<CaptionJson.Image> images;
        try {
            images = CaptionJson.readStrict(file, root, format);
        } catch (CaptionFileException e) {
            throw new EvaluationInputException(e.getMessage(), e);
        }
        Map<String, List<String>> captions = new LinkedHashMap<>();
        Map<String, String> namesByCocoId = new HashMap<>();
        for (CaptionJson.Image image : images) {
            if (split.isEmpty() || split.get() == image.split()) {
                captions.put(image.imageId(), image.captions());
                if (image.cocoId() != null && !image.cocoId().equals(image.imageId())) {
                    namesByCocoId.put(image.cocoId(), image.imageId());
                }
            }
        }
        return new References(captions, namesByCocoId);
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

    private static void requireNoSplit(Path file, Optional<Split> split, String format) {
        if (split.isPresent()) {
            throw new EvaluationInputException(file + ": a split can only be chosen in a Karpathy split file, not in "
                    + format + " format");
        }
    }

    /** Integral numbers and strings are both accepted as image ids and normalized to text. */
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
