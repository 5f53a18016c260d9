package org.captioner;

import org.captioner.decode.DecodingOptions;
import org.captioner.eval.SplitEvaluation;
import org.captioner.image.ImageDecodeException;
import org.captioner.image.ImageDecoder;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Captions many image files batch by batch; an unreadable image is reported and skipped, never fatal. A
 * {@link ReadAhead} thread reads the next batch (JPEG decoding and the backbone) while this one decodes captions of the
 * current one, so both cores work (bench/README.md).
 */
public final class BatchCaptioning {
    /** Receives the captions of each readable item, best first. */
    @FunctionalInterface
    public interface Sink<T> {
        void accept(T item, List<Caption> captions) throws IOException;
    }

    /** A batch's readable items, their backbone features, and the reasons the others were skipped. */
    private record ReadBatch<T>(List<T> readable, PictureFeatures features, List<String> skipped) {
    }

    private BatchCaptioning() {
    }

    /**
     * @param skipped told why each unreadable item was skipped
     * @return how many items were skipped because their picture could not be decoded
     */
    public static <T> int run(Captioner captioner, List<T> items, Function<T, Path> file, DecodingOptions options,
                              int batch, Consumer<String> skipped, Sink<T> sink) throws IOException {
        Iterator<List<T>> slices = slices(items, batch);
        try (ReadAhead<ReadBatch<T>, IOException> batches = new ReadAhead<>("caption-reader",
                () -> slices.hasNext() ? read(captioner, slices.next(), file) : null)) {
            int failed = 0;
            for (ReadBatch<T> current; (current = batches.take()) != null; ) {
                current.skipped().forEach(skipped);
                failed += current.skipped().size();
                List<List<Caption>> captions = captioner.caption(current.features(), options);
                for (int i = 0; i < current.readable().size(); i++) {
                    sink.accept(current.readable().get(i), captions.get(i));
                }
            }
            return failed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while captioning");
        }
    }

    private static <T> Iterator<List<T>> slices(List<T> items, int batch) {
        return IntStream.iterate(0, from -> from < items.size(), from -> from + batch)
                .mapToObj(from -> items.subList(from, Math.min(items.size(), from + batch))).iterator();
    }

    private static <T> ReadBatch<T> read(Captioner captioner, List<T> items, Function<T, Path> file) throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        List<T> readable = new ArrayList<>();
        List<BufferedImage> pictures = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (T item : items) {
            try {
                pictures.add(decoder.decode(file.apply(item)));
                readable.add(item);
            } catch (ImageDecodeException e) {
                skipped.add(e.getMessage());
            }
        }
        return new ReadBatch<>(readable, captioner.features(pictures), skipped);
    }

    /**
     * The captioner of a split's image files, for {@link SplitEvaluation#run}: each image's best caption.
     *
     * @param fileOf  image id -> its file
     * @param skipped told why each unreadable image was left out
     * @param done    called after each captioned image (progress)
     */
    public static SplitEvaluation.ImageCaptioner ofFiles(Captioner captioner, Function<String, Path> fileOf,
                                                         DecodingOptions options, int batch, Consumer<String> skipped,
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
