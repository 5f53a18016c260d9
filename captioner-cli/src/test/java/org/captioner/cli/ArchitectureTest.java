package org.captioner.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering of docs/architecture.md, checked on the import statements of every module's main sources: a package
 * imports only the leaf utilities and the layers before its own, and every package has a package-info.java.
 */
class ArchitectureTest {
    /** Imported by anyone, importing no Captioner package. */
    private static final List<String> LEAVES = List.of("org.captioner.io", "org.captioner.engine");
    /** Lowest first; a package may import only the packages of earlier entries (and the leaves). */
    private static final List<String> LAYERS = List.of(
            "org.captioner.data",
            "org.captioner.eval",
            "org.captioner.text",
            "org.captioner.image",
            "org.captioner.features",
            "org.captioner.model",
            "org.captioner.decode",
            "org.captioner.bundle",
            "org.captioner",
            "org.captioner.train",
            "org.captioner.serve",
            "org.captioner.spark",
            "org.captioner.cli");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(org\\.captioner(?:\\.[a-z]\\w*)*)\\.[A-Z]",
            Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Path ROOT = Path.of("..");

    @Test
    void everyImportPointsDownTheLayers() throws IOException {
        Map<String, TreeSet<String>> imports = captionerImports();
        List<String> upward = new ArrayList<>();
        imports.forEach((from, targets) -> targets.stream().filter(to -> !to.equals(from) && !allowed(from, to))
                .forEach(to -> upward.add(from + " -> " + to)));

        assertThat(imports.keySet()).as("packages without a layer: add them to LAYERS and docs/architecture.md")
                .allMatch(name -> LEAVES.contains(name) || LAYERS.contains(name));
        assertThat(upward).as("imports up the layers or out of a leaf (docs/architecture.md)").isEmpty();
    }

    @Test
    void everyPackageSaysWhatItIsFor() throws IOException {
        List<String> missing = mainSources().map(Path::getParent).distinct()
                .filter(directory -> !Files.exists(directory.resolve("package-info.java")))
                .map(Path::toString).toList();

        assertThat(missing).as("package directories without package-info.java").isEmpty();
    }

    @Test
    void theRuleCatchesAnUpwardImport() {
        assertThat(allowed("org.captioner.model", "org.captioner.text")).isTrue();
        assertThat(allowed("org.captioner.model", "org.captioner.engine")).isTrue();
        assertThat(allowed("org.captioner.model", "org.captioner.decode")).isFalse();
        assertThat(allowed("org.captioner", "org.captioner.serve")).isFalse();
        assertThat(allowed("org.captioner.io", "org.captioner.data")).isFalse();
    }

    private static boolean allowed(String from, String to) {
        if (LEAVES.contains(from)) {
            return false;
        }
        return LEAVES.contains(to) || LAYERS.indexOf(to) >= 0 && LAYERS.indexOf(to) < LAYERS.indexOf(from);
    }

    /** Package to the Captioner packages its main sources import. */
    private static Map<String, TreeSet<String>> captionerImports() throws IOException {
        Map<String, TreeSet<String>> imports = new TreeMap<>();
        try (Stream<Path> sources = mainSources()) {
            sources.forEach(source -> {
                String text = read(source);
                Matcher name = PACKAGE.matcher(text);
                assertThat(name.find()).as(source + " has a package statement").isTrue();
                TreeSet<String> targets = imports.computeIfAbsent(name.group(1), key -> new TreeSet<>());
                Matcher target = IMPORT.matcher(text);
                while (target.find()) {
                    targets.add(target.group(1));
                }
            });
        }
        return imports;
    }

    /** The Java sources of every module's main source set. */
    private static Stream<Path> mainSources() throws IOException {
        List<Path> modules;
        try (Stream<Path> children = Files.list(ROOT)) {
            modules = children.filter(dir -> Files.isDirectory(dir.resolve("src/main/java"))).toList();
        }
        assertThat(modules).as("modules found from " + ROOT.toAbsolutePath()).hasSizeGreaterThanOrEqualTo(3);
        return modules.stream().flatMap(module -> walk(module.resolve("src/main/java")))
                .filter(file -> file.toString().endsWith(".java"));
    }

    private static Stream<Path> walk(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
