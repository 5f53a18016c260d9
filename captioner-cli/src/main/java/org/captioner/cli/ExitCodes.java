package org.captioner.cli;

import org.captioner.train.TrainingStoppedException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place where an error becomes what the user sees: one line on stderr ({@code captioner COMMAND: message};
 * the stack trace too with CAPTIONER_DEBUG set) and an exit code. Commands throw; they never print their own errors.
 */
final class ExitCodes implements IExitCodeExceptionMapper, IExecutionExceptionHandler, IParameterExceptionHandler {
    /** The command did its job. */
    static final int OK = CommandLine.ExitCode.OK;
    /** The command could not do its job: a file, model or value it was given is wrong or missing (the message says which). */
    static final int FAILED = 1;
    /** The command line itself is wrong: an unknown option, a missing argument, a value out of its range. */
    static final int USAGE = CommandLine.ExitCode.USAGE;
    /** Some inputs were done, others could not be (each is listed on stderr), e.g. unreadable images of {@code caption}. */
    static final int PARTIAL = 3;
    /** Stopped by Ctrl-C (128 + SIGINT); {@code train} first saves a checkpoint that {@code --resume} continues. */
    static final int INTERRUPTED = 130;

    /** The exit codes as every command's help lists them. */
    static final Map<String, String> HELP = help();

    @Override
    public int getExitCode(Throwable exception) {
        return exception instanceof TrainingStoppedException ? INTERRUPTED : FAILED;
    }

    @Override
    public int handleExecutionException(Exception exception, CommandLine command, ParseResult parseResult) {
        return report(exception, command);
    }

    /**
     * Prints the error of {@code command} as one line and gives its exit code. Only for a command that must report
     * before it returns (train, before it lets a pending signal end the JVM); every other error is thrown.
     */
    static int report(Exception exception, CommandLine command) {
        PrintWriter err = command.getErr();
        if (System.getenv("CAPTIONER_DEBUG") != null) {
            exception.printStackTrace(err);
        }
        err.println(command.getCommandSpec().qualifiedName() + ": " + describe(exception));
        err.flush();
        return command.getExitCodeExceptionMapper().getExitCode(exception);
    }

    /** A usage error is its message and where to read more, not the whole usage help. */
    @Override
    public int handleParseException(ParameterException exception, String[] args) {
        CommandLine command = exception.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        PrintWriter err = command.getErr();
        err.println(name + ": " + exception.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    /** Installs this as the error handling of {@code commandLine} and lists the exit codes in every command's help. */
    static CommandLine install(CommandLine commandLine) {
        ExitCodes exitCodes = new ExitCodes();
        commandLine.setExitCodeExceptionMapper(exitCodes);
        commandLine.setExecutionExceptionHandler(exitCodes);
        commandLine.setParameterExceptionHandler(exitCodes);
        install(commandLine.getCommandSpec());
        return commandLine;
    }

    private static void install(CommandLine.Model.CommandSpec spec) {
        spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(HELP);
        spec.subcommands().values().forEach(sub -> install(sub.getCommandSpec()));
    }

    private static String describe(Throwable exception) {
        String message = exception.getMessage();
        return message == null || message.isBlank() ? exception.getClass().getSimpleName() : message;
    }

    private static Map<String, String> help() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("" + OK, "done");
        codes.put("" + FAILED, "failed: one line on stderr names the file, line or field (CAPTIONER_DEBUG=1 adds the stack trace)");
        codes.put("" + USAGE, "usage error: unknown option, missing argument, value out of range");
        codes.put("" + PARTIAL, "partly done: the inputs that failed are listed on stderr");
        codes.put("" + INTERRUPTED, "stopped by Ctrl-C (143: by SIGTERM)");
        return codes;
    }
}
