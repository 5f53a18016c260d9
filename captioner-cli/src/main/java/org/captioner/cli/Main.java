package org.captioner.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code captioner} command. */
@Command(name = "captioner",
        mixinStandardHelpOptions = true,
        version = "captioner 0.1.0",
        description = "Image captioning for the JVM: extract features, train, caption, evaluate, serve.",
        subcommands = {DatasetCommand.class, FeaturesCommand.class, TrainCommand.class, CaptionCommand.class, AttendCommand.class,
                EvaluateCommand.class, ScoreCommand.class, BenchCommand.class, ServeCommand.class, SparkCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line; errors print one clear line (stack traces only with CAPTIONER_DEBUG set). */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionStrategy(OptionRanges::checkThenRun);
        commandLine.setParameterExceptionHandler(Main::usageError);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            if (System.getenv("CAPTIONER_DEBUG") != null) {
                exception.printStackTrace(cmd.getErr());
            }
            cmd.getErr().println("captioner " + cmd.getCommandName() + ": " + describe(exception));
            return 1;
        });
        return commandLine;
    }

    /** A usage error is its message and where to read more, not the whole usage help. */
    private static int usageError(CommandLine.ParameterException exception, String[] args) {
        CommandLine cmd = exception.getCommandLine();
        String command = cmd.getCommandSpec().qualifiedName();
        cmd.getErr().println(command + ": " + exception.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(exception, cmd.getErr());
        cmd.getErr().println("Try '" + command + " --help' for more information.");
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String describe(Throwable exception) {
        String message = exception.getMessage();
        return message == null || message.isBlank() ? exception.getClass().getSimpleName() : message;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
