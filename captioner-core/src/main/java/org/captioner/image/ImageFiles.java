package org.captioner.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Which files of a folder are pictures, by extension (decoding later checks the content). */
public final class ImageFiles {
    private static final List<String> EXTENSIONS = Arrays.stream(ImageFormat.values())
            .flatMap(format -> format.extensions().stream()).map(extension -> "." + extension).toList();

    private ImageFiles() {
    }

    public static boolean looksLikeImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(file) && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /** The image files directly in {@code folder}, sorted by name. */
    public static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(ImageFiles::looksLikeImage).sorted().toList();
        }
    }
}
