package org.captioner.train;

import org.captioner.features.FeatureStore;
import org.captioner.features.FeatureView;
import org.captioner.text.Vocabulary;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Which stored view of each training image an epoch trains on: the plain picture or one of its augmented views
 * ({@code features --augment}), drawn uniformly per image and epoch, the same for all the image's captions. A mirrored
 * view's captions read "right" for "left" and the other way round. The draw is a pure function of (seed, epoch,
 * image), so a resumed run sees what an uninterrupted one would.
 */
final class TrainingViews {
    /** Words whose meaning a horizontal mirror swaps. */
    private static final Map<String, String> MIRRORED_WORDS = Map.of("left", "right", "right", "left");
    static final TrainingViews NONE = new TrainingViews(Map.of(), new int[0], 0);

    /** A stored record of an image: its own id for the plain picture, else the view's. */
    private record View(String id, boolean flipped) {
    }

    private final Map<String, List<View>> viewsByImage;
    private final int[] mirrored;
    private final long seed;

    private TrainingViews(Map<String, List<View>> viewsByImage, int[] mirrored, long seed) {
        this.viewsByImage = viewsByImage;
        this.mirrored = mirrored;
        this.seed = seed;
    }

    /** The views {@code store} holds of {@code trainImages}; {@link #NONE} when it holds none. */
    static TrainingViews of(FeatureStore store, Collection<String> trainImages, Vocabulary vocabulary, long seed) {
        Map<String, List<View>> viewsByImage = new HashMap<>();
        for (String image : trainImages) {
            List<FeatureView> stored = store.viewsOf(image);
            if (!stored.isEmpty()) {
                List<View> views = new ArrayList<>(List.of(new View(image, false)));
                stored.forEach(view -> views.add(new View(view.viewId(), view.flipped())));
                viewsByImage.put(image, List.copyOf(views));
            }
        }
        if (viewsByImage.isEmpty()) {
            return NONE;
        }
        int[] mirrored = new int[vocabulary.size()];
        for (int id = 0; id < mirrored.length; id++) {
            String counterpart = MIRRORED_WORDS.get(vocabulary.word(id));
            mirrored[id] = counterpart == null ? id : vocabulary.id(counterpart);
        }
        return new TrainingViews(Map.copyOf(viewsByImage), mirrored, seed);
    }

    /** Augmented views in all (not counting the plain pictures). */
    int count() {
        return viewsByImage.values().stream().mapToInt(views -> views.size() - 1).sum();
    }

    /** The examples as epoch {@code epoch} shows them, in the same order and of the same lengths. */
    List<TrainingExample> forEpoch(List<TrainingExample> examples, int epoch) {
        if (viewsByImage.isEmpty()) {
            return examples;
        }
        Map<String, View> drawn = new HashMap<>();
        List<TrainingExample> seen = new ArrayList<>(examples.size());
        for (TrainingExample example : examples) {
            List<View> views = viewsByImage.get(example.imageId());
            if (views == null) {
                seen.add(example);
                continue;
            }
            View view = drawn.computeIfAbsent(example.imageId(), image -> views.get(draw(image, epoch, views.size())));
            seen.add(new TrainingExample(view.id(), view.flipped() ? mirror(example.tokens()) : example.tokens()));
        }
        return seen;
    }

    private int draw(String image, int epoch, int choices) {
        long key = seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L + image.hashCode();
        return new SplittableRandom(key).nextInt(choices);
    }

    private int[] mirror(int[] tokens) {
        int[] out = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = mirrored[tokens[i]];
        }
        return out;
    }
}
