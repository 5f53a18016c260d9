package org.captioner.cli;

import org.captioner.Captioner;
import org.captioner.bundle.ModelBundle;
import org.captioner.spark.BackboneFlags;
import org.captioner.spark.CaptionerSpark;
import org.captioner.spark.FeatureImport;
import org.captioner.spark.ImageJob;
import org.captioner.spark.ImageJobFlags;
import org.captioner.spark.ModelRef;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code captioner spark}: the captioning and feature jobs on Apache Spark, local ({@code local[*]}) or on a cluster. */
@Command(name = "spark", mixinStandardHelpOptions = true,
        description = {"Captions images or extracts features as Apache Spark jobs (docs/spark.md).",
                "On a cluster without this launcher: spark-submit --class org.captioner.spark.SparkApp captioner-spark-app.jar ..."},
        subcommands = {SparkCommand.Caption.class, SparkCommand.Features.class, SparkCommand.ImportFeatures.class})
final class SparkCommand implements Runnable {
    private static final String LOCAL = "local[*]";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static int inSession(String master, CommandLine.Model.CommandSpec spec, CaptionerSpark.Work work) throws IOException {
        spec.commandLine().getErr().println(spec.name() + ": " + CaptionerSpark.inSession(master != null ? master : LOCAL, work));
        return 0;
    }

    @Command(name = "caption", mixinStandardHelpOptions = true,
            description = {"Captions every image; one row per image: path, caption, score, captions (with -n), error, model, bundle_sha256.",
                    "An unreadable, non-image or oversized file is a row with its error, never a failed job."})
    static final class Caption implements Callable<Integer> {
        @Mixin
        ImageJobFlags job;

        @Mixin
        ModelOptions model;

        @Mixin
        DecodingFlags decoding;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            ModelBundle bundle = ModelBundle.read(model.bundle != null ? model.bundle : Captioner.defaultBundle());
            var options = decoding.over(bundle.manifest().decoding());
            ImageJob images = job.job();
            ModelRef ref = ModelRef.of(bundle, model.modelsDir, model.decoderThreads);
            return inSession(job.master, spec, spark -> CaptionerSpark.caption(spark, images, ref, options).toString());
        }
    }

    @Command(name = "features", mixinStandardHelpOptions = true,
            description = {"Extracts backbone features of every image; one row per image: image_id, path, regions and pooled",
                    "(float16 little-endian), error, backbone, backbone_sha256, resize, shapes. `captioner spark import-features` makes a store of them."})
    static final class Features implements Callable<Integer> {
        @Mixin
        ImageJobFlags job;

        @Mixin
        BackboneFlags backbone;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            ImageJob images = job.job();
            var ref = backbone.backbone();
            return inSession(job.master, spec, spark -> CaptionerSpark.features(spark, images, ref).toString());
        }
    }

    @Command(name = "import-features", mixinStandardHelpOptions = true,
            description = "Adds the rows of `captioner spark features` (Parquet) to a feature store that `captioner train` reads (resumable).")
    static final class ImportFeatures implements Callable<Integer> {
        @Option(names = "--in", required = true, paramLabel = "DIR", description = "Output of `captioner spark features`.")
        String in;

        @Option(names = "--out", required = true, paramLabel = "STORE", description = "Feature store directory (created, or added to).")
        Path out;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            return inSession("local[1]", spec, spark -> FeatureImport.run(spark, in, out).toString() + " -> " + out);
        }
    }
}
