package org.captioner.spark;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The length of each executor JVM's command line ({@code /proc/self/cmdline}): ONNX Runtime 1.29 crashes a JVM
 * whose command line passes ~4 KB, which a long {@code spark.executor.extraClassPath} or extra Java options can do.
 */
public final class ExecutorCommandLines {
    /** ONNX Runtime 1.29 crashed JVMs from about this command line length on. */
    public static final int ONNX_RUNTIME_LIMIT = 4096;

    private ExecutorCommandLines() {
    }

    /** One line per executor JVM that ran one of {@code tasks} tasks: {@code pid bytes}. */
    public static List<String> measure(SparkSession spark, int tasks) {
        MapPartitionsFunction<Row, String> probe = ignored -> List.of(ManagementFactory.getRuntimeMXBean().getPid() + " "
                + Files.readAllBytes(Path.of("/proc/self/cmdline")).length).iterator();
        return spark.range(0, tasks, 1, tasks).toDF().mapPartitions(probe, Encoders.STRING()).distinct().collectAsList();
    }
}
