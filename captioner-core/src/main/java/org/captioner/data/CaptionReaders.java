package org.captioner.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One reader per {@link CaptionFormat}; each fills a {@link CaptionRecords} and reports bad lines there. */
final class CaptionReaders {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> IMAGE_COLUMNS = List.of("image", "image_name", "filename", "file_name", "file", "path", "image_id");
    private static final List<String> CAPTION_COLUMNS = List.of("caption", "comment", "text", "sentence", "description");

    private CaptionReaders() {
    }

    static void read(CaptionFormat format, Path file, Path imageDir, CaptionRecords records) throws IOException {
        switch (format) {
            case FLICKR_TOKEN -> readFlickrToken(file, imageDir, records);
            case CSV -> readCsv(file, imageDir, records);
            case JSONL -> readJsonl(file, imageDir, records);
            case COCO_JSON -> readCoco(file, readJson(file), imageDir, records);
            case KARPATHY_JSON -> readKarpathy(file, readJson(file), imageDir, records);
        }
    }

    /** {@code 1000268201_693b08cb0e.jpg#0<TAB>A child in a pink dress ...}. */
    private static void readFlickrToken(Path file, Path imageDir, CaptionRecords records) throws IOException {
        forEachLine(file, (line, lineNumber) -> {
            int tab = line.indexOf('\t');
            int hash = tab < 0 ? -1 : line.lastIndexOf('#', tab);
            if (tab < 0 || hash < 0) {
                records.problem(file, lineNumber, "malformed line, expected IMAGE#N<TAB>caption: '"
                        + CaptionFormat.abbreviate(line) + "'");
                return;
            }
            String imageId = line.substring(0, hash).strip();
            records.add(imageId, imageDir.resolve(imageId), line.substring(tab + 1), null, file, lineNumber);
        });
    }

    /** A CSV whose header names an image column and a caption column, and optionally a split column. */
    private static void readCsv(Path file, Path imageDir, CaptionRecords records) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).setTrim(true).get();
        try (CSVParser parser = CSVParser.parse(file, StandardCharsets.UTF_8, format)) {
            Map<String, String> columns = lowerCaseColumns(parser.getHeaderNames());
            String imageColumn = findColumn(columns, IMAGE_COLUMNS, file, "image");
            String captionColumn = findColumn(columns, CAPTION_COLUMNS, file, "caption");
            String splitColumn = columns.get("split");
            var rows = parser.iterator();
            while (true) {
                CSVRecord record;
                try {
                    if (!rows.hasNext()) {
                        break;
                    }
                    record = rows.next();
                } catch (UncheckedIOException e) {
                    // commons-csv cannot resynchronize after e.g. an unterminated quote: keep what was read.
                    records.problem(file, parser.getCurrentLineNumber(), "unreadable CSV from here on: " + e.getCause().getMessage());
                    break;
                }
                long line = record.getRecordNumber() + 1;
                if (!record.isConsistent()) {
                    records.problem(file, line, "row has " + record.size() + " fields but the header has "
                            + columns.size() + " (an unquoted comma?): skipped");
                    continue;
                }
                String image = record.get(imageColumn);
                String split = splitColumn == null ? null : record.get(splitColumn);
                records.add(image, resolveImage(imageDir, image), record.get(captionColumn),
                        parseSplit(split, records, file, line), file, line);
            }
        }
    }

    /** {@code {"image": "a.jpg", "caption": "..."}} or {@code {"image": "a.jpg", "captions": [...], "split": "train"}}. */
    private static void readJsonl(Path file, Path imageDir, CaptionRecords records) throws IOException {
        forEachLine(file, (line, lineNumber) -> {
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                records.problem(file, lineNumber, "not valid JSON: " + e.getOriginalMessage());
                return;
            }
            String image = firstText(node, IMAGE_COLUMNS);
            Split split = parseSplit(node.path("split").asText(null), records, file, lineNumber);
            JsonNode captions = node.path("captions");
            if (captions.isArray()) {
                for (JsonNode caption : captions) {
                    records.add(image, resolveImage(imageDir, image), caption.asText(null), split, file, lineNumber);
                }
            } else {
                records.add(image, resolveImage(imageDir, image), firstText(node, CAPTION_COLUMNS), split, file, lineNumber);
            }
        });
    }

    /** Receives a non-blank line of a text file with its 1-based number. */
    @FunctionalInterface
    private interface LineHandler {
        void accept(String line, long lineNumber);
    }

    private static void forEachLine(Path file, LineHandler handler) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (!line.isBlank()) {
                    handler.accept(line, lineNumber);
                }
            }
        }
    }

    /**
     * MS-COCO {@code captions_*.json}. An image is named by its {@code images[].file_name}; one listed without a
     * file name, or every image of a file without {@code images}, by its numeric {@code id}, which is also kept as
     * its COCO id.
     */
    static void readCoco(Path file, JsonNode root, Path imageDir, CaptionRecords records) {
        JsonNode images = root.get("images");
        Map<String, String> names = new HashMap<>();
        if (images != null && !requireArray(file, "images", images, records)) {
            return;
        }
        for (int i = 0; images != null && i < images.size(); i++) {
            String where = "images[" + i + "]";
            String id = imageId(images.get(i).get("id"));
            if (id == null) {
                records.problem(file, 0, where + ": field 'id' missing or not an integer or string");
            } else {
                String fileName = text(images.get(i).get("file_name"));
                names.put(id, fileName != null ? fileName : id);
            }
        }
        JsonNode annotations = root.get("annotations");
        if (!requireArray(file, "annotations", annotations, records)) {
            return;
        }
        for (int i = 0; i < annotations.size(); i++) {
            String where = "annotations[" + i + "]";
            JsonNode annotation = annotations.get(i);
            String id = imageId(annotation.get("image_id"));
            String name = id == null || images == null ? id : names.get(id);
            if (id == null) {
                records.problem(file, 0, where + ": field 'image_id' missing or not an integer or string");
            } else if (name == null) {
                records.problem(file, 0, where + " refers to unknown image_id " + id);
            } else {
                String caption = text(annotation.get("caption"));
                if (caption == null) {
                    records.problem(file, 0, where + ": field 'caption' missing or not a string");
                } else {
                    records.add(name, imageDir.resolve(name), caption, null, file, 0);
                    records.cocoId(name, id);
                }
            }
        }
    }

    /**
     * Karpathy's {@code dataset_*.json}: each image carries its split and sentences. An image is named by its
     * {@code filename}, else by its {@code cocoid}, which is also kept as its COCO id.
     */
    static void readKarpathy(Path file, JsonNode root, Path imageDir, CaptionRecords records) {
        JsonNode images = root.get("images");
        if (!requireArray(file, "images", images, records)) {
            return;
        }
        for (int i = 0; i < images.size(); i++) {
            String where = "images[" + i + "]";
            JsonNode image = images.get(i);
            String cocoId = imageId(image.get("cocoid"));
            String fileName = text(image.get("filename"));
            String name = fileName != null ? fileName : cocoId;
            if (name == null) {
                records.problem(file, 0, where + ": neither a 'filename' nor a 'cocoid'");
                continue;
            }
            if (records.byImage.containsKey(name)) {
                records.problem(file, 0, where + ": image " + name + " appears twice; its captions are merged");
            }
            String folder = text(image.get("filepath"));
            Path path = folder == null ? imageDir.resolve(name) : imageDir.resolve(folder).resolve(name);
            Split split = parseSplit(text(image.get("split")), records, file, 0);
            JsonNode sentences = image.get("sentences");
            if (!requireArray(file, where + ".sentences", sentences, records)) {
                continue;
            }
            for (int s = 0; s < sentences.size(); s++) {
                String sentence = karpathySentence(sentences.get(s));
                if (sentence == null) {
                    records.problem(file, 0, where + ".sentences[" + s + "]: neither a 'raw' string nor a 'tokens' array");
                } else {
                    records.add(name, path, sentence, split, file, 0);
                }
            }
            records.cocoId(name, cocoId);
        }
    }

    /** The raw sentence when present (the evaluator tokenizes it), else the tokens joined by spaces. */
    private static String karpathySentence(JsonNode sentence) {
        String raw = text(sentence.get("raw"));
        JsonNode tokens = sentence.get("tokens");
        if (raw != null || tokens == null || !tokens.isArray()) {
            return raw;
        }
        return String.join(" ", JSON.convertValue(tokens, String[].class));
    }

    /** Integral numbers and non-empty strings are image ids, normalized to text (42 and "42" are one image). */
    private static String imageId(JsonNode node) {
        if (node != null && node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        return node != null && node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private static boolean requireArray(Path file, String field, JsonNode node, CaptionRecords records) {
        if (node == null || !node.isArray()) {
            records.problem(file, 0, "field '" + field + "' missing or not an array");
            return false;
        }
        return true;
    }

    static JsonNode readJson(Path file) throws IOException {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> lowerCaseColumns(List<String> header) {
        Map<String, String> columns = new HashMap<>();
        header.forEach(name -> columns.put(name.strip().toLowerCase(Locale.ROOT), name));
        return columns;
    }

    private static String findColumn(Map<String, String> columns, List<String> candidates, Path file, String what)
            throws IOException {
        return candidates.stream().map(columns::get).filter(column -> column != null).findFirst()
                .orElseThrow(() -> new IOException(file + ": the header has no " + what + " column (one of "
                        + candidates + "; found " + columns.values() + ")"));
    }

    private static String firstText(JsonNode node, List<String> fields) {
        return fields.stream().map(field -> node.path(field)).filter(JsonNode::isValueNode)
                .map(value -> value.asText(null)).findFirst().orElse(null);
    }

    private static Path resolveImage(Path imageDir, String image) {
        return image == null || image.isBlank() ? null : imageDir.resolve(image);
    }

    private static Split parseSplit(String value, CaptionRecords records, Path file, long line) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Split.parse(value);
        } catch (IllegalArgumentException e) {
            records.problem(file, line, e.getMessage() + "; split left to the default rule");
            return null;
        }
    }
}
