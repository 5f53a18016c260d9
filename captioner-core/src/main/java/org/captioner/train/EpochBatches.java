package org.captioner.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Which examples form each batch of an epoch. Examples are shuffled, sorted by length within windows of
 * {@value #WINDOW_BATCHES} batches, cut into batches, and the batches shuffled: a batch is padded to its longest
 * caption and every padded position costs a full recurrent step, so grouping similar lengths saves about a fifth
 * of the training time while batches stay random.
 */
final class EpochBatches {
    static final int WINDOW_BATCHES = 50;

    private EpochBatches() {
    }

    /**
     * @param lengths tokens per example (after truncation)
     * @return example indices per batch; a pure function of the arguments
     */
    static List<int[]> of(int[] lengths, int batchSize, long seed, int epoch) {
        Random random = new Random(seed * 31 + epoch);
        List<Integer> order = new ArrayList<>(lengths.length);
        for (int i = 0; i < lengths.length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        int window = batchSize * WINDOW_BATCHES;
        List<int[]> batches = new ArrayList<>((lengths.length + batchSize - 1) / batchSize);
        for (int start = 0; start < order.size(); start += window) {
            List<Integer> bucket = new ArrayList<>(order.subList(start, Math.min(order.size(), start + window)));
            bucket.sort(Comparator.comparingInt(i -> lengths[i]));
            for (int from = 0; from < bucket.size(); from += batchSize) {
                batches.add(bucket.subList(from, Math.min(bucket.size(), from + batchSize)).stream()
                        .mapToInt(Integer::intValue).toArray());
            }
        }
        Collections.shuffle(batches, random);
        return batches;
    }
}
