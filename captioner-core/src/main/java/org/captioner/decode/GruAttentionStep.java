package org.captioner.decode;

import ai.djl.ndarray.NDArray;
import org.captioner.model.CaptionModel;
import org.captioner.model.ModelConfig;

import java.util.Arrays;
import java.util.Map;

/**
 * Show, attend and tell with a GRU ({@link org.captioner.model.ShowAttendTell}), decoded in plain Java: the same
 * arithmetic on the same weights, read from the training model by parameter name, with all rows of a step in one
 * pass over each weight matrix and the attention keys computed once per image. A step of beam 3 takes a quarter
 * of the time DJL's eager calls take, and a batch of 16 images uses a third less CPU (bench/README.md).
 *
 * <p>The GRU's gate matrices are split by gate (reset, update, candidate), so every loop runs over whole arrays.
 */
final class GruAttentionStep implements DecoderStep {
    final int channels;
    final int hiddenSize;
    final int vocabularySize;
    final DenseLayer encoder;
    final DenseLayer key;
    final DenseLayer query;
    /** [attention]: the score layer {@code v} of {@code v·tanh(keys + query)}. */
    final float[] score;
    /** [vocabulary][embedding] */
    final float[][] embeddings;
    final DenseLayer initialHidden;
    /** Per gate (reset, update, candidate): the embedding and context parts of the input projection, the hidden one. */
    final DenseLayer[] embeddingGates = new DenseLayer[3];
    final DenseLayer[] contextGates = new DenseLayer[3];
    final DenseLayer[] hiddenGates = new DenseLayer[3];
    final DenseLayer output;
    final DenseLayer vocabulary;

    private GruAttentionStep(CaptionModel model) {
        ModelConfig config = model.config();
        Map<String, NDArray> tensors = model.parameters().tensors();
        channels = config.featureChannels();
        hiddenSize = config.hiddenDim();
        vocabularySize = config.vocabSize();
        encoder = DenseLayer.of(tensors, "encoder.weight", "encoder.bias");
        key = DenseLayer.of(tensors, "attention.key.weight", "attention.key.bias");
        query = DenseLayer.of(tensors, "attention.query.weight", "attention.query.bias");
        score = ModelTensors.require(tensors, "attention.score.weight", 2).toFloatArray();
        embeddings = ModelTensors.rows(tensors, "embedding.weight");
        initialHidden = DenseLayer.of(tensors, "init.hidden.weight", "init.hidden.bias");
        for (int gate = 0; gate < 3; gate++) {
            int from = gate * hiddenSize;
            int to = from + hiddenSize;
            embeddingGates[gate] = DenseLayer.of(tensors, "rnn.embedding.weight", "rnn.input.bias", from, to);
            contextGates[gate] = DenseLayer.of(tensors, "rnn.context.weight", null, from, to);
            hiddenGates[gate] = DenseLayer.of(tensors, "rnn.hidden.weight", "rnn.hidden.bias", from, to);
        }
        output = DenseLayer.of(tensors, "output.weight", "output.bias");
        vocabulary = DenseLayer.of(tensors, "vocabulary.weight", "vocabulary.bias");
    }

    /** Copies the weights of a show-attend-tell GRU model. */
    static GruAttentionStep of(CaptionModel model) {
        ModelConfig config = model.config();
        if (!ModelConfig.SHOW_ATTEND_TELL.equals(config.family()) || !ModelConfig.GRU.equals(config.rnn())) {
            throw new IllegalArgumentException("not a show-attend-tell GRU model: " + config.family() + " " + config.rnn());
        }
        return new GruAttentionStep(model);
    }

    @Override
    public Stepper start(float[] regionFeatures, int images) {
        if (images < 1 || regionFeatures.length == 0 || regionFeatures.length % (images * channels) != 0) {
            throw new IllegalArgumentException(regionFeatures.length + " region feature values are not " + images
                    + " images of regions with " + channels + " channels");
        }
        return new GruAttentionStepper(this, regionFeatures, images, regionFeatures.length / (images * channels));
    }

    /** What the attention reads of one image at every step. */
    record ImageMemory(float[][] encoded, float[][] keysByUnit) {
    }

    /**
     * Encodes image {@code image} of {@code regionFeatures} [images, regions, channels]: {@code relu(regions·W + b)} [R][E] and the attention keys, stored unit-major
     * [A][R] so the scores of all regions accumulate as whole-array operations; also writes the initial hidden
     * state {@code tanh(mean(encoded)·W + b)} into {@code hidden}.
     */
    ImageMemory remember(float[] regionFeatures, int image, int regions, float[] hidden) {
        float[][] features = new float[regions][];
        for (int r = 0; r < regions; r++) {
            int from = (image * regions + r) * channels;
            features[r] = Arrays.copyOfRange(regionFeatures, from, from + channels);
        }
        float[][] encoded = new float[regions][encoder.outputs()];
        encoder.apply(features, encoded, regions);
        float[] mean = new float[encoder.outputs()];
        for (float[] region : encoded) {
            for (int e = 0; e < region.length; e++) {
                region[e] = Math.max(region[e], 0f);
                mean[e] += region[e];
            }
        }
        for (int e = 0; e < mean.length; e++) {
            mean[e] /= regions;
        }
        initialHidden.apply(new float[][] {mean}, new float[][] {hidden}, 1);
        for (int h = 0; h < hidden.length; h++) {
            hidden[h] = Activations.tanh(hidden[h]);
        }
        float[][] keys = new float[regions][key.outputs()];
        key.apply(encoded, keys, regions);
        float[][] keysByUnit = new float[key.outputs()][regions];
        for (int r = 0; r < regions; r++) {
            for (int a = 0; a < keys[r].length; a++) {
                keysByUnit[a][r] = keys[r][a];
            }
        }
        return new ImageMemory(encoded, keysByUnit);
    }
}
