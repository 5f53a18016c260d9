package org.captioner.cli;

import org.captioner.data.Dataset;
import org.captioner.features.FeatureStore;
import org.captioner.train.TrainingResult;
import org.captioner.train.TrainingRecipe;
import org.captioner.train.TrainingRun;
import org.captioner.train.TrainingStoppedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code captioner train}: trains a model from a caption file and a feature store into a bundle. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a captioning model on the train split, selects it on the dev split (CIDEr-D) and writes a model bundle.",
                "The recipe (model, training, decoding) is built in; --config FILE and --set key=value change parts of it."})
final class TrainCommand implements Callable<Integer> {
    /** How long Ctrl-C or SIGTERM waits for the current step (or dev evaluation) to end and the checkpoint to be written. */
    private static final Duration STOP_GRACE = Duration.ofMinutes(2);

    @Mixin
    DatasetOptions data;

    @Option(names = "--features", required = true, paramLabel = "DIR", description = "Feature store made by `captioner features`.")
    Path features;

    @Option(names = "--config", paramLabel = "FILE", description = "Recipe (YAML or JSON) with the keys to change.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Change one recipe key, e.g. training.epochs=5 or model.rnn=lstm.")
    List<String> overrides = new ArrayList<>();

    @Within(min = 1)
    @Option(names = "--epochs", description = "Shortcut for --set training.epochs=N, 1 or more.")
    Integer epochs;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run directory: checkpoints, log.csv, loss.png, recipe.yaml.")
    Path run;

    @Option(names = "--bundle", paramLabel = "DIR", description = "Where to write the model bundle (default: <run>/bundle).")
    Path bundle;

    @Option(names = "--init", paramLabel = "BUNDLE", description = {"Start from this model bundle's weights, vocabulary and"
            + " text settings instead of random weights (fine-tuning, e.g. self-critical training with"
            + " recipes/flickr8k-sat-scst.yaml); the recipe's model and text sections are not used.",
            "The feature store must be of the bundle's backbone."})
    Path init;

    @Option(names = "--resume", description = "Continue the run in --run from its last checkpoint.")
    boolean resume;

    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> assignments = new ArrayList<>(overrides);
        if (epochs != null) {
            assignments.add("training.epochs=" + epochs);
        }
        TrainingRecipe recipe = TrainingRecipe.load(config, assignments);
        Dataset dataset = data.load(false, spec.commandLine().getErr());
        TrainingRun.Result result;
        try (StopOnSignal signal = new StopOnSignal(STOP_GRACE)) {
            try {
                result = new TrainingRun(recipe, dataset, FeatureStore.open(features), run)
                        .progressBar(!noProgress).stopWhen(signal).initFrom(init)
                        .run(bundle != null ? bundle : run.resolve("bundle"), resume,
                                Main.commandProvenance(spec));
            } catch (TrainingStoppedException e) {
                // Reported before the signal is released: once it is, the JVM exits (with 128 + the signal number).
                return ExitCodes.report(e, spec.commandLine());
            }
        }
        TrainingResult training = result.training();
        out.printf("trained on %d images (%d captions), vocabulary %d, in %.0f s: %d steps, %d epochs%s, best epoch %d"
                        + " (dev CIDEr-D %.4f)%n", result.trainImages(), result.trainCaptions(), result.vocabularySize(),
                result.seconds(), training.steps(), training.epochsCompleted(),
                training.stoppedEarly() ? " (stopped early)" : "", training.bestEpoch(),
                training.bestScore() == null ? Double.NaN : training.bestScore());
        out.println("dev scores (" + result.devImages() + " images): " + result.devMetrics());
        out.println("bundle: " + result.bundle());
        return 0;
    }
}
