package io.jgrad.models.seq2seq;

import java.util.Arrays;

/**
 * A decoded sequence and its score.
 *
 * @param tokens the output tokens, without the beginning-of-sequence token and without the
 *     end-of-sequence token
 * @param logProb the sum of the natural-log probabilities of the tokens, including that of the
 *     end-of-sequence token when {@code finished}
 * @param finished whether the decoder emitted the end-of-sequence token (else it stopped at the length limit)
 */
public record Hypothesis(int[] tokens, double logProb, boolean finished) {
    /** Copies the tokens. */
    public Hypothesis {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hypothesis h
                && Arrays.equals(tokens, h.tokens)
                && Double.compare(logProb, h.logProb) == 0
                && finished == h.finished;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens) * 31 + Double.hashCode(logProb) + (finished ? 1 : 0);
    }

    @Override
    public String toString() {
        return "Hypothesis" + Arrays.toString(tokens) + " logProb=" + logProb + (finished ? "" : " (unfinished)");
    }
}
