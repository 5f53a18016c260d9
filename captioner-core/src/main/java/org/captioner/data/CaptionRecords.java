package org.captioner.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reader collected: captions grouped by image in file order, optional splits, and problems. Lenient records
 * keep every problem and go on; strict ones throw {@link CaptionFileException} at the first.
 */
final class CaptionRecords {
    /** One image as read: where its file should be, its captions, and the split and COCO id the file gave, if any. */
    static final class Entry {
        final Path image;
        final List<String> captions = new ArrayList<>();
        Split split;
        String cocoId;

        Entry(Path image) {
            this.image = image;
        }
    }

    final Map<String, Entry> byImage = new LinkedHashMap<>();
    final List<LoadProblem> problems = new ArrayList<>();
    private final boolean strict;

    CaptionRecords(boolean strict) {
        this.strict = strict;
    }

    void add(String imageId, Path image, String caption, Split split, Path file, long line) {
        if (imageId == null || imageId.isBlank()) {
            problem(file, line, "no image name");
            return;
        }
        if (caption == null || caption.isBlank()) {
            problem(file, line, "empty caption for " + imageId);
            return;
        }
        Entry entry = byImage.computeIfAbsent(imageId, id -> new Entry(image));
        entry.captions.add(caption.strip());
        if (split != null) {
            if (entry.split != null && entry.split != split) {
                problem(file, line, imageId + " is in split " + split.label() + " here but " + entry.split.label()
                        + " earlier; keeping " + entry.split.label());
            } else {
                entry.split = split;
            }
        }
    }

    /** Records the image's numeric COCO id, another name {@code score} accepts for it in a results file. */
    void cocoId(String imageId, String cocoId) {
        Entry entry = byImage.get(imageId);
        if (entry != null && cocoId != null) {
            entry.cocoId = cocoId;
        }
    }

    void problem(Path file, long line, String message) {
        LoadProblem problem = new LoadProblem(file, line, message);
        if (strict) {
            throw new CaptionFileException(problem.toString());
        }
        problems.add(problem);
    }
}
