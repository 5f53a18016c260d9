package org.captioner.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.captioner.features.BackboneFeatures;
import org.captioner.features.FeatureStoreManifest;
import org.captioner.features.FeatureStoreWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Appends the rows of a {@link FeatureJob} output to a feature store, which {@code captioner train} reads.
 * Resumable like {@code captioner features}: images already in the store are skipped, and so are error rows
 * and a repeated image id (two files of the same name in different folders).
 */
public final class FeatureImport {
    private static final int BATCH = 256;

    /** What an import did. */
    public record Summary(int imported, int alreadyStored, int errorRows, int duplicateIds) {
        @Override
        public String toString() {
            return imported + " imported, " + alreadyStored + " already in the store, " + errorRows + " error rows skipped, "
                    + duplicateIds + " repeated image ids skipped";
        }
    }

    private FeatureImport() {
    }

    public static Summary run(SparkSession spark, String features, Path store) throws IOException {
        Dataset<Row> rows = spark.read().parquet(features);
        long errorRows = rows.filter("error IS NOT NULL").count();
        Iterator<Row> good = rows.filter("error IS NULL").select("image_id", "regions", "pooled", "backbone",
                "backbone_sha256", "resize", "grid_height", "grid_width", "channels").toLocalIterator();
        if (!good.hasNext()) {
            throw new IOException(features + ": no features to import (" + errorRows + " error rows)");
        }
        Row first = good.next();
        FeatureStoreManifest manifest = manifestOf(first);
        int imported = 0;
        int alreadyStored = 0;
        int duplicates = 0;
        Set<String> seen = new HashSet<>();
        try (FeatureStoreWriter writer = FeatureStoreWriter.open(store, manifest)) {
            List<String> ids = new ArrayList<>(BATCH);
            List<BackboneFeatures> batch = new ArrayList<>(BATCH);
            for (Row row = first; row != null; row = good.hasNext() ? good.next() : null) {
                if (!manifestOf(row).equals(manifest)) {
                    throw new IOException(features + ": image " + row.getString(0) + " has features of "
                            + manifestOf(row).describe() + ", not " + manifest.describe() + " like the others");
                }
                String id = row.getString(0);
                if (writer.contains(id)) {
                    alreadyStored++;
                } else if (!seen.add(id)) {
                    duplicates++;
                } else {
                    ids.add(id);
                    batch.add(new BackboneFeatures(Float16Bytes.decode(row.getAs(1)), Float16Bytes.decode(row.getAs(2)),
                            manifest.regions(), manifest.channels()));
                }
                if (ids.size() == BATCH) {
                    imported += flush(writer, ids, batch);
                }
            }
            imported += flush(writer, ids, batch);
        }
        return new Summary(imported, alreadyStored, (int) errorRows, duplicates);
    }

    private static int flush(FeatureStoreWriter writer, List<String> ids, List<BackboneFeatures> batch) throws IOException {
        int count = ids.size();
        if (count > 0) {
            writer.append(ids, batch);
            ids.clear();
            batch.clear();
        }
        return count;
    }

    private static FeatureStoreManifest manifestOf(Row row) {
        return new FeatureStoreManifest(FeatureStoreManifest.FORMAT, FeatureStoreManifest.VERSION, row.getString(3),
                row.getString(4), row.getString(5), row.getInt(6), row.getInt(7), row.getInt(8), FeatureStoreManifest.DTYPE);
    }
}
