package org.captioner.cli;

import org.captioner.Caption;
import org.captioner.Captioner;
import org.captioner.decode.DecodeOptions;
import org.captioner.image.ImageDecodeException;
import org.captioner.image.ImageDecoder;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Captions many images batch by batch; an unreadable image is reported and skipped, never fatal. */
final class BatchCaptioning {
    /** Receives the captions of each readable item, best first. */
    @FunctionalInterface
    interface Sink<T> {
        void accept(T item, List<Caption> captions) throws IOException;
    }

    private BatchCaptioning() {
    }

    /** @return how many items were skipped because their picture could not be decoded */
    static <T> int run(Captioner captioner, List<T> items, Function<T, Path> file, DecodeOptions options, int batch,
                       PrintWriter err, String command, Sink<T> sink) throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        int failed = 0;
        for (int from = 0; from < items.size(); from += batch) {
            List<T> readable = new ArrayList<>();
            List<BufferedImage> pictures = new ArrayList<>();
            for (T item : items.subList(from, Math.min(items.size(), from + batch))) {
                try {
                    pictures.add(decoder.decode(file.apply(item)));
                    readable.add(item);
                } catch (ImageDecodeException e) {
                    err.println(command + ": skipped " + e.getMessage());
                    failed++;
                }
            }
            List<List<Caption>> captions = captioner.caption(pictures, options);
            for (int i = 0; i < readable.size(); i++) {
                sink.accept(readable.get(i), captions.get(i));
            }
        }
        return failed;
    }
}
