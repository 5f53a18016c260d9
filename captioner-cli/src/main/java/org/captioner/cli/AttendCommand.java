package org.captioner.cli;

import org.captioner.Caption;
import org.captioner.Captioner;
import org.captioner.image.AttentionMapRenderer;
import org.captioner.image.ImageDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code captioner attend}: draws where the model looked for each word of its caption. */
@Command(name = "attend", mixinStandardHelpOptions = true,
        description = "Captions one image and draws it once per generated word with that word's attention laid over it.")
final class AttendCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image.")
    Path image;

    @Option(names = "--out", required = true, paramLabel = "PNG", description = "Where to write the attention maps.")
    Path out;

    @Mixin
    ModelOptions model;

    @Mixin
    DecodingFlags decoding;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BufferedImage picture = new ImageDecoder().decode(image);
        try (Captioner captioner = model.load()) {
            Caption caption = captioner.caption(picture, decoding.over(captioner.defaultOptions())).get(0);
            if (caption.attention().isEmpty()) {
                // Show-and-tell has no attention at all; an attending model can still end before any word.
                throw new IllegalArgumentException(caption.words().isEmpty()
                        ? "the caption has no words, so there is no attention to draw"
                        : "the model of this bundle (" + captioner.manifest().family() + ") has no attention to draw");
            }
            int words = Math.min(caption.words().size(), caption.attention().size());
            new AttentionMapRenderer().renderToPng(picture, caption.words().subList(0, words),
                    caption.attention().subList(0, words), caption.gridHeight(), caption.gridWidth(), out);
            spec.commandLine().getOut().println(image + "\t" + caption.text());
            spec.commandLine().getErr().println("attend: wrote " + out);
        }
        return 0;
    }
}
