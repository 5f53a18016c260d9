package org.captioner.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.captioner.image.ImageLimits;

import java.io.IOException;
import java.util.Arrays;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;

/**
 * Where a job's images come from, where its rows go, and how the work is cut: the part every Captioner Spark
 * job shares. Spark lists the files, partitions, schedules, retries, and commits the output (a retried or
 * speculative task's rows are written once).
 *
 * @param input        a file, folder (searched recursively), glob or URI of images; or null with {@code pathsTable}
 * @param pathsTable   a table name or Parquet path with a string column {@code path}, instead of {@code input}
 * @param out          output folder; must not exist yet
 * @param format       parquet or jsonl
 * @param partitions   tasks (and output files); null for 4 per core of the cluster
 * @param batchSize    images per model run
 * @param limits       files and pictures larger than these are error rows
 */
public record ImageJob(String input, String pathsTable, String out, OutputFormat format, Integer partitions,
                       int batchSize, ImageLimits limits) {
    private static final String IMAGE_NAME = ".*\\.(jpe?g|png)$";
    private static final int PARTITIONS_PER_CORE = 4;

    public ImageJob {
        if ((input == null) == (pathsTable == null)) {
            throw new IllegalArgumentException("give exactly one of --input and --paths");
        }
        if (partitions != null && partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batchSize);
        }
    }

    /** The image paths, cut into contiguous ranges of sorted paths: output files come out in path order. */
    Dataset<Row> paths(SparkSession spark) {
        Dataset<Row> listed = input != null ? listing(spark) : table(spark).select("path");
        int tasks = partitions != null ? partitions : PARTITIONS_PER_CORE * spark.sparkContext().defaultParallelism();
        return listed.repartitionByRange(tasks, col("path")).sortWithinPartitions("path");
    }

    /**
     * The files Spark's file index finds (globs, recursion, parallel listing of many folders). Taken from the index
     * rather than read as rows: the binaryFile source yields no row for an empty file, which must be an error row.
     */
    private Dataset<Row> listing(SparkSession spark) {
        String[] files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(input).inputFiles();
        return spark.createDataset(Arrays.asList(files), Encoders.STRING()).toDF("path")
                .filter(lower(col("path")).rlike(IMAGE_NAME));
    }

    private Dataset<Row> table(SparkSession spark) {
        boolean tableName = pathsTable.matches("[A-Za-z_][A-Za-z0-9_.]*") && spark.catalog().tableExists(pathsTable);
        return tableName ? spark.table(pathsTable) : spark.read().parquet(pathsTable);
    }

    /** Reads files on executors with the driver's Hadoop settings (credentials, connectors). */
    ImageFileReader reader(SparkSession spark) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        return new ImageFileReader(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(new SerializableConfiguration(hadoop)), limits);
    }

    /** Refuses an existing output folder up front, with one clear line instead of Spark's. */
    void checkOutputIsNew(SparkSession spark) throws IOException {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(out);
        FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (fs.exists(path)) {
            throw new IOException("--out " + out + " already exists: choose a new folder (Spark never appends to a job's output)");
        }
    }

    /** Writes the rows through Spark's output committer; returns how many rows and error rows were written. */
    JobSummary write(SparkSession spark, Dataset<Row> rows) {
        long start = System.nanoTime();
        format.writer(rows).save(out);
        Dataset<Row> written = format.reader(spark).load(out);
        long total = written.count();
        long errors = written.filter(col("error").isNotNull()).count();
        return new JobSummary(out, total, errors, (System.nanoTime() - start) / 1e9);
    }
}
