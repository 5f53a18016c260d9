package org.captioner.spark;

import org.apache.spark.sql.SparkSession;
import org.captioner.decode.DecodingOptions;

import java.io.IOException;

/** The Captioner jobs on Spark, for the command line, {@code spark-submit} ({@link SparkApp}) and programs. */
public final class CaptionerSpark {
    private CaptionerSpark() {
    }

    /**
     * A session on {@code master} ({@code local[*]}, {@code spark://host:7077}, ...), or on the master
     * {@code spark-submit} chose when null. The web UI is off unless {@code spark.ui.enabled} says otherwise;
     * in local mode the driver listens on the loopback address only.
     */
    public static SparkSession session(String master) {
        SparkSession.Builder builder = SparkSession.builder().appName("captioner");
        if (master != null) {
            builder.master(master);
            if (master.startsWith("local") && System.getProperty("spark.driver.host") == null) {
                builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
            }
        }
        if (System.getProperty("spark.ui.enabled") == null) {
            builder.config("spark.ui.enabled", "false");
        }
        return builder.getOrCreate();
    }

    /** Work done with a session; returns what to report. */
    @FunctionalInterface
    public interface Work {
        String run(SparkSession spark) throws IOException;
    }

    /** Runs {@code work} on a {@link #session} that is stopped afterwards, even when the work fails. */
    public static String inSession(String master, Work work) throws IOException {
        SparkSession spark = session(master);
        try {
            return work.run(spark);
        } finally {
            spark.stop();
        }
    }

    /** Captions every image of the job; failed images are error rows. */
    public static JobSummary caption(SparkSession spark, ImageJob job, ModelRef model, DecodingOptions decoding) throws IOException {
        job.checkOutputIsNew(spark);
        CaptionJob captions = new CaptionJob(model, decoding);
        return job.write(spark, captions.run(job.paths(spark), job.reader(spark), job.batchSize()));
    }

    /** Extracts the backbone features of every image of the job; failed images are error rows. */
    public static JobSummary features(SparkSession spark, ImageJob job, BackboneRef backbone) throws IOException {
        job.checkOutputIsNew(spark);
        FeatureJob features = new FeatureJob(backbone);
        return job.write(spark, features.run(job.paths(spark), job.reader(spark), job.batchSize()));
    }
}
