package org.captioner.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every numeric option has a range; out of range is a quick usage error (exit 2) before any model or file is read. */
class OptionRangesTest {
    /** serve's own options belong to the server and are checked by its ServerConfig. */
    private static final Set<String> NOT_CHECKED_HERE = Set.of("serve");
    private static final Set<Class<?>> NUMBERS = Set.of(int.class, Integer.class, double.class, Double.class,
            float.class, Float.class);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "caption --batch 0 x.jpg                  | --batch must be from 1 to 256, not 0",
        "caption --beam 0 x.jpg                   | --beam must be from 1 to 20, not 0",
        "caption --beam -1 x.jpg                  | --beam must be from 1 to 20, not -1",
        "caption -n 10000 x.jpg                   | -n must be from 1 to 20, not 10000",
        "caption --length-penalty NaN x.jpg       | --length-penalty must be from 0 to 5, not NaN",
        "caption --length-penalty Infinity x.jpg  | --length-penalty must be from 0 to 5, not Infinity",
        "caption --decoder-threads 10000 x.jpg    | --decoder-threads must be from 1 to 64, not 10000",
        "caption --max-length 0 x.jpg             | --max-length must be from 1 to 100, not 0",
        "caption --temperature 0 x.jpg            | --temperature must be above 0 and at most 5, not 0.0",
        "caption --top-p 1.5 x.jpg                | --top-p must be above 0 and at most 1, not 1.5",
        "caption --top-k -1 x.jpg                 | --top-k must be 0 or more, not -1",
        "caption --no-repeat-ngram -2 x.jpg       | --no-repeat-ngram must be from 0 to 100, not -2",
        "caption --beam 2 -n 5 x.jpg              | -n (5) cannot exceed --beam (2)",
        "caption --strategy GREEDY -n 3 x.jpg     | -n must be 1 with --strategy GREEDY",
        "attend --beam 21 x.jpg --out m.png       | --beam must be from 1 to 20, not 21",
        "evaluate --data c.txt --out r --batch 0  | --batch must be from 1 to 256, not 0",
        "evaluate --data c.txt --out r --sample -1 | --sample must be from 0 to 500, not -1",
        "bench --count 0 x.jpg                    | --count must be 1 or more, not 0",
        "bench --warmup -1 x.jpg                  | --warmup must be 0 or more, not -1",
        "features --images i --out o --batch 0    | --batch must be from 1 to 256, not 0",
        "features --images i --out o --limit 0    | --limit must be 1 or more, not 0",
        "features --images i --out o --threads 0  | --threads must be from 1 to 64, not 0",
        "features --images i --out o --max-megapixels 0 | --max-megapixels must be from 1 to 1000, not 0",
        "features --images i --out o --augment 17 | --augment must be from 0 to 16, not 17",
        "features --images i --out o --augment 2  | --augment needs --data: only train-split images get augmented views",
        "dataset --data c.txt --vocab-min-count 0 | --vocab-min-count must be 1 or more, not 0",
        "dataset --data c.txt --limit -5          | --limit must be 0 or more, not -5",
        "dataset --data c.txt --min-words 5 --max-words 2 | --max-words (2) is less than --min-words (5)",
        "train --data c.txt --features f --run r --epochs 0 | --epochs must be 1 or more, not 0",
    })
    void anOptionOutOfItsRangeIsAUsageErrorNamingOptionAndRange(String commandLine, String message) {
        String[] args = commandLine.trim().split("\\s+");
        CommandLineRunner result = CommandLineRunner.run(args);

        assertThat(result.exitCode()).as(result.err()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(result.err().lines().findFirst().orElseThrow()).startsWith("captioner " + args[0] + ": " + message);
        assertThat(result.err()).contains("Try 'captioner " + args[0] + " --help'").doesNotContain("Usage:");
    }

    @Test
    void everyNumericOptionHasARangeItsDescriptionStates() {
        List<String> missing = new ArrayList<>();
        for (CommandLine command : commands()) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (!NUMBERS.contains(option.type())) {
                    continue;
                }
                Within range = OptionRanges.range(option);
                String name = command.getCommandName() + " " + option.longestName();
                if (range == null) {
                    missing.add(name + ": no @Within");
                } else if (!String.join(" ", option.description()).contains(OptionRanges.describe(range))) {
                    missing.add(name + ": description does not say '" + OptionRanges.describe(range) + "'");
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyUsageHelpRendersWithoutPicocliWarnings() {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        StringWriter help = new StringWriter();
        // picocli's tracer writes its warnings to whatever System.err is when it warns.
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (CommandLine command : allCommands()) {
                command.usage(new PrintWriter(help));
            }
        } finally {
            System.setErr(originalErr);
        }
        assertThat(help.toString()).contains("(evaluate, folders) more throughput", "Exit codes:");
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    /** The subcommands whose options this module checks. */
    private static List<CommandLine> commands() {
        return allCommands().stream().filter(command -> command.getParent() != null)
                .filter(command -> !NOT_CHECKED_HERE.contains(command.getCommandName())).toList();
    }

    private static List<CommandLine> allCommands() {
        CommandLine main = Main.commandLine();
        List<CommandLine> all = new ArrayList<>(List.of(main));
        all.addAll(main.getSubcommands().values());
        return all;
    }
}
