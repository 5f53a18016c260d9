package org.captioner.eval;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference captions of a reference file, by image name, and the COCO ids the file gave its images.
 *
 * @param captions image name -> its reference captions, in file order
 * @param namesByCocoId COCO id -> image name, for images whose file gave a COCO id different from the name
 */
public record References(Map<String, List<String>> captions, Map<String, String> namesByCocoId) {
    public References {
        captions = Collections.unmodifiableMap(new LinkedHashMap<>(captions));
        namesByCocoId = Map.copyOf(namesByCocoId);
    }

    /**
     * The candidates with each image id that is a COCO id of these references replaced by the image's name, so a
     * results file naming images by COCO id and one naming them by file name are scored alike.
     *
     * @throws EvaluationInputException when one image has a candidate under both its name and its COCO id
     */
    public Map<String, String> byName(Map<String, String> candidates, Path candidateFile) {
        Map<String, String> named = new LinkedHashMap<>();
        Map<String, String> givenAs = new LinkedHashMap<>();
        candidates.forEach((id, caption) -> {
            String name = captions.containsKey(id) ? id : namesByCocoId.getOrDefault(id, id);
            String earlier = givenAs.putIfAbsent(name, id);
            if (earlier != null) {
                throw new EvaluationInputException(candidateFile + ": two candidates for image " + name
                        + " (as image_id " + earlier + " and " + id + ")");
            }
            named.put(name, caption);
        });
        return named;
    }
}
