package org.captioner.decode;

/**
 * The decoding state of a batch of rows (captions being grown), advanced one token at a time. Rows start as one
 * per image; decoders reorder, duplicate and drop them between steps (beam search, finished captions).
 */
public interface Stepper extends AutoCloseable {

    /** Feeds one token per row; afterwards {@link #logProb} and {@link #attention} describe the next token. */
    void step(int[] previousTokens);

    /** Keeps rows {@code rows} of the state, in that order (duplicates allowed); the last step's outputs go. */
    void selectRows(int[] rows);

    int vocabularySize();

    /** Of the last step's row {@code row}. */
    float logProb(int row, int token);

    /** A copy of the last step's attention weights of row {@code row}; null if the model has no attention. */
    float[] attention(int row);

    @Override
    void close();
}
