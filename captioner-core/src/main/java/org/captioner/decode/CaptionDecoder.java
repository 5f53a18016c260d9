package org.captioner.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.captioner.engine.NoGradient;
import org.captioner.features.FeatureSource;
import org.captioner.features.RegionBatch;
import org.captioner.model.CaptionModel;
import org.captioner.text.SpecialTokens;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Greedy decoding, beam search and sampling for any {@link CaptionModel}, batched over images (and beams).
 * Rows whose caption is complete leave the batch, so a batch costs what its longest caption costs.
 */
public final class CaptionDecoder {

    private CaptionDecoder() {
    }

    /** Captions for images given by id, decoded {@code batchSize} images at a time. One list per image, best first. */
    public static List<List<GeneratedCaption>> decode(CaptionModel model, FeatureSource source, List<String> imageIds,
                                                      DecodingOptions options, int batchSize) {
        List<List<GeneratedCaption>> captions = new ArrayList<>(imageIds.size());
        for (int from = 0; from < imageIds.size(); from += batchSize) {
            List<String> batch = imageIds.subList(from, Math.min(imageIds.size(), from + batchSize));
            try (NDManager manager = model.manager().newSubManager()) {
                captions.addAll(decode(model, RegionBatch.load(manager, source, batch), options));
            }
        }
        return captions;
    }

    /** Captions for region features [B, R, C], stepping through the model in DJL: one list per image, best first. */
    public static List<List<GeneratedCaption>> decode(CaptionModel model, NDArray regionFeatures,
                                                      DecodingOptions options) {
        try (Stepper stepper = new TorchStepper(model, regionFeatures)) {
            return decode(stepper, (int) regionFeatures.getShape().get(0), options);
        }
    }

    /**
     * Captions for region features [images, R, C] (row-major) with {@code steps}, e.g. {@link DecoderStep#of}:
     * one list per image, best first.
     */
    public static List<List<GeneratedCaption>> decode(DecoderStep steps, float[] regionFeatures, int images,
                                                      DecodingOptions options) {
        try (Stepper stepper = steps.start(regionFeatures, images)) {
            return decode(stepper, images, options);
        }
    }

    private static List<List<GeneratedCaption>> decode(Stepper stepper, int images, DecodingOptions options) {
        return options.strategy() == DecodingOptions.Strategy.BEAM
                ? beamSearch(stepper, images, options)
                : rowByRow(stepper, images, options);
    }

    /** Greedy and sampling: every row extends its own caption; {@code count} rows per image. */
    private static List<List<GeneratedCaption>> rowByRow(Stepper stepper, int images, DecodingOptions options) {
        int perImage = options.count();
        Random random = new Random(options.seed());
        Hypothesis[] finished = new Hypothesis[images * perImage];
        // State row i decodes caption active.get(i) (image-major, so captions of an image stay together).
        List<Integer> active = new ArrayList<>();
        List<Hypothesis> paths = new ArrayList<>();
        int[] firstRows = new int[images * perImage];
        for (int caption = 0; caption < firstRows.length; caption++) {
            active.add(caption);
            paths.add(Hypothesis.EMPTY);
            firstRows[caption] = caption / perImage;
        }
        if (perImage > 1) {
            stepper.selectRows(firstRows);
        }
        int[] previous = filled(active.size(), SpecialTokens.START);
        for (int step = 0; step < options.maxLength() && !active.isEmpty(); step++) {
            stepper.step(previous);
            List<Integer> stillActive = new ArrayList<>();
            List<Hypothesis> stillPaths = new ArrayList<>();
            List<Integer> keptRows = new ArrayList<>();
            for (int row = 0; row < active.size(); row++) {
                Hypothesis path = paths.get(row);
                Set<Integer> banned = excluded(path, options);
                int token = options.strategy() == DecodingOptions.Strategy.SAMPLE
                        ? sample(stepper, row, banned, options, random)
                        : argmax(stepper, row, banned);
                Hypothesis extended = path.extend(token, stepper.attention(row), stepper.logProb(row, token));
                if (token == SpecialTokens.END || step == options.maxLength() - 1) {
                    finished[active.get(row)] = extended;
                } else {
                    stillActive.add(active.get(row));
                    stillPaths.add(extended);
                    keptRows.add(row);
                }
            }
            if (stillActive.size() < active.size() && !stillActive.isEmpty()) {
                stepper.selectRows(keptRows.stream().mapToInt(Integer::intValue).toArray());
            }
            active = stillActive;
            paths = stillPaths;
            previous = stillPaths.stream().mapToInt(h -> h.token).toArray();
        }
        List<List<GeneratedCaption>> captions = new ArrayList<>(images);
        for (int image = 0; image < images; image++) {
            List<GeneratedCaption> own = new ArrayList<>(perImage);
            for (int k = 0; k < perImage; k++) {
                own.add(finished[image * perImage + k].toCaption(SpecialTokens.END));
            }
            captions.add(own);
        }
        return captions;
    }

    /**
     * The tokens that may not come next after {@code path}: {@code <unk>} (the model's best real word says more than
     * "unknown word"), the other tokens no caption contains, and any that would repeat an n-gram. Every strategy
     * chooses among the rest, so the model's distribution is renormalized over them.
     */
    private static Set<Integer> excluded(Hypothesis path, DecodingOptions options) {
        Set<Integer> banned = path.bannedByNgrams(options.noRepeatNgramSize());
        banned.addAll(SpecialTokens.NEVER_GENERATED);
        return banned;
    }

    private static int argmax(Stepper stepper, int row, Set<Integer> banned) {
        int best = -1;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int token = 0; token < stepper.vocabularySize(); token++) {
            float value = stepper.logProb(row, token);
            if ((best < 0 || value > bestValue) && !banned.contains(token)) {
                best = token;
                bestValue = value;
            }
        }
        return best;
    }

    /** Draws from the tempered distribution restricted to the top-k tokens, then to the top-p nucleus. */
    private static int sample(Stepper stepper, int row, Set<Integer> banned, DecodingOptions options, Random random) {
        Integer[] order = new Integer[stepper.vocabularySize()];
        for (int token = 0; token < order.length; token++) {
            order[token] = token;
        }
        // Stable sort: equal log-probabilities keep token order, so top-k = 1 picks what argmax picks.
        Arrays.sort(order, Comparator.comparingDouble((Integer token) -> -stepper.logProb(row, token)));
        int limit = options.topK() > 0 ? Math.min(options.topK(), order.length) : order.length;
        double[] weights = new double[limit];
        int[] tokens = new int[limit];
        int kept = 0;
        double max = Double.NaN;
        for (int i = 0; i < order.length && kept < limit; i++) {
            int token = order[i];
            if (banned.contains(token)) {
                continue;
            }
            double logProb = stepper.logProb(row, token);
            if (Double.isNaN(max)) {
                max = logProb;
            }
            tokens[kept] = token;
            weights[kept++] = Math.exp((logProb - max) / options.temperature());
        }
        double total = 0;
        for (int i = 0; i < kept; i++) {
            total += weights[i];
        }
        double nucleus = 0;
        int size = 0;
        while (size < kept && nucleus < options.topP() * total) {
            nucleus += weights[size++];
        }
        double draw = random.nextDouble() * nucleus;
        for (int i = 0; i < size - 1; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return tokens[i];
            }
        }
        return tokens[size - 1];
    }

    /** One expansion of a beam: extend row {@code row} with {@code token}, for a total log-probability. */
    private record Candidate(int row, int token, double score) {
    }

    /** Candidates best first; ties go to the lower row then token, as argmax's ties go to the lower token. */
    private static final Comparator<Candidate> BEST_FIRST = Comparator.comparingDouble(Candidate::score).reversed()
            .thenComparingInt(Candidate::row).thenComparingInt(Candidate::token);

    private static List<List<GeneratedCaption>> beamSearch(Stepper stepper, int images, DecodingOptions options) {
        int width = options.beamWidth();
        List<List<Hypothesis>> finished = new ArrayList<>(images);
        // State rows are grouped by image: rows rowStart[i] .. rowStart[i] + beams.get(i).size() - 1.
        List<Integer> activeImages = new ArrayList<>();
        List<List<Hypothesis>> beams = new ArrayList<>();
        for (int image = 0; image < images; image++) {
            finished.add(new ArrayList<>());
            activeImages.add(image);
            beams.add(List.of(Hypothesis.EMPTY));
        }
        int[] previous = filled(images, SpecialTokens.START);
        for (int step = 0; step < options.maxLength() && !activeImages.isEmpty(); step++) {
            stepper.step(previous);
            boolean lastStep = step == options.maxLength() - 1;
            List<Integer> nextImages = new ArrayList<>();
            List<List<Hypothesis>> nextBeams = new ArrayList<>();
            List<Integer> parentRows = new ArrayList<>();
            int rowStart = 0;
            for (int a = 0; a < activeImages.size(); a++) {
                List<Hypothesis> imageBeams = beams.get(a);
                List<Hypothesis> done = finished.get(activeImages.get(a));
                List<Hypothesis> kept = new ArrayList<>(width);
                List<Integer> keptParents = new ArrayList<>(width);
                for (Candidate c : topCandidates(stepper, rowStart, imageBeams, 2 * width, options)) {
                    Hypothesis parent = imageBeams.get(c.row - rowStart);
                    Hypothesis extended = parent.extend(c.token, stepper.attention(c.row),
                            stepper.logProb(c.row, c.token));
                    if (c.token == SpecialTokens.END || lastStep) {
                        done.add(extended);
                    } else {
                        kept.add(extended);
                        keptParents.add(c.row);
                    }
                    if (kept.size() == width || done.size() >= width) {
                        break;
                    }
                }
                if (done.size() < width && !kept.isEmpty()) {
                    nextImages.add(activeImages.get(a));
                    nextBeams.add(kept);
                    parentRows.addAll(keptParents);
                }
                rowStart += imageBeams.size();
            }
            activeImages = nextImages;
            beams = nextBeams;
            if (!activeImages.isEmpty()) {
                stepper.selectRows(parentRows.stream().mapToInt(Integer::intValue).toArray());
                previous = nextBeams.stream().flatMap(List::stream).mapToInt(h -> h.token).toArray();
            }
        }
        List<List<GeneratedCaption>> captions = new ArrayList<>(images);
        for (List<Hypothesis> done : finished) {
            List<Hypothesis> ranked = new ArrayList<>(done);
            ranked.sort(Comparator.comparingDouble((Hypothesis h) -> -penalized(h, options.lengthPenalty())));
            List<GeneratedCaption> best = new ArrayList<>(options.count());
            for (int i = 0; i < Math.min(options.count(), ranked.size()); i++) {
                best.add(ranked.get(i).toCaption(SpecialTokens.END));
            }
            captions.add(best);
        }
        return captions;
    }

    /** The {@code limit} best extensions of an image's beams (rows {@code rowStart ..}), best first. */
    private static List<Candidate> topCandidates(Stepper stepper, int rowStart, List<Hypothesis> imageBeams, int limit,
                                                 DecodingOptions options) {
        PriorityQueue<Candidate> worstFirst = new PriorityQueue<>(limit + 1, BEST_FIRST.reversed());
        for (int b = 0; b < imageBeams.size(); b++) {
            int row = rowStart + b;
            Hypothesis beam = imageBeams.get(b);
            Set<Integer> banned = excluded(beam, options);
            for (int token = 0; token < stepper.vocabularySize(); token++) {
                double score = beam.logProbability + stepper.logProb(row, token);
                // The cheap score test first: most tokens fail it, and the banned set boxes its lookups.
                if ((worstFirst.size() == limit && score < worstFirst.peek().score)
                        || banned.contains(token)) {
                    continue;
                }
                worstFirst.add(new Candidate(row, token, score));
                if (worstFirst.size() > limit) {
                    worstFirst.poll();
                }
            }
        }
        List<Candidate> best = new ArrayList<>(worstFirst);
        best.sort(BEST_FIRST);
        return best;
    }

    /** GNMT length normalization: {@code logP / ((5 + length) / 6)^alpha}; alpha 0 leaves logP. */
    static double penalized(Hypothesis h, double alpha) {
        return alpha == 0 ? h.logProbability : h.logProbability / Math.pow((5.0 + h.length) / 6.0, alpha);
    }

    private static int[] filled(int size, int value) {
        int[] array = new int[size];
        Arrays.fill(array, value);
        return array;
    }
}
