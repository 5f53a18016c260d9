package org.captioner.spark;

import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** How job rows are written: Parquet, or JSON Lines where a failed image's {@code error} is written out, not dropped. */
public enum OutputFormat {
    PARQUET, JSONL;

    DataFrameWriter<Row> writer(Dataset<Row> rows) {
        DataFrameWriter<Row> writer = rows.write().mode("errorifexists");
        return this == PARQUET ? writer.format("parquet") : writer.format("json").option("ignoreNullFields", "false");
    }

    DataFrameReader reader(SparkSession spark) {
        return spark.read().format(this == PARQUET ? "parquet" : "json");
    }
}
