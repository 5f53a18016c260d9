package org.captioner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.captioner.text.SpecialTokens;

import java.util.List;

/**
 * Captions as teacher-forcing arrays, padded to the batch's longest caption (not to the global maximum,
 * which would waste steps): inputs are tokens 0..n-2, targets tokens 1..n-1.
 *
 * @param inputs  [B, T] int32, START first
 * @param targets [B, T] int32, END last, PAD after
 */
record TokenBatch(NDArray inputs, NDArray targets) {

    /** Captions longer than {@code maxLength} keep their first {@code maxLength - 1} tokens and END. */
    static TokenBatch of(NDManager manager, List<int[]> captions, int maxLength) {
        return Padded.of(captions, maxLength).create(manager);
    }

    /** The padded token ids on the host, row-major [rows, steps], before they become arrays. */
    record Padded(int[] inputs, int[] targets, int rows, int steps) {

        static Padded of(List<int[]> captions, int maxLength) {
            int steps = 1;
            for (int[] caption : captions) {
                steps = Math.max(steps, Math.min(caption.length, maxLength) - 1);
            }
            int[] inputs = new int[captions.size() * steps];
            int[] targets = new int[captions.size() * steps];
            for (int row = 0; row < captions.size(); row++) {
                int[] caption = captions.get(row);
                int length = Math.min(caption.length, maxLength);
                for (int t = 0; t < length - 1; t++) {
                    inputs[row * steps + t] = caption[t];
                    targets[row * steps + t] = t + 1 == length - 1 && caption.length > maxLength
                            ? SpecialTokens.END
                            : caption[t + 1];
                }
            }
            return new Padded(inputs, targets, captions.size(), steps);
        }

        /** The real (non-PAD) targets in rows [from, to). */
        int targetCount(int from, int to) {
            int count = 0;
            for (int i = from * steps; i < to * steps; i++) {
                if (targets[i] != SpecialTokens.PAD) {
                    count++;
                }
            }
            return count;
        }

        TokenBatch create(NDManager manager) {
            Shape shape = new Shape(rows, steps);
            return new TokenBatch(manager.create(inputs, shape), manager.create(targets, shape));
        }
    }
}
