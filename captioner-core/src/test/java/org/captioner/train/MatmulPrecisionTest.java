package org.captioner.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.captioner.model.Dropout;
import org.captioner.engine.MatmulPrecision;
import org.captioner.features.RandomFeatures;
import org.captioner.features.RegionBatch;
import org.captioner.model.CaptionModel;
import org.captioner.model.CaptionModels;
import org.captioner.model.ModelConfig;
import org.captioner.text.SpecialTokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code training.precision: bf16} computes nearly what fp32 computes. On a fixed batch, at sizes large enough for
 * libtorch to hand the products to oneDNN, the loss agrees within 1 % and every parameter's gradient within 3 % of
 * its norm (bfloat16 keeps 8 bits of each factor; the sums stay float32). After the scope closes, products are float32
 * again: the loss repeats bit for bit. On CPUs without AVX-512 libtorch ignores the switch and both agree exactly.
 */
class MatmulPrecisionTest {
    private static final int VOCAB = 600;
    private static final int BATCH = 16;

    @ParameterizedTest
    @ValueSource(strings = {ModelConfig.SHOW_ATTEND_TELL, ModelConfig.TRANSFORMER, ModelConfig.SHOW_AND_TELL})
    void bf16ProductsGiveNearlyTheFp32LossAndGradients(String family) {
        ModelConfig config = switch (family) {
            case ModelConfig.SHOW_ATTEND_TELL -> ModelConfig.showAttendTell(VOCAB, 16, 128);
            case ModelConfig.TRANSFORMER -> ModelConfig.transformer(VOCAB, 16, 128);
            default -> ModelConfig.showAndTell(VOCAB, 16, 128);
        };
        RandomFeatures features = new RandomFeatures(16, 128, BATCH, 3);
        try (NDManager root = NDManager.newBaseManager();
             CaptionModel model = CaptionModels.create(config, root, 7);
             NDManager batch = root.newSubManager()) {
            List<String> images = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                images.add(RandomFeatures.id(i));
            }
            NDArray regions = RegionBatch.load(batch, features, images);
            TokenBatch tokens = TokenBatch.of(batch, captions(), 22);

            Result fp32 = lossAndGradients(model, regions, tokens, MatmulPrecision.FP32);
            Result bf16 = lossAndGradients(model, regions, tokens, MatmulPrecision.BF16);
            Result fp32Again = lossAndGradients(model, regions, tokens, MatmulPrecision.FP32);

            assertThat(fp32Again.loss).isEqualTo(fp32.loss);
            assertThat(bf16.loss).isCloseTo(fp32.loss, within(0.01 * fp32.loss));
            for (Map.Entry<String, float[]> entry : fp32.gradients.entrySet()) {
                float[] expected = entry.getValue();
                float[] actual = bf16.gradients.get(entry.getKey());
                double error = 0;
                double norm = 0;
                for (int i = 0; i < expected.length; i++) {
                    error += (actual[i] - expected[i]) * (double) (actual[i] - expected[i]);
                    norm += expected[i] * (double) expected[i];
                }
                assertThat(Math.sqrt(error)).as(entry.getKey()).isLessThanOrEqualTo(0.03 * Math.sqrt(norm) + 1e-7);
            }
        }
    }

    private static List<int[]> captions() {
        Random random = new Random(5);
        List<int[]> captions = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            int[] caption = new int[8 + random.nextInt(10)];
            caption[0] = SpecialTokens.START;
            for (int t = 1; t < caption.length - 1; t++) {
                caption[t] = SpecialTokens.COUNT + random.nextInt(VOCAB - SpecialTokens.COUNT);
            }
            caption[caption.length - 1] = SpecialTokens.END;
            captions.add(caption);
        }
        return captions;
    }

    private record Result(double loss, Map<String, float[]> gradients) {
    }

    private static Result lossAndGradients(CaptionModel model, NDArray regions, TokenBatch tokens,
                                           MatmulPrecision precision) {
        Map<String, float[]> gradients = new LinkedHashMap<>();
        try (MatmulPrecision.Scope scope = precision.use();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = MaskedLoss.crossEntropy(model.teacherForced(regions, tokens.inputs(), Dropout.OFF).logits(),
                    tokens.targets(), 0);
            collector.backward(loss);
            for (Map.Entry<String, NDArray> p : model.parameters().trainable().entrySet()) {
                NDArray gradient = p.getValue().getGradient();
                gradients.put(p.getKey(), gradient.toFloatArray());
                gradient.subi(gradient);
            }
            return new Result(loss.getFloat(), gradients);
        }
    }
}
