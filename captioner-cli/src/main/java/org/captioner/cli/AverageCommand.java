package org.captioner.cli;

import org.captioner.bundle.BundleAverage;
import org.captioner.bundle.ModelBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code captioner average}: one bundle whose weights are the weighted mean of bundles fine-tuned from one start. */
@Command(name = "average",
        mixinStandardHelpOptions = true,
        description = {"Averages the weights of model bundles fine-tuned from one start (a \"model soup\"): often better",
                "than each, at no cost when captioning. Vocabulary, backbone and decoding come from the first bundle",
                "and must match in all; score the result with `captioner evaluate`."})
public final class AverageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "BUNDLE", description = "Model bundle directories, two or more.")
    List<Path> bundles;

    @Option(names = "--weights", split = ",", paramLabel = "W",
            description = "Each bundle's share, in order, above 0 (divided by their sum; default: equal shares).")
    List<Double> weights;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the averaged bundle.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (weights != null && weights.size() != bundles.size()) {
            throw new ParameterException(spec.commandLine(),
                    "--weights gives " + weights.size() + " weights for " + bundles.size() + " bundles");
        }
        List<BundleAverage.Part> parts = new ArrayList<>();
        for (int i = 0; i < bundles.size(); i++) {
            try {
                parts.add(new BundleAverage.Part(bundles.get(i), weights == null ? 1 : weights.get(i)));
            } catch (IllegalArgumentException outOfRange) {
                throw new ParameterException(spec.commandLine(), "--weights: " + outOfRange.getMessage());
            }
        }
        ModelBundle average = BundleAverage.write(out, parts, Main.commandProvenance(spec));
        PrintWriter printer = spec.commandLine().getOut();
        printer.println("wrote " + average.directory() + " (weights sha256 " + average.weightsSha256() + ")");
        printer.flush();
        return ExitCodes.OK;
    }
}
