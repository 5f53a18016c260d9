package org.captioner.features;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A feature store opened for reading: {@code features.f16} memory-mapped, so training touches only
 * the pages it needs and the OS shares them between runs. Sees the images committed when it was
 * opened. Thread-safe (reads use absolute positions only). Augmented views of training images are records under
 * their own ids ({@link #viewsOf}); a store without {@code views.tsv} has none.
 */
public final class FeatureStore implements FeatureSource {
    private final Path dir;
    private final FeatureStoreManifest manifest;
    private final List<String> imageIds;
    private final Map<String, Integer> recordOf;
    private final MappedByteBuffer[] chunks;
    private final int recordsPerChunk;
    private final Map<String, List<FeatureView>> viewsByImage;

    private FeatureStore(Path dir, FeatureStoreManifest manifest, List<String> imageIds, MappedByteBuffer[] chunks,
                         int recordsPerChunk, List<FeatureView> views) {
        this.dir = dir;
        this.manifest = manifest;
        this.imageIds = List.copyOf(imageIds);
        this.chunks = chunks;
        this.recordsPerChunk = recordsPerChunk;
        this.recordOf = new HashMap<>();
        for (int i = 0; i < imageIds.size(); i++) {
            recordOf.put(imageIds.get(i), i);
        }
        this.viewsByImage = views.stream().collect(Collectors.groupingBy(FeatureView::imageId, LinkedHashMap::new,
                Collectors.toUnmodifiableList()));
    }

    public static FeatureStore open(Path dir) throws IOException {
        FeatureStoreManifest manifest = FeatureStoreManifest.read(dir);
        List<String> ids = FeatureStoreWriter.readIndex(dir);
        long recordBytes = manifest.recordBytes();
        // A mapping is limited to 2 GB: map whole records in chunks below that.
        int recordsPerChunk = (int) Math.max(1, Integer.MAX_VALUE / recordBytes);
        try (FileChannel channel = FileChannel.open(dir.resolve(FeatureStoreWriter.DATA_FILE), StandardOpenOption.READ)) {
            if (channel.size() < ids.size() * recordBytes) {
                throw new IOException("feature store " + dir + ": " + FeatureStoreWriter.DATA_FILE + " is shorter than its index");
            }
            MappedByteBuffer[] chunks = new MappedByteBuffer[(ids.size() + recordsPerChunk - 1) / recordsPerChunk];
            for (int c = 0; c < chunks.length; c++) {
                long first = (long) c * recordsPerChunk;
                long records = Math.min(recordsPerChunk, ids.size() - first);
                chunks[c] = channel.map(FileChannel.MapMode.READ_ONLY, first * recordBytes, records * recordBytes);
                chunks[c].order(ByteOrder.LITTLE_ENDIAN);
            }
            return new FeatureStore(dir, manifest, ids, chunks, recordsPerChunk, FeatureViews.read(dir, new HashSet<>(ids)));
        }
    }

    public FeatureStoreManifest manifest() {
        return manifest;
    }

    /** Stored image ids in storage order. */
    public List<String> imageIds() {
        return imageIds;
    }

    /** Records stored: plain images and augmented views. */
    public int size() {
        return imageIds.size();
    }

    /** The augmented views of {@code imageId} (empty for most stores, and for dev and test images). */
    public List<FeatureView> viewsOf(String imageId) {
        return viewsByImage.getOrDefault(imageId, List.of());
    }

    /** Whether any image has augmented views. */
    public boolean hasViews() {
        return !viewsByImage.isEmpty();
    }

    @Override
    public int regions() {
        return manifest.regions();
    }

    @Override
    public int channels() {
        return manifest.channels();
    }

    @Override
    public boolean contains(String imageId) {
        return recordOf.containsKey(imageId);
    }

    @Override
    public void regionFeatures(String imageId, float[] into) {
        read(imageId, 0, regions() * channels(), into);
    }

    @Override
    public void pooledFeatures(String imageId, float[] into) {
        read(imageId, regions() * channels(), channels(), into);
    }

    private void read(String imageId, int firstValue, int count, float[] into) {
        Integer record = recordOf.get(imageId);
        if (record == null) {
            throw new IllegalArgumentException("image " + imageId + " is not in feature store " + dir);
        }
        if (into.length < count) {
            throw new IllegalArgumentException("buffer of " + into.length + " floats, need " + count);
        }
        MappedByteBuffer chunk = chunks[record / recordsPerChunk];
        int start = (int) ((record % recordsPerChunk) * manifest.recordBytes()) + 2 * firstValue;
        for (int i = 0; i < count; i++) {
            into[i] = Float16.toFloat(chunk.getShort(start + 2 * i));
        }
    }
}
