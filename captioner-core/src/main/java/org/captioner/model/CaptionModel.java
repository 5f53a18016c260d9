package org.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A caption model family: what training and decoding need, nothing more.
 *
 * <p>Arrays returned by the methods are created in the manager of the input arrays (never the model's own), so
 * callers free them by closing their manager or an {@link ai.djl.ndarray.NDScope}.
 */
public interface CaptionModel extends AutoCloseable {

    ModelConfig config();

    /** Trainable tensors, in a fixed order. */
    ParameterSet parameters();

    /** The manager that owns the parameters; decoders and trainers make sub-managers of it. */
    NDManager manager();

    /** The state before the first token, from region features [B, R, C]. */
    DecoderState init(NDArray regionFeatures);

    /** Consumes {@code previousTokens} (one per row of the state; START first) and predicts the next token. */
    StepResult step(DecoderState state, int[] previousTokens);

    /**
     * Runs the whole input sequences at once (teacher forcing).
     *
     * @param regionFeatures [B, R, C]
     * @param inputTokens    [B, T] int32 token ids, START first, PAD-padded
     * @param dropout        training's masks, or {@link Dropout#OFF}
     */
    TeacherForcedOutput teacherForced(NDArray regionFeatures, NDArray inputTokens, Dropout dropout);

    /** Writes {@code model.json} and {@code weights.bin} into {@code directory}, each atomically. */
    void save(Path directory, WeightPrecision precision) throws IOException;

    @Override
    void close();
}
