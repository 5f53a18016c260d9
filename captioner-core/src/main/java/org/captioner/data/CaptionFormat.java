package org.captioner.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The caption file formats Captioner reads, and their detection from a file's name and first bytes. */
public enum CaptionFormat {
    /** Flickr8k/30k {@code Flickr8k.token.txt}: {@code IMAGE.jpg#N<TAB>caption}. */
    FLICKR_TOKEN,
    /** A CSV with a header naming an image column and a caption column (Kaggle's Flickr8k {@code captions.txt}). */
    CSV,
    /** One JSON object a line: {@code {"image": ..., "caption": ...}} or {@code "captions": [...]}. */
    JSONL,
    /** MS-COCO caption annotations: {@code {"images": [...], "annotations": [...]}}. */
    COCO_JSON,
    /** Karpathy's split file: {@code {"images": [{"filename", "split", "sentences": [{"raw"}]}]}}. */
    KARPATHY_JSON;

    /** Detects the format of {@code file} from its first characters, falling back on its extension. */
    public static CaptionFormat detect(Path file) throws IOException {
        String head = readHead(file, 4096);
        String trimmed = head.stripLeading();
        if (trimmed.startsWith("{")) {
            if (firstLineIsCompleteObject(trimmed)) {
                return JSONL;
            }
            int annotations = trimmed.indexOf("\"annotations\"");
            int sentences = trimmed.indexOf("\"sentences\"");
            if (sentences >= 0 && (annotations < 0 || sentences < annotations)) {
                return KARPATHY_JSON;
            }
            if (annotations >= 0 || trimmed.contains("\"images\"")) {
                // COCO files put "annotations" after a long "images" array; peek further only if needed.
                return readHead(file, 1 << 20).contains("\"sentences\"") ? KARPATHY_JSON : COCO_JSON;
            }
            throw new IOException(file + ": JSON file is neither COCO captions (images + annotations), "
                    + "Karpathy split JSON (images[].sentences) nor JSONL");
        }
        String firstLine = trimmed.lines().findFirst().orElse("");
        if (firstLine.matches("[^\\t,]+#\\d+\\t.*")) {
            return FLICKR_TOKEN;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return JSONL;
        }
        if (firstLine.contains(",") || name.endsWith(".csv")) {
            return CSV;
        }
        throw new IOException(file + ": cannot tell the caption format from its first line '"
                + abbreviate(firstLine) + "' (expected Flickr8k token.txt, CSV with a header, JSONL, COCO or Karpathy JSON)");
    }

    private static boolean firstLineIsCompleteObject(String text) {
        int newline = text.indexOf('\n');
        if (newline < 0) {
            return false;
        }
        String line = text.substring(0, newline).strip();
        return line.startsWith("{") && line.endsWith("}") && !text.substring(newline).isBlank();
    }

    private static String readHead(Path file, int maxChars) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            char[] buffer = new char[maxChars];
            int read = reader.read(buffer, 0, maxChars);
            String head = read <= 0 ? "" : new String(buffer, 0, read);
            return head.startsWith("\uFEFF") ? head.substring(1) : head;
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
