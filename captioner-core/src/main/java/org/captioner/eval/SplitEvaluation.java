package org.captioner.eval;

import org.captioner.data.ImageCaptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a model on one split: captions the split's images, then scores the captions against the split's raw
 * reference captions, as written in the caption file, with the COCO toolkit's pipeline
 * ({@link CocoEvaluator#withTokenizer()}). Training's dev metric, the dev scores stored in a bundle and
 * {@code captioner evaluate} all go through here, so one model gets one score; {@link EvaluationReport#write} turns
 * the outcome into a report folder.
 */
public final class SplitEvaluation {
    /**
     * Captions images named by id: the model being trained on cached features, or a {@code Captioner} on image files.
     */
    @FunctionalInterface
    public interface ImageCaptioner {
        /**
         * @return image id -> its caption; an image left out could not be captioned (the captioner reports why) and
         *         is not scored
         */
        Map<String, String> caption(List<String> imageIds) throws IOException;
    }

    /**
     * One evaluation.
     *
     * @param images   the images that were captioned, in split order
     * @param captions image id -> caption, in split order
     * @param scores   corpus and per-image scores
     * @param seconds  time spent captioning
     */
    public record Outcome(List<ImageCaptions> images, Map<String, String> captions, EvaluationResult scores,
                          double seconds) {
        public Outcome {
            images = List.copyOf(images);
        }

        /** A corpus score, e.g. {@link CiderDScorer#KEY}. */
        public double score(String metric) {
            return scores.corpus().get(metric);
        }
    }

    private final List<ImageCaptions> images;

    /** @param images the split's images with their raw reference captions */
    public SplitEvaluation(List<ImageCaptions> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no image to evaluate");
        }
        this.images = List.copyOf(images);
    }

    public int size() {
        return images.size();
    }

    /**
     * Captions every image and scores the captions.
     *
     * @throws IllegalArgumentException when the captioner captioned none of the images
     */
    public Outcome run(ImageCaptioner captioner) throws IOException {
        long started = System.nanoTime();
        Map<String, String> captions = captioner.caption(images.stream().map(ImageCaptions::imageId).toList());
        double seconds = (System.nanoTime() - started) / 1e9;
        List<ImageCaptions> captioned = new ArrayList<>();
        Map<String, String> candidates = new LinkedHashMap<>();
        Map<String, List<String>> references = new LinkedHashMap<>();
        for (ImageCaptions image : images) {
            String caption = captions.get(image.imageId());
            if (caption != null) {
                captioned.add(image);
                candidates.put(image.imageId(), caption);
                references.put(image.imageId(), image.captions());
            }
        }
        if (captioned.isEmpty()) {
            throw new IllegalArgumentException("none of the " + images.size() + " images could be captioned");
        }
        return new Outcome(captioned, candidates, CocoEvaluator.withTokenizer().evaluate(references, candidates), seconds);
    }
}
