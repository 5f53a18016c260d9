package org.captioner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import org.captioner.engine.Constants;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.captioner.model.Layers.layerNorm;

/**
 * Transformer encoder-decoder, as in the Keras "Image captioning" example (post-norm blocks):
 *
 * <ul>
 *   <li>encoder: {@code x = relu(regions·W + b)} (C → D), then one block: multi-head self-attention, residual,
 *       layer norm, feed-forward (D → F → D, ReLU), residual, layer norm; dropout on both sub-layer outputs;</li>
 *   <li>decoder: token embedding · √D + learned position embedding, dropout, then {@code layers} blocks of causal
 *       multi-head self-attention, cross-attention to the encoded regions and feed-forward, each with residual,
 *       layer norm and dropout; dropout, then Linear(D → V).</li>
 * </ul>
 *
 * <p>Incremental decoding keeps, per layer, the cross-attention keys/values of the regions (computed once in
 * {@link #init}) and the self-attention keys/values of the prefix, all batch-major [B, heads, length, D/heads] in
 * the {@link DecoderState}, so a step costs one position and beam reordering needs no knowledge of the layout.
 * The attention maps are the last layer's cross-attention weights averaged over the heads.
 */
public final class Transformer extends ModelBase {
    private static final float MASKED = -1e9f;

    private final int width;
    private final int heads;
    private final int headSize;
    private final int layers;
    private final float embeddingScale;

    private final Linear input;
    private final AttentionWeights encoderAttention;
    private final Norm encoderNorm1;
    private final FeedForward encoderFeedForward;
    private final Norm encoderNorm2;
    private final NDArray embeddings;
    private final NDArray positions;
    private final List<DecoderLayer> decoder = new ArrayList<>();
    private final Linear vocabulary;

    private record AttentionWeights(Linear query, Linear key, Linear value, Linear output) {
        static AttentionWeights create(ParameterSet p, String prefix, int d) {
            return new AttentionWeights(Linear.create(p, prefix + ".query", d, d), Linear.create(p, prefix + ".key", d, d),
                    Linear.create(p, prefix + ".value", d, d), Linear.create(p, prefix + ".output", d, d));
        }
    }

    private record Norm(NDArray gain, NDArray bias) {
        static Norm create(ParameterSet p, String prefix, int d) {
            return new Norm(p.ones(prefix + ".gain", d), p.zeros(prefix + ".bias", d));
        }

        NDArray apply(NDArray x) {
            return layerNorm(x, gain, bias);
        }
    }

    private record FeedForward(Linear inner, Linear outer) {
        static FeedForward create(ParameterSet p, String prefix, int d, int f) {
            return new FeedForward(Linear.create(p, prefix + ".inner", d, f), Linear.create(p, prefix + ".outer", f, d));
        }

        NDArray apply(NDArray x) {
            return outer.apply(Activation.relu(inner.apply(x)));
        }
    }

    private record DecoderLayer(AttentionWeights self, Norm norm1, AttentionWeights cross, Norm norm2,
                                FeedForward feedForward, Norm norm3) {
    }

    /** A freshly initialized model whose parameters live in a new sub-manager of {@code parent}. */
    public Transformer(ModelConfig config, NDManager parent, long seed) {
        super(ModelConfig.TRANSFORMER, config, parent, seed);
        this.width = config.embedDim();
        this.heads = config.heads();
        this.headSize = width / heads;
        this.layers = config.layers();
        this.embeddingScale = (float) Math.sqrt(width);
        int f = config.hiddenDim();
        ParameterSet p = parameters;
        input = Linear.create(p, "encoder.input", config.featureChannels(), width);
        encoderAttention = AttentionWeights.create(p, "encoder.attention", width);
        encoderNorm1 = Norm.create(p, "encoder.norm1", width);
        encoderFeedForward = FeedForward.create(p, "encoder.ffn", width, f);
        encoderNorm2 = Norm.create(p, "encoder.norm2", width);
        embeddings = p.uniform("embedding.weight", 0.05, config.vocabSize(), width);
        positions = p.uniform("position.weight", 0.05, config.maxPositions(), width);
        for (int l = 0; l < layers; l++) {
            String prefix = "decoder." + l;
            decoder.add(new DecoderLayer(AttentionWeights.create(p, prefix + ".self", width),
                    Norm.create(p, prefix + ".norm1", width), AttentionWeights.create(p, prefix + ".cross", width),
                    Norm.create(p, prefix + ".norm2", width), FeedForward.create(p, prefix + ".ffn", width, f),
                    Norm.create(p, prefix + ".norm3", width)));
        }
        vocabulary = Linear.create(p, "vocabulary", width, config.vocabSize());
    }

    /** State: per layer the cross-attention keys and values of the regions; no self-attention cache yet. */
    @Override
    public DecoderState init(NDArray regionFeatures) {
        return new DecoderState(crossKeysAndValues(encode(regionFeatures, Dropout.OFF)));
    }

    @Override
    public StepResult step(DecoderState state, int[] previousTokens) {
        NDList arrays = state.arrays();
        int position = arrays.size() == 2 * layers ? 0 : (int) arrays.get(2 * layers).getShape().get(2);
        if (position >= config.maxPositions()) {
            throw new IllegalStateException("the transformer has " + config.maxPositions()
                    + " positions (model.maxPositions); cannot decode token " + (position + 1));
        }
        NDManager rows = arrays.get(0).getManager();
        int[] positionIds = new int[previousTokens.length];
        Arrays.fill(positionIds, position);
        NDArray x = embedTokens(rows.create(previousTokens).expandDims(1), rows.create(positionIds).expandDims(1), Dropout.OFF);
        NDList next = new NDList(4 * layers);
        for (int l = 0; l < 2 * layers; l++) {
            next.add(arrays.get(l));
        }
        NDList caches = new NDList(2 * layers);
        NDArray crossWeights = null;
        for (int l = 0; l < layers; l++) {
            DecoderLayer layer = decoder.get(l);
            NDArray keys = splitHeads(layer.self.key.apply(x));
            NDArray values = splitHeads(layer.self.value.apply(x));
            if (position > 0) {
                keys = arrays.get(2 * layers + 2 * l).concat(keys, 2);
                values = arrays.get(2 * layers + 2 * l + 1).concat(values, 2);
            }
            caches.add(keys);
            caches.add(values);
            Block out = decoderLayer(layer, x, keys, values, null, arrays.get(2 * l), arrays.get(2 * l + 1), Dropout.OFF);
            x = out.output;
            crossWeights = out.crossWeights;
        }
        next.addAll(caches);
        NDArray logits = vocabulary.apply(x.squeeze(1));
        return new StepResult(logits.logSoftmax(1), crossWeights.mean(new int[] {1}).squeeze(1), new DecoderState(next));
    }

    @Override
    public TeacherForcedOutput teacherForced(NDArray regionFeatures, NDArray inputTokens, Dropout dropout) {
        NDList cross = crossKeysAndValues(encode(regionFeatures, dropout));
        int steps = (int) inputTokens.getShape().get(1);
        if (steps > config.maxPositions()) {
            throw new IllegalArgumentException("captions of " + steps + " tokens exceed the transformer's "
                    + config.maxPositions() + " positions (model.maxPositions)");
        }
        NDManager rows = inputTokens.getManager();
        NDArray positionIds = rows.arange(0, steps).expandDims(0);
        NDArray x = embedTokens(inputTokens, positionIds, dropout);
        float[] causal = new float[steps * steps];
        for (int t = 0; t < steps; t++) {
            for (int s = t + 1; s < steps; s++) {
                causal[t * steps + s] = MASKED;
            }
        }
        NDArray mask = rows.create(causal, new Shape(steps, steps));
        NDArray crossWeights = null;
        for (int l = 0; l < layers; l++) {
            DecoderLayer layer = decoder.get(l);
            NDArray keys = splitHeads(layer.self.key.apply(x));
            NDArray values = splitHeads(layer.self.value.apply(x));
            Block out = decoderLayer(layer, x, keys, values, mask, cross.get(2 * l), cross.get(2 * l + 1), dropout);
            x = out.output;
            crossWeights = out.crossWeights;
        }
        NDArray real = x.reshape(-1, width).get(TeacherForcedOutput.realPositions(inputTokens));
        NDArray logits = vocabulary.apply(dropout.apply(real, config.dropout()));
        return new TeacherForcedOutput(logits, crossWeights.mean(new int[] {1}));
    }

    /** Regions [B, R, C] → encoded [B, R, D]. */
    private NDArray encode(NDArray regionFeatures, Dropout dropout) {
        NDArray x = Activation.relu(input.apply(regionFeatures));
        NDArray attended = attention(encoderAttention, x, splitHeads(encoderAttention.key.apply(x)),
                splitHeads(encoderAttention.value.apply(x)), null).output;
        x = encoderNorm1.apply(x.add(dropout.apply(attended, config.dropout())));
        return encoderNorm2.apply(x.add(dropout.apply(encoderFeedForward.apply(x), config.dropout())));
    }

    /** Per decoder layer: cross-attention keys, values [B, heads, R, D/heads]. */
    private NDList crossKeysAndValues(NDArray encoded) {
        NDList list = new NDList(2 * layers);
        for (DecoderLayer layer : decoder) {
            list.add(splitHeads(layer.cross.key.apply(encoded)));
            list.add(splitHeads(layer.cross.value.apply(encoded)));
        }
        return list;
    }

    /** tokens, positions [B or 1, T] → [B, T, D]. */
    private NDArray embedTokens(NDArray tokens, NDArray positionIds, Dropout dropout) {
        NDArray scaled = Constants.times(Layers.embed(tokens, embeddings), embeddingScale);
        NDArray x = scaled.add(Layers.embed(positionIds, positions));
        return dropout.apply(x, config.dropout());
    }

    private record Block(NDArray output, NDArray crossWeights) {
    }

    private Block decoderLayer(DecoderLayer layer, NDArray x, NDArray selfKeys, NDArray selfValues, NDArray mask,
                               NDArray crossKeys, NDArray crossValues, Dropout dropout) {
        NDArray self = attention(layer.self, x, selfKeys, selfValues, mask).output;
        NDArray x1 = layer.norm1.apply(x.add(dropout.apply(self, config.dropout())));
        Block cross = attention(layer.cross, x1, crossKeys, crossValues, null);
        NDArray x2 = layer.norm2.apply(x1.add(dropout.apply(cross.output, config.dropout())));
        NDArray x3 = layer.norm3.apply(x2.add(dropout.apply(layer.feedForward.apply(x2), config.dropout())));
        return new Block(x3, cross.crossWeights);
    }

    /** Multi-head attention of queries from x [B, T, D] over keys/values [B, heads, S, D/heads]; weights [B, heads, T, S]. */
    private Block attention(AttentionWeights w, NDArray x, NDArray keys, NDArray values, NDArray mask) {
        NDArray queries = splitHeads(w.query.apply(x));
        NDArray scores = Constants.dividedBy(queries.matMul(keys.transpose(0, 1, 3, 2)), Math.sqrt(headSize));
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray weights = scores.softmax(-1);
        NDArray context = mergeHeads(weights.matMul(values));
        return new Block(w.output.apply(context), weights);
    }

    /** [B, T, D] → [B, heads, T, D/heads]. */
    private NDArray splitHeads(NDArray x) {
        Shape shape = x.getShape();
        return x.reshape(shape.get(0), shape.get(1), heads, headSize).transpose(0, 2, 1, 3);
    }

    /** [B, heads, T, D/heads] → [B, T, D]. */
    private NDArray mergeHeads(NDArray x) {
        Shape shape = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(shape.get(0), shape.get(2), width);
    }
}
