package org.captioner.train;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class EpochBatchesTest {
    private static final int BATCH = 64;

    @Test
    void everyExampleOnceInBatchesFixedBySeedAndEpoch() {
        int[] lengths = lengths(10_000);
        List<int[]> batches = EpochBatches.of(lengths, BATCH, 42, 3);
        assertThat(batches).hasSize((10_000 + BATCH - 1) / BATCH);
        int[] seen = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertThat(seen).hasSize(10_000);
        for (int i = 0; i < seen.length; i++) {
            assertThat(seen[i]).isEqualTo(i);
        }
        assertThat(EpochBatches.of(lengths, BATCH, 42, 3)).usingRecursiveComparison().isEqualTo(batches);
        assertThat(EpochBatches.of(lengths, BATCH, 42, 4).get(0)).isNotEqualTo(batches.get(0));
    }

    @Test
    void batchesOfSimilarLengthsNeedFarLessPaddingThanRandomOnes() {
        int[] lengths = lengths(30_000);
        long padded = 0;
        long real = 0;
        for (int[] batch : EpochBatches.of(lengths, BATCH, 1, 0)) {
            int longest = Arrays.stream(batch).map(i -> lengths[i]).max().orElse(0);
            for (int i : batch) {
                padded += longest - lengths[i];
                real += lengths[i];
            }
        }
        // Random batches of these lengths are padded by ~65 % of their real tokens.
        assertThat((double) padded / real).isLessThan(0.05);
    }

    /** Caption lengths like Flickr8k's: about 13 tokens, from 5 to 22. */
    private static int[] lengths(int count) {
        Random random = new Random(7);
        return random.ints(count).map(i -> (int) Math.max(5, Math.min(22, Math.round(13 + 4 * random.nextGaussian()))))
                .toArray();
    }
}
