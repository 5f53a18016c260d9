package org.captioner.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code captioner} command. */
@Command(name = "captioner",
        mixinStandardHelpOptions = true,
        version = "captioner 0.1.0",
        description = "Image captioning for the JVM: extract features, train, caption, evaluate, serve.",
        subcommands = {CommandLine.HelpCommand.class, ScoreCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this rather than {@link #main}). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
