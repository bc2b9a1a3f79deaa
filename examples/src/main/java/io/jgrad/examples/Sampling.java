package io.jgrad.examples;

import io.jgrad.core.Generator;

/** Drawing the next token of a language model from its logits. */
final class Sampling {
    private Sampling() {}

    /**
     * Draws an index from {@code softmax(logits / temperature)}; a temperature of 0 returns the
     * arg-max (the first one on ties). Low temperatures make the text safer and more repetitive, high
     * ones more varied and more wrong.
     *
     * @param logits the unnormalized log-probabilities (at least one, finite or -infinity)
     * @param temperature 0 or more
     * @param g the generator (one uniform draw when the temperature is positive)
     * @return the index drawn
     */
    static int sample(double[] logits, double temperature, Generator g) {
        if (logits.length == 0 || !(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(
                    "Sampling.sample: need at least one logit and a finite temperature >= 0, got " + logits.length
                            + " logits, temperature " + temperature);
        }
        int best = 0;
        for (int k = 1; k < logits.length; k++) {
            if (logits[k] > logits[best]) {
                best = k;
            }
        }
        if (temperature == 0) {
            return best;
        }
        // subtracting the largest logit keeps exp() in range; the normalization is done by scaling u
        double[] p = new double[logits.length];
        double sum = 0;
        for (int k = 0; k < p.length; k++) {
            p[k] = Math.exp((logits[k] - logits[best]) / temperature);
            sum += p[k];
        }
        double u = g.nextDouble() * sum;
        for (int k = 0; k < p.length; k++) {
            u -= p[k];
            if (u < 0) {
                return k;
            }
        }
        // rounding left u at or just above 0: the last index with a positive probability
        for (int k = p.length - 1; k >= 0; k--) {
            if (p[k] > 0) {
                return k;
            }
        }
        return best;
    }

    static int sample(float[] logits, double temperature, Generator g) {
        double[] d = new double[logits.length];
        for (int k = 0; k < d.length; k++) {
            d[k] = logits[k];
        }
        return sample(d, temperature, g);
    }
}
