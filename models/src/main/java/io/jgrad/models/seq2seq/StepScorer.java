package io.jgrad.models.seq2seq;

/**
 * The next-token distribution of a decoder conditioned on encoded sources: what
 * {@link Decoding#greedy} and {@link Decoding#beamSearch} need from a model. A model encodes a batch of
 * sources once ({@link Seq2Seq#encode(int[][])}); the scorer then scores prefixes that continue any of
 * them.
 */
@FunctionalInterface
public interface StepScorer {
    /**
     * Log-probabilities of the next token after each prefix.
     *
     * @param rows for each prefix, the index of the encoded source it continues
     * @param prefixes the prefixes, each starting with the beginning-of-sequence token, all of the same
     *     length (at least 1), {@code rows.length} of them
     * @return {@code (prefixes.length, vocabulary)} natural-log probabilities
     */
    double[][] nextLogProbs(int[] rows, int[][] prefixes);
}
