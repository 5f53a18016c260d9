package org.captioner.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads a caption file of any {@link CaptionFormat} into a {@link Dataset}.
 *
 * <p>Splits come from the file itself (Karpathy JSON, a {@code split} column), else from official split
 * lists ({@code *trainImages.txt}, {@code *devImages.txt}, {@code *testImages.txt}, e.g. Flickr8k's) beside
 * the caption file or in {@link Options#splitsDir()}, else from a seeded random split by image, so the
 * captions of one image never straddle two splits. Nothing in the input is fatal but an unreadable file:
 * bad lines, impossible image names and missing images become {@link LoadProblem}s.
 */
public final class DatasetLoader {
    private static final Pattern IMAGE_NAME = Pattern.compile("(?i).+\\.(jpe?g|png|bmp|gif|webp|tiff?)");

    /**
     * @param imageDir      folder the image names are relative to (defaults to {@code images/} beside the caption file)
     * @param splitsDir     folder with official split lists; null = beside the caption file
     * @param requireImages drop (and report) images whose file is not on disk
     * @param minWords      drop captions with fewer words (0 = no limit)
     * @param maxWords      drop captions with more words (0 = no limit)
     * @param limit         keep a seeded random sample of this many images (0 = all)
     * @param devFraction   share of images put in dev by the random split
     * @param testFraction  share of images put in test by the random split
     */
    public record Options(Path imageDir, Path splitsDir, boolean requireImages, int minWords, int maxWords,
                          int limit, long seed, double devFraction, double testFraction) {
        public static Options defaults() {
            return new Options(null, null, false, 0, 0, 0, 42L, 0.1, 0.1);
        }

        public Options withImageDir(Path dir) {
            return new Options(dir, splitsDir, requireImages, minWords, maxWords, limit, seed, devFraction, testFraction);
        }

        public Options withRequireImages(boolean require) {
            return new Options(imageDir, splitsDir, require, minWords, maxWords, limit, seed, devFraction, testFraction);
        }

        public Options withWordLimits(int min, int max) {
            return new Options(imageDir, splitsDir, requireImages, min, max, limit, seed, devFraction, testFraction);
        }

        public Options withLimit(int images) {
            return new Options(imageDir, splitsDir, requireImages, minWords, maxWords, images, seed, devFraction, testFraction);
        }

        public Options withSeed(long newSeed) {
            return new Options(imageDir, splitsDir, requireImages, minWords, maxWords, limit, newSeed, devFraction, testFraction);
        }
    }

    private DatasetLoader() {
    }

    public static Dataset load(Path captionFile) throws IOException {
        return load(captionFile, Options.defaults());
    }

    public static Dataset load(Path captionFile, Options options) throws IOException {
        if (!Files.isRegularFile(captionFile)) {
            throw new IOException("caption file not found: " + captionFile);
        }
        CaptionFormat format = CaptionFormat.detect(captionFile);
        Path imageDir = options.imageDir() != null ? options.imageDir() : defaultImageDir(captionFile);
        CaptionRecords records = new CaptionRecords(false);
        CaptionReaders.read(format, captionFile, imageDir, records);

        List<ImageCaptions> images = new ArrayList<>();
        List<String> missingImages = new ArrayList<>();
        int droppedByLength = 0;
        for (Map.Entry<String, CaptionRecords.Entry> record : records.byImage.entrySet()) {
            String imageId = record.getKey();
            CaptionRecords.Entry entry = record.getValue();
            if (!IMAGE_NAME.matcher(imageId).matches()) {
                records.problem(captionFile, 0, "'" + imageId + "' is not an image file name ("
                        + entry.captions.size() + " captions skipped; e.g. Flickr8k's known '.jpg.1' quirk)");
                continue;
            }
            if (options.requireImages() && !Files.isRegularFile(entry.image)) {
                missingImages.add(imageId);
                continue;
            }
            List<String> kept = entry.captions.stream().filter(caption -> withinLength(caption, options)).toList();
            droppedByLength += entry.captions.size() - kept.size();
            if (!kept.isEmpty()) {
                images.add(new ImageCaptions(imageId, entry.image, kept, entry.split));
            }
        }
        if (!missingImages.isEmpty()) {
            records.problem(imageDir, 0, missingImages.size() + " images have captions but no file here (e.g. "
                    + String.join(", ", missingImages.subList(0, Math.min(5, missingImages.size()))) + "); skipped");
        }
        if (droppedByLength > 0) {
            records.problem(captionFile, 0, droppedByLength + " captions outside the word limits ["
                    + options.minWords() + ", " + (options.maxWords() > 0 ? options.maxWords() : "any") + "] dropped");
        }
        images = assignSplits(images, captionFile, options, records);
        if (options.limit() > 0 && options.limit() < images.size()) {
            images = sample(images, options.limit(), options.seed());
        }
        return new Dataset(captionFile.toString(), format, images, records.problems);
    }

    private static Path defaultImageDir(Path captionFile) {
        Path parent = captionFile.toAbsolutePath().getParent();
        Path images = parent.resolve("images");
        return Files.isDirectory(images) ? images : parent;
    }

    private static boolean withinLength(String caption, Options options) {
        int words = caption.split("\\s+").length;
        return (options.minWords() <= 0 || words >= options.minWords())
                && (options.maxWords() <= 0 || words <= options.maxWords());
    }

    private static List<ImageCaptions> assignSplits(List<ImageCaptions> images, Path captionFile, Options options,
                                                    CaptionRecords records) throws IOException {
        if (images.stream().allMatch(image -> image.split() != null)) {
            return images;
        }
        Map<String, Split> official = readOfficialSplits(
                options.splitsDir() != null ? options.splitsDir() : captionFile.toAbsolutePath().getParent(), records);
        if (!official.isEmpty()) {
            return images.stream().map(image -> image.split() != null ? image
                    : withSplit(image, official.getOrDefault(image.imageId(), Split.UNSPLIT))).toList();
        }
        return randomSplit(images, options);
    }

    /** Reads {@code *trainImages.txt}, {@code *devImages.txt} (or {@code *valImages.txt}) and {@code *testImages.txt}. */
    private static Map<String, Split> readOfficialSplits(Path dir, CaptionRecords records) throws IOException {
        Map<String, Split> splits = new HashMap<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return splits;
        }
        List<Path> lists;
        try (var files = Files.list(dir)) {
            // Train first: an image listed twice stays where the earlier split put it.
            lists = files.filter(file -> splitOfListFile(file) != null)
                    .sorted(Comparator.comparing(DatasetLoader::splitOfListFile).thenComparing(Path::toString)).toList();
        }
        for (Path file : lists) {
            Split split = splitOfListFile(file);
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String imageId = lines.get(i).strip();
                if (imageId.isEmpty()) {
                    continue;
                }
                Split previous = splits.putIfAbsent(imageId, split);
                if (previous != null && previous != split) {
                    records.problem(file, i + 1, imageId + " is already in split " + previous.label() + "; kept there");
                }
            }
        }
        return splits;
    }

    private static Split splitOfListFile(Path file) {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!lower.endsWith("images.txt")) {
            return null;
        }
        if (lower.endsWith("trainimages.txt")) {
            return Split.TRAIN;
        }
        if (lower.endsWith("devimages.txt") || lower.endsWith("valimages.txt")) {
            return Split.DEV;
        }
        return lower.endsWith("testimages.txt") ? Split.TEST : null;
    }

    /** Seeded split by image; images that already have a split keep it. */
    private static List<ImageCaptions> randomSplit(List<ImageCaptions> images, Options options) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i).split() == null) {
                order.add(i);
            }
        }
        Collections.shuffle(order, new Random(options.seed()));
        int dev = (int) Math.round(order.size() * options.devFraction());
        int test = (int) Math.round(order.size() * options.testFraction());
        Map<Integer, Split> assigned = new HashMap<>();
        for (int rank = 0; rank < order.size(); rank++) {
            assigned.put(order.get(rank), rank < dev ? Split.DEV : rank < dev + test ? Split.TEST : Split.TRAIN);
        }
        List<ImageCaptions> result = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            ImageCaptions image = images.get(i);
            result.add(image.split() != null ? image : withSplit(image, assigned.get(i)));
        }
        return result;
    }

    /** A seeded sample of {@code count} images, in their original order. */
    private static List<ImageCaptions> sample(List<ImageCaptions> images, int count, long seed) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            indices.add(i);
        }
        Collections.shuffle(indices, new Random(seed));
        Set<Integer> chosen = new HashSet<>(indices.subList(0, count));
        List<ImageCaptions> result = new ArrayList<>(count);
        for (int i = 0; i < images.size(); i++) {
            if (chosen.contains(i)) {
                result.add(images.get(i));
            }
        }
        return result;
    }

    private static ImageCaptions withSplit(ImageCaptions image, Split split) {
        return new ImageCaptions(image.imageId(), image.image(), image.captions(), split);
    }
}
