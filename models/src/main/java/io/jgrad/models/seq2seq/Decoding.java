package io.jgrad.models.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Decoding of any {@link StepScorer}: greedy search and beam search.
 *
 * <p>Both start every sequence with the beginning-of-sequence token and extend it one token per step
 * for at most {@code maxLen} steps (the end-of-sequence token counts as a step). A sequence ends when
 * the end-of-sequence token is chosen; one that reaches {@code maxLen} tokens without it is returned
 * as unfinished. Scores are sums of natural-log probabilities, without length normalization.
 *
 * <p>Beam search (as in Sutskever, Vinyals and Le 2014, "Sequence to sequence learning with neural
 * networks", section 3.1) keeps the {@code beamWidth} best unfinished prefixes. At each step every
 * kept prefix is extended by every token; the candidates are ranked by score, and taken in that order
 * until {@code beamWidth} unfinished prefixes are kept again, every end-of-sequence candidate met on
 * the way becoming a finished hypothesis. Since log-probabilities are at most 0, a prefix's score can
 * only fall, so the search stops once {@code beamWidth} hypotheses are finished and none kept can
 * still beat the worst of them (or when nothing is kept). With {@code beamWidth = 1} this is exactly
 * greedy search (ties go to the lower token id in both). Ties between candidates are broken by the
 * order of their prefixes, then by token id, so results are deterministic.
 */
public final class Decoding {
    private Decoding() {}

    /**
     * Greedy decoding of several encoded sources at once: at each step the most likely token.
     *
     * @param scorer the model's scorer for {@code n} encoded sources (rows 0 to n - 1)
     * @param n the number of sources, at least 1
     * @param bos the beginning-of-sequence token
     * @param eos the end-of-sequence token
     * @param maxLen the most steps, at least 1
     * @return one hypothesis per source, in order
     */
    public static Hypothesis[] greedy(StepScorer scorer, int n, int bos, int eos, int maxLen) {
        if (scorer == null || n < 1 || maxLen < 1) {
            throw new IllegalArgumentException(
                    "Decoding.greedy: need a scorer, n >= 1 and maxLen >= 1, got n=" + n + ", maxLen=" + maxLen);
        }
        int[][] tokens = new int[n][maxLen + 1];
        double[] score = new double[n];
        int[] length = new int[n]; // tokens after bos, including eos when finished
        boolean[] done = new boolean[n];
        for (int[] t : tokens) {
            t[0] = bos;
        }
        for (int step = 0; step < maxLen; step++) {
            List<Integer> alive = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!done[i]) {
                    alive.add(i);
                }
            }
            if (alive.isEmpty()) {
                break;
            }
            int[] rows = alive.stream().mapToInt(Integer::intValue).toArray();
            int[][] prefixes = new int[rows.length][];
            for (int k = 0; k < rows.length; k++) {
                prefixes[k] = Arrays.copyOf(tokens[rows[k]], step + 1);
            }
            double[][] lp = checked("Decoding.greedy", scorer.nextLogProbs(rows, prefixes), rows.length);
            for (int k = 0; k < rows.length; k++) {
                int i = rows[k];
                int best = argmax(lp[k]);
                tokens[i][step + 1] = best;
                score[i] += lp[k][best];
                length[i]++;
                done[i] = best == eos;
            }
        }
        Hypothesis[] out = new Hypothesis[n];
        for (int i = 0; i < n; i++) {
            int len = done[i] ? length[i] - 1 : length[i];
            out[i] = new Hypothesis(Arrays.copyOfRange(tokens[i], 1, 1 + len), score[i], done[i]);
        }
        return out;
    }

    /**
     * Beam search for one encoded source.
     *
     * @param scorer the model's scorer
     * @param row the index of the encoded source to decode
     * @param bos the beginning-of-sequence token
     * @param eos the end-of-sequence token
     * @param beamWidth the number of prefixes kept, at least 1
     * @param maxLen the most steps, at least 1
     * @return up to {@code beamWidth} hypotheses, finished ones first, each group best first
     */
    public static List<Hypothesis> beamSearch(StepScorer scorer, int row, int bos, int eos, int beamWidth, int maxLen) {
        if (scorer == null || beamWidth < 1 || maxLen < 1 || row < 0) {
            throw new IllegalArgumentException(
                    "Decoding.beamSearch: need a scorer, row >= 0, beamWidth >= 1 and maxLen >= 1, got row=" + row
                            + ", beamWidth=" + beamWidth + ", maxLen=" + maxLen);
        }
        List<int[]> alive = new ArrayList<>();
        List<Double> aliveScore = new ArrayList<>();
        alive.add(new int[] {bos});
        aliveScore.add(0.0);
        List<Hypothesis> finished = new ArrayList<>();
        for (int step = 0; step < maxLen && !alive.isEmpty(); step++) {
            int[] rows = new int[alive.size()];
            Arrays.fill(rows, row);
            double[][] lp =
                    checked("Decoding.beamSearch", scorer.nextLogProbs(rows, alive.toArray(new int[0][])), rows.length);
            // every (prefix, token) candidate, best first; ties by prefix, then token (a stable sort)
            int vocab = lp[0].length;
            Integer[] order = new Integer[alive.size() * vocab];
            double[] cand = new double[order.length];
            for (int k = 0; k < alive.size(); k++) {
                for (int v = 0; v < vocab; v++) {
                    order[k * vocab + v] = k * vocab + v;
                    cand[k * vocab + v] = aliveScore.get(k) + lp[k][v];
                }
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer c) -> -cand[c]));
            List<int[]> nextAlive = new ArrayList<>();
            List<Double> nextScore = new ArrayList<>();
            for (int c : order) {
                if (nextAlive.size() == beamWidth || (Double.isInfinite(cand[c]) && cand[c] < 0)) {
                    break;
                }
                int[] prefix = alive.get(c / vocab);
                int token = c % vocab;
                if (token == eos) {
                    finished.add(new Hypothesis(Arrays.copyOfRange(prefix, 1, prefix.length), cand[c], true));
                } else {
                    int[] p = Arrays.copyOf(prefix, prefix.length + 1);
                    p[prefix.length] = token;
                    nextAlive.add(p);
                    nextScore.add(cand[c]);
                }
            }
            alive = nextAlive;
            aliveScore = nextScore;
            finished.sort(Comparator.comparingDouble((Hypothesis h) -> -h.logProb()));
            if (finished.size() >= beamWidth
                    && (alive.isEmpty()
                            || aliveScore.get(0) <= finished.get(beamWidth - 1).logProb())) {
                break;
            }
        }
        List<Hypothesis> out = new ArrayList<>(finished.subList(0, Math.min(beamWidth, finished.size())));
        for (int k = 0; k < alive.size() && out.size() < beamWidth; k++) {
            int[] p = alive.get(k);
            out.add(new Hypothesis(Arrays.copyOfRange(p, 1, p.length), aliveScore.get(k), false));
        }
        return out;
    }

    private static double[][] checked(String op, double[][] lp, int rows) {
        if (lp == null || lp.length != rows) {
            throw new IllegalStateException(op + ": the scorer returned " + (lp == null ? "null" : lp.length + " rows")
                    + " for " + rows + " prefixes");
        }
        for (double[] r : lp) {
            if (r == null || r.length != lp[0].length || r.length == 0) {
                throw new IllegalStateException(op + ": the scorer returned rows of different or zero lengths");
            }
        }
        return lp;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
