package org.captioner.spark;

import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.captioner.Caption;
import org.captioner.Captioner;
import org.captioner.SharedData;
import org.captioner.data.ImageCaptions;
import org.captioner.data.Split;
import org.captioner.decode.DecodingOptions;
import org.captioner.features.BackboneSpec;
import org.captioner.features.FeatureExtractor;
import org.captioner.features.FeatureStore;
import org.captioner.features.FeatureStoreManifest;
import org.captioner.features.FeatureStoreWriter;
import org.captioner.features.OnnxBackbone;
import org.captioner.image.ImageDecoder;
import org.captioner.image.ImageFiles;
import org.captioner.image.ImageLimits;
import org.captioner.image.ResizeMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The jobs in local mode (driver and executor in this JVM) on real Flickr8k images and the default model. */
class LocalModeTest {
    private static final int BATCH = 16;
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = CaptionerSpark.session("local[2]");
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static List<Path> flickrImages(int count) throws Exception {
        return ImageFiles.list(SharedData.flickr8k().resolve("images")).subList(0, count);
    }

    private static ImageJob job(String input, String paths, Path out, OutputFormat format, ImageLimits limits) {
        return new ImageJob(input, paths, out.toString(), format, null, BATCH, limits);
    }

    @Test
    void captions200ImagesAsCaptionerDoes(@TempDir Path dir) throws Exception {
        List<Path> images = flickrImages(200);
        Path pathsTable = dir.resolve("paths.parquet");
        spark.createDataset(images.stream().map(Path::toString).toList(), Encoders.STRING()).toDF("path")
                .write().parquet(pathsTable.toString());
        Path bundle = Captioner.defaultBundle();

        JobSummary summary = CaptionerSpark.caption(spark, job(null, pathsTable.toString(), dir.resolve("out"),
                OutputFormat.PARQUET, ImageLimits.DEFAULT), ModelRef.of(org.captioner.bundle.ModelBundle.read(bundle), SharedData.models(), 1), defaults(bundle));

        assertThat(summary.rows()).isEqualTo(200);
        assertThat(summary.errorRows()).isZero();
        Map<String, String> expected = captionLocally(bundle, images);
        Map<String, String> actual = new HashMap<>();
        for (Row row : spark.read().parquet(dir.resolve("out").toString()).collectAsList()) {
            actual.put(Path.of(row.<String>getAs("path")).toString(), row.getAs("caption"));
            assertThat(row.<String>getAs("model")).isEqualTo("default");
            assertThat(row.<String>getAs("bundle_sha256")).hasSize(64);
        }
        assertThat(actual).isEqualTo(expected);
    }

    private static DecodingOptions defaults(Path bundle) throws Exception {
        return org.captioner.bundle.ModelBundle.read(bundle).manifest().decoding();
    }

    /** What {@code captioner caption} prints: Captioner on decoded files, batch by batch. */
    private static Map<String, String> captionLocally(Path bundle, List<Path> images) throws Exception {
        Map<String, String> captions = new HashMap<>();
        ImageDecoder decoder = new ImageDecoder();
        try (Captioner captioner = Captioner.load(bundle, SharedData.models())) {
            for (int from = 0; from < images.size(); from += BATCH) {
                List<Path> batch = images.subList(from, Math.min(images.size(), from + BATCH));
                List<BufferedImage> pictures = new ArrayList<>();
                for (Path image : batch) {
                    pictures.add(decoder.decode(image));
                }
                List<List<Caption>> result = captioner.caption(pictures, captioner.defaultOptions());
                for (int i = 0; i < batch.size(); i++) {
                    captions.put(batch.get(i).toString(), result.get(i).get(0).text());
                }
            }
        }
        return captions;
    }

    @Test
    void brokenFilesAreErrorRowsAndTheJobSucceeds(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        List<Path> good = flickrImages(2);
        for (Path image : good) {
            Files.copy(image, images.resolve(image.getFileName()));
        }
        byte[] jpeg = Files.readAllBytes(good.get(0));
        Files.write(images.resolve("empty.jpg"), new byte[0]);
        Files.write(images.resolve("truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 3));
        Files.writeString(images.resolve("text.jpg"), "not a picture\n");
        Files.writeString(images.resolve("notes.txt"), "not an image name: not listed\n");
        Path bundle = Captioner.defaultBundle();
        long largestGood = Math.max(Files.size(good.get(0)), Files.size(good.get(1)));
        ImageLimits limits = new ImageLimits(ImageLimits.DEFAULT.maxPixels(), largestGood);
        Files.write(Files.createDirectories(images.resolve("nested")).resolve("huge.jpg"), new byte[(int) largestGood + 1]);

        JobSummary summary = CaptionerSpark.caption(spark, job(images.toString(), null, dir.resolve("out"),
                OutputFormat.JSONL, limits), ModelRef.of(org.captioner.bundle.ModelBundle.read(bundle), SharedData.models(), 1), defaults(bundle).withCount(2));

        assertThat(summary.rows()).isEqualTo(6);
        assertThat(summary.errorRows()).isEqualTo(4);
        Map<String, Row> rows = new HashMap<>();
        spark.read().json(dir.resolve("out").toString()).collectAsList()
                .forEach(row -> rows.put(Path.of(row.<String>getAs("path")).getFileName().toString(), row));
        assertThat(rows.get("empty.jpg").<String>getAs("error")).contains("empty");
        assertThat(rows.get("truncated.jpg").<String>getAs("error")).contains("truncated");
        assertThat(rows.get("text.jpg").<String>getAs("error")).contains("unsupported image format");
        assertThat(rows.get("huge.jpg").<String>getAs("error")).contains("more than the limit");
        Row fine = rows.get(good.get(0).getFileName().toString());
        assertThat(fine.<String>getAs("error")).isNull();
        assertThat(fine.<String>getAs("caption")).isNotBlank();
        assertThat(fine.<List<?>>getList(fine.fieldIndex("captions"))).hasSize(2);
    }

    @Test
    void featuresEqualThoseOfTheFeaturesCommand(@TempDir Path dir) throws Exception {
        List<Path> images = flickrImages(12);
        Path folder = Files.createDirectories(dir.resolve("images"));
        for (Path image : images) {
            Files.copy(image, folder.resolve(image.getFileName()));
        }
        BackboneSpec spec = BackboneSpec.builtin(BackboneSpec.DEFAULT_NAME);

        JobSummary summary = CaptionerSpark.features(spark, job(folder.toString(), null, dir.resolve("spark"),
                OutputFormat.PARQUET, ImageLimits.DEFAULT), BackboneRef.of(spec, SharedData.models(), ResizeMode.SQUASH));
        FeatureImport.Summary imported = FeatureImport.run(spark, dir.resolve("spark").toString(), dir.resolve("imported"));

        assertThat(summary.rows()).isEqualTo(12);
        assertThat(imported.imported()).isEqualTo(12);
        try (OnnxBackbone backbone = OnnxBackbone.open(spec, SharedData.models());
             FeatureStoreWriter store = FeatureStoreWriter.open(dir.resolve("local"), FeatureStoreManifest.of(backbone))) {
            new FeatureExtractor(backbone).extract(images.stream()
                    .map(file -> new ImageCaptions(file.getFileName().toString(), file, List.of(), Split.UNSPLIT)).toList(), store);
        }
        FeatureStore local = FeatureStore.open(dir.resolve("local"));
        FeatureStore fromSpark = FeatureStore.open(dir.resolve("imported"));
        assertThat(fromSpark.manifest()).isEqualTo(local.manifest());
        assertThat(fromSpark.imageIds()).containsExactlyInAnyOrderElementsOf(local.imageIds());
        for (String id : local.imageIds()) {
            assertThat(regions(fromSpark, id)).as(id).isEqualTo(regions(local, id));
            assertThat(pooled(fromSpark, id)).as(id).isEqualTo(pooled(local, id));
        }
    }

    private static float[] regions(FeatureStore store, String id) {
        float[] values = new float[store.regions() * store.channels()];
        store.regionFeatures(id, values);
        return values;
    }

    private static float[] pooled(FeatureStore store, String id) {
        float[] values = new float[store.channels()];
        store.pooledFeatures(id, values);
        return values;
    }
}
