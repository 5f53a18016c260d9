package org.captioner.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * References and candidates paired image by image, ready for {@link CocoEvaluator#evaluate}.
 *
 * @param references image id -> reference captions, only images that have a candidate
 * @param candidates image id -> candidate caption, the same images
 * @param skipped    one message per candidate or image left out because a skip flag allowed it
 */
public record EvaluationSet(Map<String, List<String>> references, Map<String, String> candidates, List<String> skipped) {
    /** How many ids an error message lists before summarizing the rest. */
    private static final int IDS_IN_MESSAGE = 5;

    public EvaluationSet {
        references = Collections.unmodifiableMap(new LinkedHashMap<>(references));
        candidates = Collections.unmodifiableMap(new LinkedHashMap<>(candidates));
        skipped = List.copyOf(skipped);
    }

    /**
     * Pairs the candidates with the references. A candidate for an image without references, or an image without a
     * candidate, is an error naming the file and the image ids, unless the matching skip flag is set: then it is left
     * out and listed in {@link #skipped()}.
     */
    public static EvaluationSet pair(Map<String, List<String>> references, Path referenceFile,
                                     Map<String, String> candidates, Path candidateFile,
                                     boolean skipUnknown, boolean skipMissing) {
        List<String> skipped = new ArrayList<>();
        List<String> unknown = candidates.keySet().stream().filter(id -> !references.containsKey(id)).toList();
        if (!unknown.isEmpty() && !skipUnknown) {
            throw new EvaluationInputException(candidateFile + ": " + describe(unknown, "candidate")
                    + " for images with no references in " + referenceFile + ": " + ids(unknown)
                    + " (--skip-unknown to leave them out)");
        }
        unknown.forEach(id -> skipped.add(candidateFile + ": skipped candidate for unknown image " + id));

        List<String> missing = references.keySet().stream().filter(id -> !candidates.containsKey(id)).toList();
        if (!missing.isEmpty() && !skipMissing) {
            throw new EvaluationInputException(candidateFile + ": no candidate for " + describe(missing, "image")
                    + " of " + referenceFile + ": " + ids(missing) + " (--skip-missing to leave them out)");
        }
        missing.forEach(id -> skipped.add(candidateFile + ": skipped image " + id + ", which has no candidate"));

        Map<String, List<String>> pairedReferences = new LinkedHashMap<>();
        Map<String, String> pairedCandidates = new LinkedHashMap<>();
        references.forEach((id, captions) -> {
            if (candidates.containsKey(id)) {
                pairedReferences.put(id, captions);
                pairedCandidates.put(id, candidates.get(id));
            }
        });
        if (pairedReferences.isEmpty()) {
            throw new EvaluationInputException(candidateFile + ": no candidate matches an image of " + referenceFile);
        }
        for (Map.Entry<String, List<String>> entry : pairedReferences.entrySet()) {
            if (entry.getValue().isEmpty()) {
                throw new EvaluationInputException(referenceFile + ": image " + entry.getKey() + " has no reference caption");
            }
        }
        return new EvaluationSet(pairedReferences, pairedCandidates, skipped);
    }

    private static String describe(List<String> ids, String noun) {
        return ids.size() == 1 ? "1 " + noun : ids.size() + " " + noun + "s";
    }

    private static String ids(List<String> ids) {
        String listed = String.join(", ", ids.subList(0, Math.min(IDS_IN_MESSAGE, ids.size())));
        return ids.size() > IDS_IN_MESSAGE ? listed + ", ... (" + (ids.size() - IDS_IN_MESSAGE) + " more)" : listed;
    }
}
