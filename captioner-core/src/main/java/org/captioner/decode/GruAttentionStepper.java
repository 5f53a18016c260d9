package org.captioner.decode;

import java.util.Arrays;

/**
 * The rows of one {@link GruAttentionStep} decode: a hidden state per row, the image memory per image, and work
 * arrays sized for the most rows seen, reused by every step (no allocation per step once the beams are full).
 */
final class GruAttentionStepper implements Stepper {
    private static final int GATES = 3;
    private static final int RESET = 0;
    private static final int UPDATE = 1;
    private static final int CANDIDATE = 2;

    private final GruAttentionStep model;
    private final int regions;
    private final GruAttentionStep.ImageMemory[] images;
    private int rows;
    private int[] imageOfRow;
    private int[] spareImageOfRow;
    private float[][] hidden;
    private float[][] spareHidden;
    private float[][] query;
    /** Scores, then in place the attention weights. */
    private float[][] attention;
    private float[][] context;
    private float[][] tokenEmbeddings;
    private float[][][] inputGates;
    private float[][][] hiddenGates;
    private float[][] projected;
    /** Logits, then in place the log-probabilities. */
    private float[][] logProbs;

    GruAttentionStepper(GruAttentionStep model, float[] regionFeatures, int imageCount, int regions) {
        this.model = model;
        this.regions = regions;
        this.images = new GruAttentionStep.ImageMemory[imageCount];
        allocate(imageCount);
        rows = imageCount;
        for (int image = 0; image < imageCount; image++) {
            images[image] = model.remember(regionFeatures, image, regions, hidden[image]);
            imageOfRow[image] = image;
        }
    }

    @Override
    public void step(int[] previousTokens) {
        if (previousTokens.length != rows) {
            throw new IllegalArgumentException(previousTokens.length + " tokens for " + rows + " rows");
        }
        for (int r = 0; r < rows; r++) {
            tokenEmbeddings[r] = model.embeddings[previousTokens[r]];
        }
        model.query.apply(hidden, query, rows);
        for (int r = 0; r < rows; r++) {
            attend(r);
        }
        for (int gate = 0; gate < GATES; gate++) {
            model.embeddingGates[gate].apply(tokenEmbeddings, inputGates[gate], rows);
            model.contextGates[gate].accumulate(context, inputGates[gate], rows);
            model.hiddenGates[gate].apply(hidden, hiddenGates[gate], rows);
        }
        for (int r = 0; r < rows; r++) {
            updateHidden(r);
        }
        model.output.apply(hidden, projected, rows);
        model.vocabulary.apply(projected, logProbs, rows);
        for (int r = 0; r < rows; r++) {
            Activations.logSoftmax(logProbs[r]);
        }
    }

    /** Bahdanau attention of row {@code r}: weights {@code softmax(v·tanh(keys + query))}, context {@code Σ w·encoded}. */
    private void attend(int r) {
        GruAttentionStep.ImageMemory memory = images[imageOfRow[r]];
        float[] scores = attention[r];
        Arrays.fill(scores, 0f);
        float[] rowQuery = query[r];
        for (int a = 0; a < rowQuery.length; a++) {
            addScaledTanh(model.score[a], memory.keysByUnit()[a], rowQuery[a], scores);
        }
        Activations.softmax(scores, regions);
        float[] rowContext = context[r];
        Arrays.fill(rowContext, 0f);
        for (int region = 0; region < regions; region++) {
            DenseLayer.addScaled(scores[region], memory.encoded()[region], rowContext);
        }
    }

    /** {@code scores[i] += v·tanh(keys[i] + q)} over whole arrays. */
    private static void addScaledTanh(float v, float[] keys, float q, float[] scores) {
        for (int i = 0; i < scores.length; i++) {
            scores[i] += v * Activations.tanh(keys[i] + q);
        }
    }

    /** PyTorch's GRU: the reset gate scales the hidden part of the candidate, its bias included. */
    private void updateHidden(int r) {
        float[] h = hidden[r];
        float[] inReset = inputGates[RESET][r];
        float[] inUpdate = inputGates[UPDATE][r];
        float[] inCandidate = inputGates[CANDIDATE][r];
        float[] hidReset = hiddenGates[RESET][r];
        float[] hidUpdate = hiddenGates[UPDATE][r];
        float[] hidCandidate = hiddenGates[CANDIDATE][r];
        for (int k = 0; k < h.length; k++) {
            float reset = Activations.sigmoid(inReset[k] + hidReset[k]);
            float update = Activations.sigmoid(inUpdate[k] + hidUpdate[k]);
            float candidate = Activations.tanh(inCandidate[k] + reset * hidCandidate[k]);
            h[k] = candidate + update * (h[k] - candidate);
        }
    }

    @Override
    public void selectRows(int[] selected) {
        if (selected.length > hidden.length) {
            allocate(selected.length);
        }
        for (int i = 0; i < selected.length; i++) {
            System.arraycopy(hidden[selected[i]], 0, spareHidden[i], 0, model.hiddenSize);
            spareImageOfRow[i] = imageOfRow[selected[i]];
        }
        float[][] swapHidden = hidden;
        hidden = spareHidden;
        spareHidden = swapHidden;
        int[] swapImages = imageOfRow;
        imageOfRow = spareImageOfRow;
        spareImageOfRow = swapImages;
        rows = selected.length;
    }

    /** Work arrays for {@code capacity} rows, keeping the rows' state (not the last step's outputs). */
    private void allocate(int capacity) {
        int attentionSize = model.query.outputs();
        int hiddenSize = model.hiddenSize;
        imageOfRow = imageOfRow == null ? new int[capacity] : Arrays.copyOf(imageOfRow, capacity);
        spareImageOfRow = new int[capacity];
        hidden = grown(hidden, capacity, hiddenSize);
        spareHidden = new float[capacity][hiddenSize];
        query = new float[capacity][attentionSize];
        attention = new float[capacity][regions];
        context = new float[capacity][model.encoder.outputs()];
        tokenEmbeddings = new float[capacity][];
        inputGates = new float[GATES][capacity][hiddenSize];
        hiddenGates = new float[GATES][capacity][hiddenSize];
        projected = new float[capacity][model.output.outputs()];
        logProbs = new float[capacity][model.vocabularySize];
    }

    private static float[][] grown(float[][] rows, int capacity, int width) {
        float[][] result = new float[capacity][];
        int kept = rows == null ? 0 : rows.length;
        for (int r = 0; r < capacity; r++) {
            result[r] = r < kept ? rows[r] : new float[width];
        }
        return result;
    }

    @Override
    public int vocabularySize() {
        return model.vocabularySize;
    }

    @Override
    public float logProb(int row, int token) {
        return logProbs[row][token];
    }

    @Override
    public float[] attention(int row) {
        return attention[row].clone();
    }

    @Override
    public void close() {
        // Nothing native: the arrays go with the garbage.
    }
}
