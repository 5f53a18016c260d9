package org.captioner.decode;

import org.captioner.model.CaptionModel;
import org.captioner.model.ModelConfig;

/**
 * How a model's decoding steps run. Show-attend-tell with a GRU has a dedicated implementation in plain Java
 * ({@link GruAttentionStep}, several times faster than libtorch's eager calls on a few rows, bench/README.md);
 * every other family steps through its training model in DJL ({@link TorchDecoderStep}). Either way the weights
 * are the training model's. Implementations are safe for concurrent callers; each {@link Stepper} is not.
 */
public interface DecoderStep {

    /**
     * The state before the first token of a batch of images.
     *
     * @param regionFeatures [images, regions, channels] row-major
     */
    Stepper start(float[] regionFeatures, int images);

    /**
     * The fastest implementation for {@code model}. The plain-Java one copies the weights now: for a model that is
     * still training, use {@link #torch}.
     */
    static DecoderStep of(CaptionModel model) {
        ModelConfig config = model.config();
        if (ModelConfig.SHOW_ATTEND_TELL.equals(config.family()) && ModelConfig.GRU.equals(config.rnn())) {
            return GruAttentionStep.of(model);
        }
        return torch(model);
    }

    /** Steps through the training model itself in DJL (any family; sees its current weights). */
    static DecoderStep torch(CaptionModel model) {
        return new TorchDecoderStep(model);
    }
}
