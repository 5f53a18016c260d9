package org.captioner.spark;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.captioner.features.BackboneFeatures;
import org.captioner.features.OnnxBackbone;

import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Extracts backbone features of a Dataset of image paths: one row per path with the region grid and the
 * pooled vector as little-endian float16 (the feature store's encoding), or the reason the image failed.
 * Every row also names the backbone file (sha256), resize and shapes, so the rows describe themselves.
 * The image id is the file name, as {@code captioner features} names images; {@link FeatureImport} turns the
 * rows into a feature store {@code captioner train} reads.
 */
public final class FeatureJob implements Serializable {
    public static final StructType SCHEMA = new StructType()
            .add("image_id", DataTypes.StringType, false)
            .add("path", DataTypes.StringType, false)
            .add("regions", DataTypes.BinaryType, true)
            .add("pooled", DataTypes.BinaryType, true)
            .add("error", DataTypes.StringType, true)
            .add("backbone", DataTypes.StringType, false)
            .add("backbone_sha256", DataTypes.StringType, true)
            .add("resize", DataTypes.StringType, false)
            .add("grid_height", DataTypes.IntegerType, false)
            .add("grid_width", DataTypes.IntegerType, false)
            .add("channels", DataTypes.IntegerType, false);

    private final BackboneRef backbone;

    public FeatureJob(BackboneRef backbone) {
        this.backbone = backbone;
    }

    /** The rows of {@code paths} (a Dataset with a string column {@code path}), lazily. */
    public Dataset<Row> run(Dataset<Row> paths, ImageFileReader reader, int batchSize) {
        ImageBatches<BackboneFeatures> batches = new ImageBatches<>(reader, batchSize, new FeatureRows(backbone));
        BackboneRef ref = backbone;
        MapPartitionsFunction<Row, Row> perPartition = rows -> batches.map(CaptionJob.pathsOf(rows), () -> {
            OnnxBackbone model = ExecutorModels.backbone(ref);
            return pictures -> model.extractTensors(tensors(model, pictures));
        });
        return paths.select("path").mapPartitions(perPartition, Encoders.row(SCHEMA));
    }

    private static List<float[]> tensors(OnnxBackbone model, List<BufferedImage> pictures) {
        List<float[]> tensors = new ArrayList<>(pictures.size());
        for (BufferedImage picture : pictures) {
            tensors.add(model.preprocessor().toTensor(picture));
        }
        return tensors;
    }

    /** The image id of a path: its file name. */
    static String imageId(String path) {
        return new org.apache.hadoop.fs.Path(path).getName();
    }

    private record FeatureRows(BackboneRef backbone) implements ImageBatches.Rows<BackboneFeatures> {
        @Override
        public Row result(String path, BackboneFeatures features) {
            // The file this executor opened (checked against the spec's sha256 when the spec has one).
            OnnxBackbone model = ExecutorModels.backbone(backbone);
            return RowFactory.create(imageId(path), path, Float16Bytes.encode(features.regionFeatures()),
                    Float16Bytes.encode(features.pooled()), null, model.spec().name(), model.sha256(),
                    backbone.resize().name(), model.gridHeight(), model.gridWidth(), model.channels());
        }

        @Override
        public Row error(String path, String reason) {
            OnnxBackbone model = ExecutorModels.backbone(backbone);
            return RowFactory.create(imageId(path), path, null, null, reason, model.spec().name(), model.sha256(),
                    backbone.resize().name(), model.gridHeight(), model.gridWidth(), model.channels());
        }
    }
}
