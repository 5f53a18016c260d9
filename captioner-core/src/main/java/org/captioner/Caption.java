package org.captioner;

import java.util.List;

/**
 * One generated caption.
 *
 * @param text           the words joined by spaces
 * @param words          the generated words
 * @param logProbability the model's log-probability of the caption (higher is more confident)
 * @param attention      per word, the attention weights over the backbone's region grid (raster order,
 *                       {@code gridHeight x gridWidth}); empty for models without attention
 * @param gridHeight     rows of the region grid
 * @param gridWidth      columns of the region grid
 */
public record Caption(String text, List<String> words, double logProbability, List<float[]> attention,
                      int gridHeight, int gridWidth) {
    public Caption {
        words = List.copyOf(words);
        attention = List.copyOf(attention);
    }
}
