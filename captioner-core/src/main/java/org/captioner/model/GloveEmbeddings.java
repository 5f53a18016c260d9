package org.captioner.model;

import org.captioner.text.SpecialTokens;
import org.captioner.text.Vocabulary;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Word vectors from a GloVe-format text file ({@code word v1 v2 ... vD} per line, space-separated, UTF-8) for the
 * words of a vocabulary. Every line is checked (a wrong dimension or a value that is not a number is an error
 * naming the file and line); only vocabulary words are kept.
 *
 * @param vectors row-major [vocabulary size, dimension]; rows of words not in the file (and of special tokens) are 0
 * @param found   per vocabulary id, whether the file had its word
 * @param missing vocabulary words (special tokens excluded) the file lacks, in id order
 */
public record GloveEmbeddings(int dimension, float[] vectors, boolean[] found, List<String> missing) {

    public static GloveEmbeddings read(Path file, Vocabulary vocabulary, int dimension) throws IOException {
        float[] vectors = new float[vocabulary.size() * dimension];
        boolean[] found = new boolean[vocabulary.size()];
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.strip().split(" +");
                if (fields.length - 1 != dimension) {
                    throw new IOException(file + ":" + number + ": " + (fields.length - 1) + " values for '" + fields[0]
                            + "', expected " + dimension + " (the model's embedDim)"
                            + (number == 1 ? ": the file's dimension does not match the model" : ": malformed line"));
                }
                String word = fields[0];
                if (!vocabulary.contains(word)) {
                    continue;
                }
                int id = vocabulary.id(word);
                for (int i = 0; i < dimension; i++) {
                    try {
                        vectors[id * dimension + i] = Float.parseFloat(fields[i + 1]);
                    } catch (NumberFormatException e) {
                        throw new IOException(file + ":" + number + ": value " + (i + 1) + " of '" + word
                                + "' is not a number: '" + fields[i + 1] + "'", e);
                    }
                }
                found[id] = true;
            }
        }
        List<String> missing = new ArrayList<>();
        for (int id = SpecialTokens.COUNT; id < vocabulary.size(); id++) {
            if (!found[id]) {
                missing.add(vocabulary.word(id));
            }
        }
        return new GloveEmbeddings(dimension, vectors, found, List.copyOf(missing));
    }

    /** {@code initial} [V, D] row-major with the rows of found words replaced by their vectors. */
    public float[] over(float[] initial) {
        float[] result = initial.clone();
        for (int id = 0; id < found.length; id++) {
            if (found[id]) {
                System.arraycopy(vectors, id * dimension, result, id * dimension, dimension);
            }
        }
        return result;
    }

    public int foundCount() {
        int count = 0;
        for (boolean f : found) {
            count += f ? 1 : 0;
        }
        return count;
    }
}
