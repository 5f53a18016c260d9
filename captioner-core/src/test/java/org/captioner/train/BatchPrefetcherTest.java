package org.captioner.train;

import ai.djl.ndarray.types.Shape;
import org.captioner.features.RandomFeatures;
import org.captioner.features.RegionBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchPrefetcherTest {
    private static final RandomFeatures FEATURES = new RandomFeatures(4, 3, 8, 5);
    private static final int MAX_LENGTH = 6;

    @Test
    void givesEveryBatchWhatReadingItOnTheSpotGivesWhetherReadAheadOrNot() {
        List<List<TrainingExample>> batches = List.of(batch(0, 1, 2), batch(3, 4, 5), batch(6, 7), batch(1, 3), batch(2));
        try (BatchPrefetcher prefetcher = new BatchPrefetcher(FEATURES, MAX_LENGTH)) {
            List<ByteBuffer> memories = new ArrayList<>();
            for (int i = 0; i < batches.size(); i++) {
                // batch 3 was not announced (as after a resume): it is read on the spot, the announced one dropped
                List<TrainingExample> next = i == 2 ? batches.get(4) : i + 1 < batches.size() ? batches.get(i + 1) : null;
                BatchPrefetcher.Inputs inputs = prefetcher.take(batches.get(i), next);

                assertSameAsReadOnTheSpot(inputs, batches.get(i));
                memories.add(inputs.regions().memory());
            }
            for (int i : new int[] {1, 2, 4}) { // the batches read ahead, while the one before was in use
                assertThat(memories.get(i)).as("batch %d's memory is not batch %d's", i, i - 1)
                        .isNotSameAs(memories.get(i - 1));
            }
        }
    }

    @Test
    void aFailedReadFailsTheStepThatTakesItsBatch() {
        List<TrainingExample> missing = List.of(new TrainingExample("nowhere.jpg", new int[] {1, 5, 2}));
        try (BatchPrefetcher prefetcher = new BatchPrefetcher(new FailingFeatures(), MAX_LENGTH)) {
            prefetcher.take(batch(0), missing);

            assertThatThrownBy(() -> prefetcher.take(missing, null)).hasMessage("no features for nowhere.jpg");
            assertSameAsReadOnTheSpot(prefetcher.take(batch(1), null), batch(1));
        }
    }

    private static void assertSameAsReadOnTheSpot(BatchPrefetcher.Inputs inputs, List<TrainingExample> batch) {
        ByteBuffer expected = RegionBatch.read(FEATURES, batch.stream().map(TrainingExample::imageId).toList(), null)
                .memory();
        assertThat(inputs.regions().memory()).isEqualTo(expected);
        assertThat(inputs.regions().shape()).isEqualTo(new Shape(batch.size(), 4, 3));
        TokenBatch.Padded tokens = TokenBatch.Padded.of(batch.stream().map(TrainingExample::tokens).toList(), MAX_LENGTH);
        assertThat(inputs.tokens().inputs()).containsExactly(tokens.inputs());
        assertThat(inputs.tokens().targets()).containsExactly(tokens.targets());
    }

    /** Captions of different lengths, some longer than {@link #MAX_LENGTH}. */
    private static List<TrainingExample> batch(int... images) {
        return IntStream.of(images).mapToObj(image -> new TrainingExample(RandomFeatures.id(image),
                IntStream.range(0, 3 + image).map(t -> t == 0 ? 1 : 4 + t).toArray())).toList();
    }

    private static final class FailingFeatures extends RandomFeatures {
        FailingFeatures() {
            super(4, 3, 8, 5);
        }

        @Override
        public void regionFeatures(String imageId, float[] into) {
            if (!contains(imageId)) {
                throw new IllegalArgumentException("no features for " + imageId);
            }
            super.regionFeatures(imageId, into);
        }
    }
}
