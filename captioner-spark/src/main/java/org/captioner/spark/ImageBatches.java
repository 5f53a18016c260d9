package org.captioner.spark;

import org.apache.spark.sql.Row;
import org.captioner.image.ImageDecodeException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Turns a partition of image paths into output rows, one per path, a batch at a time (the partition is
 * never held in memory). A file that cannot be read or decoded, or a picture the model fails on, becomes an
 * error row: a bad image never fails the task.
 *
 * @param <R> what the model gives for one picture
 */
final class ImageBatches<R> implements Serializable {
    /** The model's work on a batch of decoded pictures: one result per picture, in order. */
    @FunctionalInterface
    interface Model<R> extends Serializable {
        List<R> apply(List<BufferedImage> pictures) throws IOException;
    }

    /** Makes the output row of a path, from its result or from why it failed. */
    interface Rows<R> extends Serializable {
        Row result(String path, R result);

        Row error(String path, String reason);
    }

    private final ImageFileReader reader;
    private final int batchSize;
    private final Rows<R> rows;

    ImageBatches(ImageFileReader reader, int batchSize, Rows<R> rows) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.reader = reader;
        this.batchSize = batchSize;
        this.rows = rows;
    }

    /** The rows of {@code paths}, in their order; {@code model} is asked for once, on the first batch. */
    Iterator<Row> map(Iterator<String> paths, java.util.function.Supplier<Model<R>> model) {
        return new Iterator<>() {
            private final Deque<Row> ready = new ArrayDeque<>();
            private Model<R> loaded;

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && paths.hasNext()) {
                    if (loaded == null) {
                        loaded = model.get();
                    }
                    ready.addAll(batch(paths, loaded));
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    private List<Row> batch(Iterator<String> paths, Model<R> model) {
        List<Row> out = new ArrayList<>(batchSize);
        List<String> decodedPaths = new ArrayList<>(batchSize);
        List<BufferedImage> pictures = new ArrayList<>(batchSize);
        List<Integer> slots = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize && paths.hasNext(); i++) {
            String path = paths.next();
            try {
                pictures.add(reader.decode(path));
                decodedPaths.add(path);
                slots.add(out.size());
                out.add(null);
            } catch (ImageDecodeException e) {
                out.add(rows.error(path, e.reason()));
            } catch (RuntimeException e) {
                out.add(rows.error(path, "cannot be decoded: " + e));
            }
        }
        List<Row> results = run(model, decodedPaths, pictures);
        for (int i = 0; i < slots.size(); i++) {
            out.set(slots.get(i), results.get(i));
        }
        return out;
    }

    /** The whole batch at once; when that fails, picture by picture so only the culprit becomes an error row. */
    private List<Row> run(Model<R> model, List<String> paths, List<BufferedImage> pictures) {
        if (pictures.isEmpty()) {
            return List.of();
        }
        try {
            List<R> results = model.apply(pictures);
            List<Row> out = new ArrayList<>(results.size());
            for (int i = 0; i < results.size(); i++) {
                out.add(rows.result(paths.get(i), results.get(i)));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            if (pictures.size() == 1) {
                return List.of(rows.error(paths.get(0), "model failed on this image: " + e));
            }
            List<Row> out = new ArrayList<>(pictures.size());
            for (int i = 0; i < pictures.size(); i++) {
                out.addAll(run(model, paths.subList(i, i + 1), pictures.subList(i, i + 1)));
            }
            return out;
        }
    }
}
