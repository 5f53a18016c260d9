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
            case COCO_JSON -> readCoco(file, imageDir, records);
            case KARPATHY_JSON -> readKarpathy(file, imageDir, records);
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
                    // commons-csv cannot resynchronise after e.g. an unterminated quote: keep what was read.
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

    /** MS-COCO {@code captions_*.json}: annotations point at images by numeric id. */
    private static void readCoco(Path file, Path imageDir, CaptionRecords records) throws IOException {
        JsonNode root = readJson(file);
        Map<String, String> fileNames = new HashMap<>();
        int index = 0;
        for (JsonNode image : root.path("images")) {
            String id = image.path("id").asText(null);
            String fileName = image.path("file_name").asText(null);
            if (id == null || fileName == null) {
                records.problem(file, 0, "images[" + index + "] lacks id or file_name");
            } else {
                fileNames.put(id, fileName);
            }
            index++;
        }
        index = 0;
        for (JsonNode annotation : root.path("annotations")) {
            String imageId = annotation.path("image_id").asText(null);
            String fileName = fileNames.get(imageId);
            if (fileName == null) {
                records.problem(file, 0, "annotations[" + index + "] refers to unknown image_id " + imageId);
            } else {
                records.add(fileName, imageDir.resolve(fileName), annotation.path("caption").asText(null), null, file, 0);
            }
            index++;
        }
    }

    /** Karpathy's {@code dataset_*.json}: each image carries its split and sentences. */
    private static void readKarpathy(Path file, Path imageDir, CaptionRecords records) throws IOException {
        JsonNode root = readJson(file);
        int index = 0;
        for (JsonNode image : root.path("images")) {
            String fileName = image.path("filename").asText(null);
            String folder = image.path("filepath").asText(null);
            Path path = fileName == null ? null
                    : folder == null ? imageDir.resolve(fileName) : imageDir.resolve(folder).resolve(fileName);
            Split split = parseSplit(image.path("split").asText(null), records, file, 0);
            if (fileName == null) {
                records.problem(file, 0, "images[" + index + "] has no filename");
            }
            for (JsonNode sentence : image.path("sentences")) {
                String raw = sentence.path("raw").asText(null);
                if (raw == null && sentence.path("tokens").isArray()) {
                    raw = String.join(" ", JSON.convertValue(sentence.path("tokens"), String[].class));
                }
                records.add(fileName, path, raw, split, file, 0);
            }
            index++;
        }
    }

    private static JsonNode readJson(Path file) throws IOException {
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
