package org.captioner.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.captioner.Caption;
import org.captioner.Captioner;
import org.captioner.decode.DecodingOptions;
import scala.jdk.javaapi.CollectionConverters;

import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Captions a Dataset of image paths: one output row per path with the best caption and its score, the n best
 * when more than one is asked for, or the reason the image failed; and which model made it.
 */
public final class CaptionJob implements Serializable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StructType CAPTION = new StructType()
            .add("text", DataTypes.StringType, false)
            .add("score", DataTypes.DoubleType, false);

    private final ModelRef model;
    private final String decodingJson;
    private final boolean allCaptions;
    private final StructType schema;

    public CaptionJob(ModelRef model, DecodingOptions decoding) {
        this.model = model;
        try {
            this.decodingJson = JSON.writeValueAsString(decoding);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        this.allCaptions = decoding.count() > 1;
        StructType columns = new StructType()
                .add("path", DataTypes.StringType, false)
                .add("caption", DataTypes.StringType, true)
                .add("score", DataTypes.DoubleType, true);
        if (allCaptions) {
            columns = columns.add("captions", DataTypes.createArrayType(CAPTION, false), true);
        }
        this.schema = columns
                .add("error", DataTypes.StringType, true)
                .add("model", DataTypes.StringType, false)
                .add("bundle_sha256", DataTypes.StringType, false);
    }

    public StructType schema() {
        return schema;
    }

    /** The rows of {@code paths} (a Dataset with a string column {@code path}), lazily. */
    public Dataset<Row> run(Dataset<Row> paths, ImageFileReader reader, int batchSize) {
        ImageBatches<List<Caption>> batches = new ImageBatches<>(reader, batchSize, new CaptionRows());
        String decoding = decodingJson;
        ModelRef ref = model;
        MapPartitionsFunction<Row, Row> perPartition = rows -> batches.map(pathsOf(rows), () -> {
            Captioner captioner = ExecutorModels.captioner(ref);
            DecodingOptions options = decodingOptions(decoding);
            return pictures -> captioner.caption(pictures, options);
        });
        return paths.select("path").mapPartitions(perPartition, Encoders.row(schema));
    }

    static Iterator<String> pathsOf(Iterator<Row> rows) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public String next() {
                return rows.next().getString(0);
            }
        };
    }

    private static DecodingOptions decodingOptions(String json) {
        try {
            return JSON.readValue(json, DecodingOptions.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class CaptionRows implements ImageBatches.Rows<List<Caption>> {
        @Override
        public Row result(String path, List<Caption> captions) {
            Caption best = captions.get(0);
            List<Object> values = new ArrayList<Object>(List.of(path, best.text(), best.logProbability()));
            if (allCaptions) {
                values.add(CollectionConverters.asScala(captions.stream()
                        .map(c -> RowFactory.create(c.text(), c.logProbability())).toList()).toSeq());
            }
            return row(values, null);
        }

        @Override
        public Row error(String path, String reason) {
            List<Object> values = new ArrayList<>();
            values.add(path);
            values.add(null);
            values.add(null);
            if (allCaptions) {
                values.add(null);
            }
            return row(values, reason);
        }

        private Row row(List<Object> values, String error) {
            values.add(error);
            values.add(model.modelName());
            values.add(model.weightsSha256());
            return RowFactory.create(values.toArray());
        }
    }
}
