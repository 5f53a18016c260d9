package org.captioner.decode;

import org.captioner.model.CaptionModel;
import org.captioner.model.ModelConfig;

/**
 * How a model's decoding steps run. Show-attend-tell with a GRU has a dedicated implementation in plain Java
 * ({@link GruAttentionStep}: 4-5 times faster than libtorch's eager calls on a few rows, bench/README.md); every
 * other family steps through its training model in DJL ({@link TorchDecoderStep}). Either way the weights are
 * the training model's, read once when this is made.
 */
public interface DecoderStep {

    /**
     * The state before the first token of a batch of images.
     *
     * @param regionFeatures [images, regions, channels] row-major
     */
    Stepper start(float[] regionFeatures, int images);

    /** The fastest implementation for {@code model}; reads its weights now, so later training does not show. */
    static DecoderStep of(CaptionModel model) {
        ModelConfig config = model.config();
        if (ModelConfig.SHOW_ATTEND_TELL.equals(config.family()) && ModelConfig.GRU.equals(config.rnn())) {
            return GruAttentionStep.of(model);
        }
        return new TorchDecoderStep(model);
    }
}
