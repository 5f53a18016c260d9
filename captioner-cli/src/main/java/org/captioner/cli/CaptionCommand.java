package org.captioner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.captioner.BatchCaptioning;
import org.captioner.Caption;
import org.captioner.Captioner;
import org.captioner.decode.DecodingOptions;
import org.captioner.image.ImageFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code captioner caption}: captions image files and folders of images. */
@Command(name = "caption", mixinStandardHelpOptions = true,
        description = {"Captions images (files, or every image in a folder) with a model bundle.",
                "Prints image<TAB>caption a line, or JSON lines with --json. Unreadable images are reported on stderr and skipped:",
                "the exit code is then " + ExitCodes.PARTIAL + ", or " + ExitCodes.FAILED + " when none was captioned."})
final class CaptionCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files or folders of images.")
    List<Path> inputs;

    @Mixin
    ModelOptions model;

    @Mixin
    DecodingFlags decoding;

    @Option(names = "--json", description = "One JSON object a line: image, caption, score (and captions with -n).")
    boolean json;

    @Within(min = 1, max = OptionRanges.MAX_BATCH)
    @Option(names = "--batch", defaultValue = "8",
            description = "Images captioned together, from 1 to " + OptionRanges.MAX_BATCH + ". Default: ${DEFAULT-VALUE}.")
    int batch;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> images = expand(inputs);
        int[] captioned = {0};
        int failed;
        try (Captioner captioner = model.load()) {
            DecodingOptions options = decoding.over(captioner.defaultOptions());
            failed = BatchCaptioning.run(captioner, images, image -> image, options, batch, skipped -> err.println("caption: skipped " + skipped), (image, captions) -> {
                print(out, image, captions, options.count() > 1);
                out.flush();
                captioned[0]++;
            });
        }
        if (failed > 0) {
            err.println("caption: " + captioned[0] + " captioned, " + failed + " failed");
        }
        return captioned[0] == 0 ? ExitCodes.FAILED : failed > 0 ? ExitCodes.PARTIAL : ExitCodes.OK;
    }

    private void print(PrintWriter out, Path image, List<Caption> captions, boolean all) throws IOException {
        if (!json) {
            for (Caption caption : all ? captions : captions.subList(0, 1)) {
                out.println(image + "\t" + caption.text());
            }
            return;
        }
        ObjectNode line = JSON.createObjectNode().put("image", image.toString()).put("caption", captions.get(0).text())
                .put("score", captions.get(0).logProbability());
        if (all) {
            var list = line.putArray("captions");
            captions.forEach(caption -> list.addObject().put("text", caption.text()).put("score", caption.logProbability()));
        }
        out.println(JSON.writeValueAsString(line));
    }

    /** Files as given; folders become their image files, sorted. Missing paths are an error up front. */
    static List<Path> expand(List<Path> inputs) throws IOException {
        List<Path> images = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                images.addAll(ImageFiles.list(input));
            } else if (Files.exists(input)) {
                images.add(input);
            } else {
                throw new IOException("no such image or folder: " + input);
            }
        }
        return images;
    }
}
