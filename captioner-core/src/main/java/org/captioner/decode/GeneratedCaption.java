package org.captioner.decode;

/**
 * One generated caption.
 *
 * @param tokens         word ids, without START and END
 * @param logProbability the model's log-probability of the words and, if generation ended, of END
 *                       (untempered and unpenalized, whatever the decoding options)
 * @param attention      per word, the attention weights over regions when it was predicted; empty (no rows) for
 *                       a model without attention (show-and-tell)
 */
public record GeneratedCaption(int[] tokens, double logProbability, float[][] attention) {
}
