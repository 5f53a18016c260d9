package org.captioner.spark;

import org.captioner.image.ImageLimits;
import picocli.CommandLine.Option;

/** The command-line flags of every Captioner Spark job: input, output, cutting, limits, master. */
public final class ImageJobFlags {
    private static final long MEGABYTE = 1024L * 1024;

    @Option(names = "--input", paramLabel = "DIR|GLOB|URI",
            description = "Images: a file, a folder (searched recursively for .jpg, .jpeg, .png), a glob, on any Hadoop "
                    + "file system (file:, hdfs:, s3a: with its connector).")
    String input;

    @Option(names = "--paths", paramLabel = "TABLE|PARQUET",
            description = "Instead of --input: a table or Parquet data set with a string column 'path'.")
    String paths;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (must not exist).")
    String out;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "parquet|jsonl",
            description = "Output format. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[*], local[N], spark://HOST:7077 ... Default: spark-submit's, else local[*].")
    public String master;

    @Option(names = "--partitions", paramLabel = "N", description = "Tasks and output files. Default: 4 per core of the cluster.")
    Integer partitions;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N", description = "Images per model run. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--max-file-mb", defaultValue = "50", paramLabel = "MB",
            description = "Larger files are error rows, refused before they are read. Default: ${DEFAULT-VALUE}.")
    long maxFileMb;

    @Option(names = "--max-megapixels", defaultValue = "100", paramLabel = "MP",
            description = "Larger pictures are error rows (decompression bombs). Default: ${DEFAULT-VALUE}.")
    long maxMegapixels;

    public ImageJob job() {
        OutputFormat outputFormat;
        try {
            outputFormat = OutputFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--format must be parquet or jsonl, not '" + format + "'");
        }
        return new ImageJob(input, paths, out, outputFormat, partitions, batch,
                new ImageLimits(maxMegapixels * 1_000_000L, maxFileMb * MEGABYTE));
    }
}
