package org.captioner.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Map;

/** Entry point of the {@code captioner} command. */
@Command(name = "captioner",
        mixinStandardHelpOptions = true,
        version = "captioner 0.1.0",
        description = "Image captioning for the JVM: extract features, train, caption, evaluate, serve.",
        subcommands = {DatasetCommand.class, FeaturesCommand.class, TrainCommand.class, AverageCommand.class,
                CaptionCommand.class, AttendCommand.class, EvaluateCommand.class, ScoreCommand.class, BenchCommand.class,
                ServeCommand.class, SparkCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line: options checked against their ranges, errors handled by {@link ExitCodes}. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionStrategy(OptionRanges::checkThenRun);
        return ExitCodes.install(commandLine);
    }

    /** What bundles record as how they were made: the command line as the user typed it. */
    static Map<String, String> commandProvenance(CommandSpec command) {
        return Map.of("command", "captioner " + String.join(" ", command.commandLine().getParseResult().originalArgs()));
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
