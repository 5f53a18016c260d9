package org.captioner.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the parsed options of the command about to run against their {@link Within} ranges, then every
 * {@link CheckedOptions} among the command and its mixins. A value out of range becomes a {@link ParameterException},
 * so picocli reports a usage error (exit code 2) before any model is loaded.
 */
final class OptionRanges {
    /** Pictures handled together by one command (caption, evaluate, bench, features): memory grows with it. */
    static final int MAX_BATCH = 256;
    /** Threads of the decoder, the backbone or image decoding; more than the cores of any likely machine. */
    static final int MAX_THREADS = 64;

    private OptionRanges() {
    }

    /** Runs the checks of the innermost command of {@code parseResult}. */
    static void check(ParseResult parseResult) {
        ParseResult command = parseResult;
        while (command.subcommand() != null) {
            command = command.subcommand();
        }
        CommandSpec spec = command.commandSpec();
        for (OptionSpec option : spec.options()) {
            Within range = range(option);
            Object value = option.getValue();
            if (range != null && value instanceof Number number && !contains(range, number.doubleValue())) {
                throw new ParameterException(spec.commandLine(), option.longestName() + " must be " + describe(range)
                        + ", not " + value);
            }
        }
        for (Object options : userObjects(spec)) {
            if (options instanceof CheckedOptions checked) {
                try {
                    checked.check();
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage(), e);
                }
            }
        }
    }

    /** The range of an option, or null when it has none. */
    static Within range(OptionSpec option) {
        return option.userObject() instanceof AnnotatedElement element ? element.getAnnotation(Within.class) : null;
    }

    /** The range as descriptions and errors state it, e.g. "from 1 to 20", "1 or more", "above 0 and at most 5". */
    static String describe(Within range) {
        String min = number(range.min());
        if (Double.isInfinite(range.max())) {
            return range.aboveMin() ? "above " + min : min + " or more";
        }
        String max = number(range.max());
        return range.aboveMin() ? "above " + min + " and at most " + max : "from " + min + " to " + max;
    }

    private static boolean contains(Within range, double value) {
        boolean aboveMin = range.aboveMin() ? value > range.min() : value >= range.min();
        return !Double.isNaN(value) && !Double.isInfinite(value) && aboveMin && value <= range.max();
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static List<Object> userObjects(CommandSpec spec) {
        List<Object> objects = new ArrayList<>();
        objects.add(spec.userObject());
        spec.mixins().values().forEach(mixin -> objects.add(mixin.userObject()));
        return objects;
    }

    /** The execution strategy of the CLI: check the options, then run the innermost command as picocli does. */
    static int checkThenRun(ParseResult parseResult) {
        check(parseResult);
        return new CommandLine.RunLast().execute(parseResult);
    }
}
