package io.jgrad.models.metric;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.Arrays;

/**
 * Measures of an embedding: verification ROC-AUC of pair scores, and k-nearest-neighbour
 * classification in the embedding space (or on any feature rows, such as raw pixels).
 */
public final class Embeddings {
    private static final int CHUNK = 256;

    private Embeddings() {}

    /**
     * The area under the ROC curve of scores that should be higher for positives: the probability
     * that a random positive scores above a random negative, ties counting one half (the
     * Mann-Whitney U statistic divided by the number of positive-negative pairs).
     *
     * @param scores one score per example
     * @param positive whether each example is a positive
     * @return the AUC in [0, 1]
     */
    public static double rocAuc(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(
                    "rocAuc: " + scores.length + " scores but " + positive.length + " labels");
        }
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("rocAuc: score " + i + " is NaN");
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSum = 0;
        long pos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1; // average rank of a run of ties
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSum += rank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            throw new IllegalArgumentException("rocAuc: needs positives and negatives, got " + pos + " and " + neg);
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * The k-nearest-neighbour predictions of {@code query} rows from {@code reference} rows by
     * Euclidean distance: the most frequent label among the k nearest, ties going to the label
     * whose nearest member is closer.
     *
     * @param reference (M, D) rows with known labels (any dtype of floats)
     * @param referenceLabels (M) labels, non-negative
     * @param query (Q, D) rows to classify
     * @param k the number of neighbours, in [1, M]
     * @return (Q) predicted labels
     */
    public static int[] knnPredict(Tensor reference, int[] referenceLabels, Tensor query, int k) {
        if (reference.dim() != 2 || query.dim() != 2 || reference.size(1) != query.size(1)) {
            throw new IllegalArgumentException("knnPredict: expected reference (M, D) and query (Q, D), got "
                    + Shape.format(reference.shape()) + " and " + Shape.format(query.shape()));
        }
        int m = reference.size(0);
        if (referenceLabels.length != m) {
            throw new IllegalArgumentException(
                    "knnPredict: " + m + " reference rows but " + referenceLabels.length + " labels");
        }
        if (k < 1 || k > m) {
            throw new IllegalArgumentException("knnPredict: k must be in [1, " + m + "], got " + k);
        }
        int classes = 0;
        for (int y : referenceLabels) {
            if (y < 0) {
                throw new IllegalArgumentException("knnPredict: labels must be non-negative, got " + y);
            }
            classes = Math.max(classes, y + 1);
        }
        Tensor ref = reference.to(DType.FLOAT32).contiguous();
        Tensor refT = ref.t().contiguous();
        float[] refSq = ref.square().sum(1, false).toFloatArray();
        int q = query.size(0);
        int[] out = new int[q];
        for (int start = 0; start < q; start += CHUNK) {
            int b = Math.min(CHUNK, q - start);
            Tensor chunk = query.narrow(0, start, b).to(DType.FLOAT32).contiguous();
            // |x - r|^2 = |x|^2 - 2 x.r + |r|^2; |x|^2 is the same for every r, so it is left out
            float[] dot = chunk.matmul(refT).toFloatArray();
            for (int i = 0; i < b; i++) {
                out[start + i] = vote(dot, i * m, refSq, referenceLabels, k, classes);
            }
        }
        return out;
    }

    private static int vote(float[] dot, int off, float[] refSq, int[] labels, int k, int classes) {
        int m = refSq.length;
        // the k smallest distances by insertion into a sorted list of length k
        float[] best = new float[k];
        int[] who = new int[k];
        Arrays.fill(best, Float.POSITIVE_INFINITY);
        for (int j = 0; j < m; j++) {
            float d = refSq[j] - 2 * dot[off + j];
            if (d < best[k - 1]) {
                int p = k - 1;
                while (p > 0 && best[p - 1] > d) {
                    best[p] = best[p - 1];
                    who[p] = who[p - 1];
                    p--;
                }
                best[p] = d;
                who[p] = j;
            }
        }
        int[] votes = new int[classes];
        int winner = labels[who[0]];
        for (int p = 0; p < k; p++) {
            int y = labels[who[p]];
            votes[y]++;
            // strictly more votes wins; on a tie the earlier (nearer) label stays
            if (votes[y] > votes[winner]) {
                winner = y;
            }
        }
        return winner;
    }

    /**
     * The accuracy of {@link #knnPredict} on labelled queries.
     *
     * @param reference (M, D)
     * @param referenceLabels (M)
     * @param query (Q, D)
     * @param queryLabels (Q)
     * @param k the number of neighbours
     * @return the fraction of queries classified correctly
     */
    public static double knnAccuracy(Tensor reference, int[] referenceLabels, Tensor query, int[] queryLabels, int k) {
        int[] pred = knnPredict(reference, referenceLabels, query, k);
        if (queryLabels.length != pred.length) {
            throw new IllegalArgumentException(
                    "knnAccuracy: " + pred.length + " queries but " + queryLabels.length + " labels");
        }
        int ok = 0;
        for (int i = 0; i < pred.length; i++) {
            ok += pred[i] == queryLabels[i] ? 1 : 0;
        }
        return ok / (double) pred.length;
    }

    /**
     * The projection of rows on their first two principal components (the top eigenvectors of the
     * covariance), for a 2-D plot.
     *
     * @param x (N, D) with N at least 2
     * @return (N, 2) in FLOAT64
     */
    public static Tensor pca2(Tensor x) {
        if (x.dim() != 2 || x.size(0) < 2 || x.size(1) < 2) {
            throw new IllegalArgumentException("pca2: expected (N, D) with N, D >= 2, got " + Shape.format(x.shape()));
        }
        Tensor c = x.to(DType.FLOAT64);
        c = c.sub(c.mean(0, false));
        Tensor cov = c.t().matmul(c).div(c.size(0) - 1);
        io.jgrad.core.SymmetricEigen eig = io.jgrad.core.SymmetricEigen.of(cov);
        int d = x.size(1);
        double[][] v = eig.vectors();
        double[] basis = new double[d * 2];
        for (int i = 0; i < d; i++) {
            basis[i * 2] = v[i][d - 1]; // eigenvalues ascend: the last two columns are the largest
            basis[i * 2 + 1] = v[i][d - 2];
        }
        return c.matmul(Tensor.of(basis, d, 2));
    }
}
