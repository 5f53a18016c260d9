package org.captioner.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.captioner.model.CaptionModel;

/** Decoding steps run by the training model itself in DJL: any family, one native call per layer and step. */
final class TorchDecoderStep implements DecoderStep {
    private final CaptionModel model;

    TorchDecoderStep(CaptionModel model) {
        this.model = model;
    }

    @Override
    public Stepper start(float[] regionFeatures, int images) {
        NDManager manager = model.manager().newSubManager();
        try {
            int channels = model.config().featureChannels();
            NDArray features = manager.create(regionFeatures, new Shape(images, regionFeatures.length / images / channels, channels));
            return new TorchStepper(model, features, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }
}
