package org.captioner.features;

import org.captioner.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Appends features to a store directory so that an interrupted run loses at most the batch being
 * written and never corrupts the store: records go to the append-only {@code features.f16} and are
 * flushed to disk before {@code index.txt} (the committed image ids, line n = record n) is atomically
 * replaced. Reopening cuts off data past the last committed record. One writer per store (file lock).
 * Augmented views ({@link FeatureView}) are records like any other; {@code views.tsv} says which records are views
 * and is replaced just before the index, so it never lacks a committed view.
 */
public final class FeatureStoreWriter implements AutoCloseable {
    static final String DATA_FILE = "features.f16";
    static final String INDEX_FILE = "index.txt";

    private final Path dir;
    private final FeatureStoreManifest manifest;
    private final FileChannel data;
    private final FileLock lock;
    private final List<String> imageIds;
    private final Set<String> stored;
    private final Map<String, FeatureView> views = new LinkedHashMap<>();

    private FeatureStoreWriter(Path dir, FeatureStoreManifest manifest, FileChannel data, FileLock lock, List<String> imageIds,
                               List<FeatureView> views) {
        this.dir = dir;
        this.manifest = manifest;
        this.data = data;
        this.lock = lock;
        this.imageIds = imageIds;
        this.stored = new HashSet<>(imageIds);
        views.forEach(view -> this.views.put(view.viewId(), view));
    }

    /**
     * Opens {@code dir} for appending, creating the store when the directory has none.
     *
     * @throws IllegalArgumentException when the store holds features of another backbone or preprocessing
     * @throws IOException              when the store is damaged, locked by another run or cannot be written
     */
    public static FeatureStoreWriter open(Path dir, FeatureStoreManifest manifest) throws IOException {
        Files.createDirectories(dir);
        boolean exists = Files.exists(dir.resolve(FeatureStoreManifest.FILE_NAME));
        if (exists) {
            FeatureStoreManifest existing = FeatureStoreManifest.read(dir);
            if (!existing.compatibleWith(manifest)) {
                throw new IllegalArgumentException("feature store " + dir + " holds features of " + existing.describe()
                        + "; refusing to add features of " + manifest.describe() + " (use another output directory)");
            }
        } else if (Files.exists(dir.resolve(DATA_FILE)) || Files.exists(dir.resolve(INDEX_FILE))) {
            throw new IOException("feature store " + dir + ": " + FeatureStoreManifest.FILE_NAME + " is missing but data files exist");
        }
        FileChannel data = FileChannel.open(dir.resolve(DATA_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = lockOrFail(data, dir);
            if (!exists) {
                AtomicFiles.write(dir.resolve(INDEX_FILE), new byte[0]);
                manifest.write(dir); // last: a manifest means the store is complete
            }
            List<String> ids = readIndex(dir);
            long committed = ids.size() * manifest.recordBytes();
            if (data.size() < committed) {
                throw new IOException("feature store " + dir + ": " + DATA_FILE + " has " + data.size() + " bytes but the index lists "
                        + ids.size() + " images (" + committed + " bytes): the store is damaged");
            }
            data.truncate(committed); // drops the tail of a batch whose run was interrupted
            return new FeatureStoreWriter(dir, manifest, data, lock, ids, FeatureViews.read(dir, new HashSet<>(ids)));
        } catch (IOException | RuntimeException e) {
            data.close();
            throw e;
        }
    }

    private static FileLock lockOrFail(FileChannel data, Path dir) throws IOException {
        FileLock lock;
        try {
            lock = data.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new IOException("feature store " + dir + " is being written by another run");
        }
        return lock;
    }

    static List<String> readIndex(Path dir) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(INDEX_FILE), StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) {
                ids.add(line);
            }
        }
        return ids;
    }

    public Path directory() {
        return dir;
    }

    public FeatureStoreManifest manifest() {
        return manifest;
    }

    public boolean contains(String imageId) {
        return stored.contains(imageId);
    }

    /** Number of committed images. */
    public int size() {
        return imageIds.size();
    }

    /** Writes the batch and commits it; when this returns, the batch survives a crash. */
    public void append(List<String> ids, List<BackboneFeatures> features) throws IOException {
        append(ids, features, List.of());
    }

    /**
     * Writes the batch and commits it, recording which of its records are augmented views.
     *
     * @param batchViews views among {@code ids} (each {@link FeatureView#viewId()} is one of them); the others are plain
     */
    public void append(List<String> ids, List<BackboneFeatures> features, List<FeatureView> batchViews) throws IOException {
        if (ids.size() != features.size()) {
            throw new IllegalArgumentException(ids.size() + " image ids for " + features.size() + " feature records");
        }
        Set<String> batchIds = new HashSet<>();
        for (String id : ids) {
            if (id.isEmpty() || id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("image id must be one non-empty line: '" + id + "'");
            }
            if (stored.contains(id) || !batchIds.add(id)) {
                throw new IllegalArgumentException("image " + id + " is already in feature store " + dir);
            }
        }
        for (FeatureView view : batchViews) {
            if (!batchIds.contains(view.viewId())) {
                throw new IllegalArgumentException("view " + view.viewId() + " is not among the batch's records");
            }
        }
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(manifest.recordBytes() * ids.size())).order(ByteOrder.LITTLE_ENDIAN);
        for (BackboneFeatures record : features) {
            if (record.regions() != manifest.regions() || record.channels() != manifest.channels()) {
                throw new IllegalArgumentException("features of " + record.regions() + "x" + record.channels()
                        + " do not fit store " + dir + " (" + manifest.regions() + "x" + manifest.channels() + ")");
            }
            putHalves(buffer, record.regionFeatures());
            putHalves(buffer, record.pooled());
        }
        buffer.flip();
        long position = imageIds.size() * manifest.recordBytes();
        while (buffer.hasRemaining()) {
            position += data.write(buffer, position);
        }
        data.force(false);
        if (!batchViews.isEmpty()) {
            batchViews.forEach(view -> views.put(view.viewId(), view));
            FeatureViews.write(dir, views.values());
        }
        imageIds.addAll(ids);
        stored.addAll(ids);
        AtomicFiles.write(dir.resolve(INDEX_FILE), (String.join("\n", imageIds) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void putHalves(ByteBuffer buffer, float[] values) {
        for (float value : values) {
            buffer.putShort(Float16.fromFloat(value));
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            data.close();
        }
    }
}
