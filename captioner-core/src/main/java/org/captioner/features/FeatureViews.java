package org.captioner.features;

import org.captioner.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * {@code views.tsv} of a feature store: a header line, then {@code viewId<TAB>imageId<TAB>flipped<TAB>transform} a
 * line. A store without the file has no views. It is replaced atomically before {@code index.txt}, so it may name a
 * view whose batch was not committed; such lines are ignored.
 */
final class FeatureViews {
    static final String FILE_NAME = "views.tsv";
    private static final String HEADER = "# captioner-feature-views v1";

    private FeatureViews() {
    }

    /** The views of {@code dir} whose records are committed (listed in {@code committed}), in file order. */
    static List<FeatureView> read(Path dir, Set<String> committed) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        List<FeatureView> views = new ArrayList<>();
        if (!Files.exists(file)) {
            return views;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + ":1: expected the header '" + HEADER + "'");
        }
        for (int n = 1; n < lines.size(); n++) {
            String[] fields = lines.get(n).split("\t", -1);
            if (fields.length != 4 || !(fields[2].equals("true") || fields[2].equals("false"))) {
                throw new IOException(file + ":" + (n + 1) + ": expected viewId, imageId, flipped (true/false) and transform"
                        + " separated by tabs, got '" + lines.get(n) + "'");
            }
            if (committed.contains(fields[0])) {
                views.add(new FeatureView(fields[0], fields[1], Boolean.parseBoolean(fields[2]), fields[3]));
            }
        }
        return views;
    }

    static void write(Path dir, Collection<FeatureView> views) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (FeatureView view : views) {
            text.append(view.viewId()).append('\t').append(view.imageId()).append('\t').append(view.flipped())
                    .append('\t').append(view.transform()).append('\n');
        }
        AtomicFiles.write(dir.resolve(FILE_NAME), text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
