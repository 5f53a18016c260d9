package org.captioner.features;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 of model files, hashed once per process per file version (path, size, modification
 * time): tests and commands that open the same backbone many times do not re-read it.
 */
public final class ModelChecksums {
    private record FileVersion(Path path, long size, long modifiedMillis) {
    }

    private static final Map<FileVersion, String> CACHE = new ConcurrentHashMap<>();

    private ModelChecksums() {
    }

    public static String sha256(Path file) throws IOException {
        Path real = file.toRealPath();
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
        FileVersion version = new FileVersion(real, attributes.size(), attributes.lastModifiedTime().toMillis());
        String cached = CACHE.get(version);
        if (cached != null) {
            return cached;
        }
        String computed = compute(real);
        CACHE.put(version, computed);
        return computed;
    }

    /** Throws when the file's SHA-256 differs from {@code expected} (hex, any case). */
    public static void verify(Path file, String expected) throws IOException {
        String actual = sha256(file);
        if (!actual.equals(expected.toLowerCase(Locale.ROOT))) {
            throw new IOException(file + ": SHA-256 is " + actual + " but the backbone spec expects " + expected
                    + " (wrong or damaged model file)");
        }
    }

    private static String compute(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
