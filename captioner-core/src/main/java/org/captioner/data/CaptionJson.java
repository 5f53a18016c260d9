package org.captioner.data;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;

/**
 * COCO caption annotations and Karpathy split files read strictly, for {@code score}: the same reader and the same
 * image names as {@link DatasetLoader}, but the first problem is an error instead of a skipped entry.
 *
 * <p>An image is named by its file name (COCO {@code images[].file_name}, Karpathy {@code filename}), else by its
 * numeric COCO id ({@code id} / {@code cocoid}); the COCO id, when the file gives one, is kept beside the name so
 * that results files, which name images by COCO id, can be matched.
 */
public final class CaptionJson {
    /** One image of the file: its name, its COCO id (or null), its captions in file order and its split (or null). */
    public record Image(String imageId, String cocoId, List<String> captions, Split split) {
        public Image {
            captions = List.copyOf(captions);
        }
    }

    private CaptionJson() {
    }

    /**
     * @param root   the parsed file
     * @param format {@link CaptionFormat#COCO_JSON} or {@link CaptionFormat#KARPATHY_JSON}
     * @throws CaptionFileException at the first entry that is not as the format requires
     */
    public static List<Image> readStrict(Path file, JsonNode root, CaptionFormat format) {
        CaptionRecords records = new CaptionRecords(true);
        Path noFolder = Path.of("");
        switch (format) {
            case COCO_JSON -> CaptionReaders.readCoco(file, root, noFolder, records);
            case KARPATHY_JSON -> CaptionReaders.readKarpathy(file, root, noFolder, records);
            default -> throw new IllegalArgumentException(format + " is not a JSON caption format");
        }
        return records.byImage.entrySet().stream().map(entry -> new Image(entry.getKey(), entry.getValue().cocoId,
                entry.getValue().captions, entry.getValue().split)).toList();
    }
}
