package org.captioner.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.captioner.features.RegionBatch;
import org.captioner.model.CaptionModel;
import org.captioner.model.CaptionModels;
import org.captioner.model.GeneratedFeatures;
import org.captioner.model.ModelConfig;
import org.captioner.text.SpecialTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class CaptionDecoderTest {
    private static final int IMAGES = 4;
    private static final int MAX_LENGTH = 9;
    private NDManager root;
    private CaptionModel model;
    private NDArray regions;

    @BeforeEach
    void untrainedTinyModel() {
        root = NDManager.newBaseManager();
        ModelConfig config = new ModelConfig(ModelConfig.SHOW_ATTEND_TELL, ModelConfig.GRU, 15, 5, 8, 6, 10, 7, 0.3);
        model = CaptionModels.create(config, root, 3);
        GeneratedFeatures features = new GeneratedFeatures(5, 8, IMAGES, 2);
        regions = RegionBatch.load(root, features, IntStream.range(0, IMAGES).mapToObj(GeneratedFeatures::id).toList());
    }

    @AfterEach
    void close() {
        root.close();
    }

    @Test
    void beamWidthOneIsGreedyExactly() {
        List<List<GeneratedCaption>> greedy = CaptionDecoder.decode(model, regions, DecodingOptions.greedy(MAX_LENGTH));
        List<List<GeneratedCaption>> beam = CaptionDecoder.decode(model, regions, DecodingOptions.beam(1, MAX_LENGTH));
        assertThat(greedy).anySatisfy(captions -> assertThat(captions.get(0).tokens().length).isGreaterThan(2));
        assertSame(beam, greedy);
    }

    @Test
    void topKOneSamplingIsGreedyWhateverTheTemperature() {
        List<List<GeneratedCaption>> greedy = CaptionDecoder.decode(model, regions, DecodingOptions.greedy(MAX_LENGTH));
        List<List<GeneratedCaption>> sampled = CaptionDecoder.decode(model, regions,
                DecodingOptions.sample(3.0, 1, 1.0, MAX_LENGTH, 99));
        assertSame(sampled, greedy);
    }

    @Test
    void samplingWithAFixedSeedIsReproducible() {
        DecodingOptions options = DecodingOptions.sample(1.5, 0, 0.95, MAX_LENGTH, 1234).withCount(3);
        List<List<GeneratedCaption>> first = CaptionDecoder.decode(model, regions, options);
        List<List<GeneratedCaption>> second = CaptionDecoder.decode(model, regions, options);
        assertThat(first).hasSize(IMAGES).allSatisfy(captions -> assertThat(captions).hasSize(3));
        assertSame(first, second);
    }

    @Test
    void beamSearchReturnsTheBestCountCaptionsRankedAndAtLeastAsLikelyAsGreedy() {
        List<List<GeneratedCaption>> greedy = CaptionDecoder.decode(model, regions, DecodingOptions.greedy(MAX_LENGTH));
        List<List<GeneratedCaption>> beam = CaptionDecoder.decode(model, regions,
                DecodingOptions.beam(4, MAX_LENGTH).withCount(3));
        for (int image = 0; image < IMAGES; image++) {
            List<GeneratedCaption> captions = beam.get(image);
            assertThat(captions).hasSize(3);
            assertThat(captions.get(0).logProbability()).isGreaterThanOrEqualTo(captions.get(1).logProbability());
            assertThat(captions.get(1).logProbability()).isGreaterThanOrEqualTo(captions.get(2).logProbability());
            for (GeneratedCaption caption : captions) {
                assertThat(caption.tokens().length).isLessThanOrEqualTo(MAX_LENGTH);
                assertThat(caption.attention()).hasNumberOfRows(caption.tokens().length);
            }
        }
        // Not guaranteed in general, but with this model a width-4 beam finds at least the greedy caption's score.
        double beamTotal = beam.stream().mapToDouble(c -> c.get(0).logProbability()).sum();
        double greedyTotal = greedy.stream().mapToDouble(c -> c.get(0).logProbability()).sum();
        assertThat(beamTotal).isGreaterThanOrEqualTo(greedyTotal);
    }

    @Test
    void noRepeatNgramSizeForbidsRepeatedBigrams() {
        DecodingOptions[] all = {
            DecodingOptions.greedy(MAX_LENGTH).withNoRepeatNgramSize(2),
            DecodingOptions.beam(3, MAX_LENGTH).withNoRepeatNgramSize(2),
            DecodingOptions.sample(1.0, 0, 1.0, MAX_LENGTH, 5).withNoRepeatNgramSize(2),
        };
        for (DecodingOptions options : all) {
            for (List<GeneratedCaption> captions : CaptionDecoder.decode(model, regions, options)) {
                int[] tokens = captions.get(0).tokens();
                Set<String> bigrams = new HashSet<>();
                for (int i = 0; i + 1 < tokens.length; i++) {
                    assertThat(bigrams.add(tokens[i] + " " + tokens[i + 1])).as(options.strategy() + " repeats a bigram").isTrue();
                }
            }
        }
    }

    /** A model that puts nearly all its mass on {@code <unk>} still captions with real words, in every strategy. */
    @Test
    void unknownIsNeverGeneratedByAnyStrategyOrStepper() {
        float[] bias = new float[model.config().vocabSize()];
        bias[SpecialTokens.UNKNOWN] = 30f;
        model.parameters().assign("vocabulary.bias", bias);
        DecodingOptions[] all = {
            DecodingOptions.greedy(MAX_LENGTH),
            DecodingOptions.beam(3, MAX_LENGTH),
            DecodingOptions.beam(4, MAX_LENGTH).withCount(3).withLengthPenalty(1.5).withNoRepeatNgramSize(2),
            DecodingOptions.sample(1.0, 0, 1.0, MAX_LENGTH, 5).withCount(4),
            DecodingOptions.sample(2.0, 3, 0.9, MAX_LENGTH, 6),
        };
        float[] features = regions.toFloatArray();
        for (DecodingOptions options : all) {
            List<List<List<GeneratedCaption>>> paths = List.of(CaptionDecoder.decode(model, regions, options),
                    CaptionDecoder.decode(DecoderStep.of(model), features, IMAGES, options));
            for (List<List<GeneratedCaption>> decoded : paths) {
                assertThat(decoded).hasSize(IMAGES).allSatisfy(captions -> assertThat(captions).isNotEmpty()
                        .allSatisfy(caption -> assertThat(caption.tokens()).as(options.toString())
                                .doesNotContain(SpecialTokens.UNKNOWN, SpecialTokens.PAD, SpecialTokens.START)));
            }
        }
    }

    private static void assertSame(List<List<GeneratedCaption>> actual, List<List<GeneratedCaption>> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int image = 0; image < expected.size(); image++) {
            assertThat(actual.get(image)).hasSameSizeAs(expected.get(image));
            for (int k = 0; k < expected.get(image).size(); k++) {
                GeneratedCaption a = actual.get(image).get(k);
                GeneratedCaption e = expected.get(image).get(k);
                assertThat(a.tokens()).containsExactly(e.tokens());
                assertThat(a.logProbability()).isEqualTo(e.logProbability());
                assertThat(a.attention()).isDeepEqualTo(e.attention());
            }
        }
    }
}
