package org.captioner.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.captioner.decode.CaptionDecoder;
import org.captioner.decode.DecodingOptions;
import org.captioner.decode.GeneratedCaption;
import org.captioner.engine.Constants;
import org.captioner.engine.GradientRecording;
import org.captioner.engine.MatmulPrecision;
import org.captioner.engine.NoGradient;
import org.captioner.eval.CiderDCorpus;
import org.captioner.features.FeatureSource;
import org.captioner.features.RegionBatch;
import org.captioner.model.CaptionModel;
import org.captioner.model.DecoderState;
import org.captioner.model.StepResult;
import org.captioner.text.SpecialTokens;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * One self-critical step on a batch of images: sample {@code samples} captions per image from the model (with
 * gradient), reward each with its CIDEr-D against the image's training references, and follow the policy gradient
 * {@code -(reward - baseline) · log p(caption)}, averaged per sampled token, with one Adam update.
 *
 * <p>Sampling draws from the model's softmax with {@code <unk>} (and the other special tokens but END) masked out,
 * through Gumbel noise from the engine's generator, which is reseeded per step as dropout is in
 * {@link TrainingStep}: a resumed run draws the same captions. Only the sampled ids leave libtorch each step.
 *
 * <p>With {@link ScstConfig#crossEntropyWeight()} above 0 the loss also holds that weight times the cross-entropy
 * objective of one training reference per image (drawn from the seed and step), as {@link TrainingStep} computes it.
 */
final class SelfCriticalStep {
    /** Added to the log-probability of tokens a caption may not contain: their probability becomes exactly 0. */
    private static final float EXCLUDED = -1e9f;
    /** Uniform draws stay this far inside (0, 1), so the Gumbel noise is finite and cannot outbid {@link #EXCLUDED}. */
    private static final float UNIFORM_MARGIN = 1e-6f;

    private final CaptionModel model;
    private final FeatureSource features;
    private final TrainingConfig config;
    private final Adam optimizer;
    private final CiderDCorpus rewards;
    /** Each image's training captions (START, words, END), for the cross-entropy term. */
    private final Map<String, List<int[]>> references;

    /**
     * The sampled captions of a batch: per step, the log-probability of each open row's token ([open rows]) and which
     * caption each of those rows is; the words of every caption; the number of tokens sampled (END included).
     */
    private record Samples(List<NDArray> stepLogProbabilities, List<int[]> stepCaptions, int[][] words, int tokens) {

        /** {@code sum over captions of weight · log p(caption)}. */
        NDArray weightedLogProbability(NDManager manager, float[] weightOfCaption) {
            NDArray total = null;
            for (int t = 0; t < stepCaptions.size(); t++) {
                int[] captions = stepCaptions.get(t);
                float[] weights = new float[captions.length];
                for (int row = 0; row < captions.length; row++) {
                    weights[row] = weightOfCaption[captions[row]];
                }
                NDArray step = stepLogProbabilities.get(t).mul(manager.create(weights)).sum();
                total = total == null ? step : total.add(step);
            }
            return total;
        }
    }

    /** @param examples the training captions of every image a batch may hold: the rewards' references */
    SelfCriticalStep(CaptionModel model, FeatureSource features, TrainingConfig config, Adam optimizer,
                     List<TrainingExample> examples) {
        this.model = model;
        this.features = features;
        this.config = config;
        this.optimizer = optimizer;
        this.references = new LinkedHashMap<>();
        examples.forEach(example -> references.computeIfAbsent(example.imageId(), id -> new ArrayList<>()).add(example.tokens()));
        this.rewards = rewardCorpus(references);
    }

    /**
     * CIDEr-D over the training captions: document frequencies from all of them, each image scored against its own.
     * Captions are compared as word ids, as sampled ({@code <unk>} in a reference matches nothing sampled).
     */
    private static CiderDCorpus rewardCorpus(Map<String, List<int[]>> references) {
        Map<String, List<String>> texts = new LinkedHashMap<>();
        references.forEach((image, captions) -> texts.put(image, captions.stream()
                .map(tokens -> text(Arrays.stream(tokens)
                        .filter(t -> t != SpecialTokens.START && t != SpecialTokens.END && t != SpecialTokens.PAD)
                        .toArray()))
                .toList()));
        return CiderDCorpus.of(texts);
    }

    TrainingStep.Outcome run(List<String> imageIds, long step, double learningRate) {
        Engine.getInstance().setRandomSeed((int) (config.seed() * 1_000_003L + step));
        int perImage = config.scst().samples();
        try (NDManager manager = model.manager().newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray regions = RegionBatch.load(manager, features, imageIds);
            double[] greedyRewards = config.scst().baseline() == ScstConfig.Baseline.GREEDY
                    ? greedyRewards(regions, imageIds) : null;
            NDArray loss;
            double meanReward;
            try (MatmulPrecision.Scope precision = config.precision().use();
                 GradientRecording recording = GradientRecording.start()) {
                Samples samples = sample(manager, regions, perImage);
                double[] reward = new double[samples.words.length];
                for (int row = 0; row < reward.length; row++) {
                    reward[row] = rewards.score(imageIds.get(row / perImage), text(samples.words[row]));
                }
                meanReward = Arrays.stream(reward).average().orElse(0);
                float[] advantage = advantages(reward, perImage, greedyRewards);
                NDArray weighted = samples.weightedLogProbability(manager, advantage).neg();
                loss = Constants.dividedBy(weighted, Math.max(1, samples.tokens));
                double mix = config.scst().crossEntropyWeight();
                if (mix > 0) {
                    loss = loss.add(Constants.times(referenceObjective(manager, regions, imageIds, step), mix));
                }
                recording.backward(loss);
            }
            double norm = optimizer.update(learningRate, config.clipNorm());
            double value = Double.isFinite(norm) ? loss.getFloat() : Double.NaN;
            return new TrainingStep.Outcome(value, norm, meanReward);
        }
    }

    /** The cross-entropy objective of one training reference per image, drawn from the seed and step (exact resume). */
    private NDArray referenceObjective(NDManager manager, NDArray regions, List<String> imageIds, long step) {
        SplittableRandom draw = new SplittableRandom(config.seed() * 1_000_003L + step);
        List<int[]> captions = imageIds.stream().map(id -> {
            List<int[]> ofImage = references.get(id);
            return ofImage.get(draw.nextInt(ofImage.size()));
        }).toList();
        TokenBatch tokens = TokenBatch.of(manager, captions, config.maxLength());
        return TrainingStep.teacherForced(model, regions, tokens, config, TrainingStep.dropout(config, step, 1)[0])
                .objective(1, 1);
    }

    /**
     * Each sample's reward minus its baseline: the image's greedy caption's reward, or the mean reward of the image's
     * other samples (so a batch's advantages of an image sum to zero).
     */
    static float[] advantages(double[] reward, int perImage, double[] greedyRewards) {
        float[] advantage = new float[reward.length];
        for (int image = 0; image < reward.length / perImage; image++) {
            double sum = 0;
            for (int k = 0; k < perImage; k++) {
                sum += reward[image * perImage + k];
            }
            for (int k = 0; k < perImage; k++) {
                int row = image * perImage + k;
                double baseline = greedyRewards != null ? greedyRewards[image] : (sum - reward[row]) / (perImage - 1);
                advantage[row] = (float) (reward[row] - baseline);
            }
        }
        return advantage;
    }

    private double[] greedyRewards(NDArray regions, List<String> imageIds) {
        List<List<GeneratedCaption>> greedy = CaptionDecoder.decode(model, regions,
                DecodingOptions.greedy(config.maxLength() - 1));
        double[] reward = new double[imageIds.size()];
        for (int image = 0; image < reward.length; image++) {
            reward[image] = rewards.score(imageIds.get(image), text(greedy.get(image).get(0).tokens()));
        }
        return reward;
    }

    /**
     * {@code perImage} captions per image, image-major; call with gradients on. Finished captions leave the batch,
     * so a step costs what its open captions cost.
     */
    private Samples sample(NDManager manager, NDArray regions, int perImage) {
        int images = (int) regions.getShape().get(0);
        int captions = images * perImage;
        long[] imageOfRow = new long[captions];
        int[] open = new int[captions]; // the caption each state row is sampling
        for (int row = 0; row < captions; row++) {
            imageOfRow[row] = row / perImage;
            open[row] = row;
        }
        DecoderState state = model.init(regions).select(manager.create(imageOfRow));
        float[] mask = new float[model.config().vocabSize()];
        SpecialTokens.NEVER_GENERATED.forEach(token -> mask[token] = EXCLUDED);
        NDArray excluded = manager.create(mask);

        int[] previous = new int[captions];
        Arrays.fill(previous, SpecialTokens.START);
        int[][] words = new int[captions][config.maxLength() - 1];
        int[] lengths = new int[captions];
        List<NDArray> stepLogProbabilities = new ArrayList<>();
        List<int[]> stepCaptions = new ArrayList<>();
        int tokens = 0;
        // At most maxLength - 1 tokens after START, END included, as in the references and the dev decoding.
        for (int t = 0; t < config.maxLength() - 1 && open.length > 0; t++) {
            StepResult result = model.step(state, previous);
            NDArray logProbs = result.logProbs().add(excluded).logSoftmax(1);
            long[] chosen;
            try (NoGradient noGradient = NoGradient.scope()) {
                NDArray gumbel = manager.randomUniform(UNIFORM_MARGIN, 1 - UNIFORM_MARGIN, logProbs.getShape())
                        .log().neg().log().neg();
                chosen = logProbs.add(gumbel).argMax(1).toLongArray();
            }
            stepLogProbabilities.add(logProbs.gather(manager.create(chosen, new Shape(open.length, 1)), 1).squeeze(1));
            stepCaptions.add(open);
            tokens += open.length;
            int[] kept = new int[open.length];
            int keptCount = 0;
            for (int row = 0; row < open.length; row++) {
                int token = (int) chosen[row];
                if (token != SpecialTokens.END) {
                    words[open[row]][lengths[open[row]]++] = token;
                    kept[keptCount++] = row;
                }
            }
            state = result.state();
            if (keptCount < open.length) {
                kept = Arrays.copyOf(kept, keptCount);
                state = state.select(manager.create(Arrays.stream(kept).mapToLong(row -> row).toArray()));
                int[] stillOpen = new int[keptCount];
                for (int i = 0; i < keptCount; i++) {
                    stillOpen[i] = open[kept[i]];
                }
                open = stillOpen;
            }
            previous = new int[open.length];
            for (int row = 0; row < open.length; row++) {
                previous[row] = words[open[row]][lengths[open[row]] - 1];
            }
        }
        int[][] sampled = new int[captions][];
        for (int caption = 0; caption < captions; caption++) {
            sampled[caption] = Arrays.copyOf(words[caption], lengths[caption]);
        }
        return new Samples(stepLogProbabilities, stepCaptions, sampled, tokens);
    }

    private static String text(int[] words) {
        return Arrays.stream(words).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }
}
