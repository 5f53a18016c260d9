package org.captioner;

import org.captioner.decode.DecodeOptions;
import org.captioner.eval.SplitEvaluation;
import org.captioner.image.ImageDecodeException;
import org.captioner.image.ImageDecoder;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/** Captions many image files batch by batch; an unreadable image is reported and skipped, never fatal. */
public final class BatchCaptioning {
    /** Receives the captions of each readable item, best first. */
    @FunctionalInterface
    public interface Sink<T> {
        void accept(T item, List<Caption> captions) throws IOException;
    }

    private BatchCaptioning() {
    }

    /**
     * @param skipped told why each unreadable item was skipped
     * @return how many items were skipped because their picture could not be decoded
     */
    public static <T> int run(Captioner captioner, List<T> items, Function<T, Path> file, DecodeOptions options,
                              int batch, Consumer<String> skipped, Sink<T> sink) throws IOException {
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
                    skipped.accept(e.getMessage());
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

    /**
     * The captioner of a split's image files, for {@link SplitEvaluation#run}: each image's best caption.
     *
     * @param fileOf  image id -> its file
     * @param skipped told why each unreadable image was left out
     * @param done    called after each captioned image (progress)
     */
    public static SplitEvaluation.ImageCaptioner ofFiles(Captioner captioner, Function<String, Path> fileOf,
                                                         DecodeOptions options, int batch, Consumer<String> skipped,
                                                         Runnable done) {
        return imageIds -> {
            Map<String, String> captions = new LinkedHashMap<>();
            run(captioner, imageIds, fileOf, options, batch, skipped, (id, best) -> {
                captions.put(id, best.get(0).text());
                done.run();
            });
            return captions;
        };
    }
}
