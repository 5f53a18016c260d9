package org.captioner.spark;

import org.captioner.Captioner;
import org.captioner.bundle.ModelBundle;
import org.captioner.decode.DecodingOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The application jar's main class, for {@code spark-submit --class org.captioner.spark.SparkApp captioner-spark.jar
 * caption|features ...}. The master and resources come from {@code spark-submit}.
 */
@Command(name = "captioner-spark", mixinStandardHelpOptions = true,
        description = "Captions images or extracts their backbone features as a Spark job.",
        subcommands = {SparkApp.Caption.class, SparkApp.Features.class, SparkApp.Check.class})
public final class SparkApp implements Runnable {

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new SparkApp());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            cmd.getErr().println("captioner-spark " + cmd.getCommandName() + ": " + exception.getMessage());
            return 1;
        });
        System.exit(commandLine.execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    private static int inSession(String master, CaptionerSpark.Work work) throws IOException {
        System.out.println(CaptionerSpark.inSession(master, work));
        return 0;
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Prints each executor's command line length (ONNX Runtime 1.29 crashes past ~4 KB).")
    static final class Check implements Callable<Integer> {
        @Option(names = "--tasks", defaultValue = "4", description = "Tasks to spread over the executors. Default: ${DEFAULT-VALUE}.")
        int tasks;

        @Override
        public Integer call() throws IOException {
            return inSession(null, spark -> String.join("\n", ExecutorCommandLines.measure(spark, tasks).stream()
                    .map(line -> "executor pid " + line.replace(" ", ": command line ") + " bytes (limit ~"
                            + ExecutorCommandLines.ONNX_RUNTIME_LIMIT + ")").toList()));
        }
    }

    @Command(name = "caption", mixinStandardHelpOptions = true, description = "Captions images; one output row per image.")
    static final class Caption implements Callable<Integer> {
        @Mixin
        ImageJobFlags job;

        @Option(names = "--model", paramLabel = "DIR", description = "Model bundle directory, readable by every executor "
                + "(a shared path, or shipped with --archives bundle.tgz#NAME and given as NAME).")
        Path bundle;

        @Option(names = "--models-dir", paramLabel = "DIR", description = "Folder of the ONNX backbones, readable by every executor.")
        Path modelsDir;

        @Option(names = "--decoder-threads", defaultValue = "1", description = "libtorch threads per executor. Default: ${DEFAULT-VALUE}.")
        int decoderThreads;

        @Option(names = "--decoding", paramLabel = "NAME=VALUE,...",
                description = "Decoding over the bundle's defaults, e.g. beamWidth=5,count=3 (fields of DecodingOptions).")
        String decoding;

        @Override
        public Integer call() throws IOException {
            ModelBundle model = ModelBundle.read(bundle != null ? bundle : Captioner.defaultBundle());
            DecodingOptions defaults = model.manifest().decoding();
            DecodingOptions options = decoding == null ? defaults : DecodingOverrides.apply(defaults, decoding);
            ImageJob spec = job.job();
            ModelRef ref = ModelRef.of(model, modelsDir, decoderThreads);
            return inSession(job.master, spark -> "caption: " + CaptionerSpark.caption(spark, spec, ref, options));
        }
    }

    @Command(name = "features", mixinStandardHelpOptions = true, description = "Extracts backbone features; one output row per image.")
    static final class Features implements Callable<Integer> {
        @Mixin
        ImageJobFlags job;

        @Mixin
        BackboneFlags backbone;

        @Override
        public Integer call() throws IOException {
            ImageJob spec = job.job();
            BackboneRef ref = backbone.backbone();
            return inSession(job.master, spark -> "features: " + CaptionerSpark.features(spark, spec, ref));
        }
    }
}
