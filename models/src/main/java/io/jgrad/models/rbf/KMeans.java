package io.jgrad.models.rbf;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * k-means clustering: k-means++ seeding (Arthur and Vassilvitskii 2007, "k-means++: the advantages of
 * careful seeding", SODA) followed by Lloyd's iterations (Lloyd 1982). Used by {@link RBFLayer} to place
 * its centres, as Moody and Darken (1989) proposed for RBF networks.
 *
 * <p>k-means++ draws the first centre uniformly from the samples ({@code g.nextInt(N)}) and each further
 * centre with probability proportional to {@code D(x)^2}, the squared distance from a sample to its
 * nearest centre chosen so far: one {@code u = g.nextDouble() * sum D^2}, then the first sample whose
 * running sum of {@code D^2} exceeds {@code u}. When every {@code D(x)} is zero (fewer distinct samples
 * than centres) the centre is drawn uniformly.
 */
public final class KMeans {
    /** Options; every setter checks its value and returns this. */
    public static final class Options {
        int maxIterations = 100;
        double tolerance = 1e-6;
        long seed = 1;

        /** Lloyd iterations at most, at least 0 (default 100; 0 keeps the k-means++ seeds). */
        public Options maxIterations(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("KMeans.Options: maxIterations must be at least 0, got " + n);
            }
            this.maxIterations = n;
            return this;
        }

        /** Stop when no centre moves by more than this (Euclidean), at least 0 (default 1e-6). */
        public Options tolerance(double t) {
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("KMeans.Options: tolerance must be at least 0 and finite, got " + t);
            }
            this.tolerance = t;
            return this;
        }

        /** Seed of the k-means++ draws (default 1). */
        public Options seed(long s) {
            this.seed = s;
            return this;
        }
    }

    /**
     * A clustering.
     *
     * @param centres {@code (k, d)}, the samples' type
     * @param assignments each sample's nearest centre, INT32 (N)
     * @param inertia the sum of squared distances from the samples to their centres
     * @param iterations the Lloyd iterations run
     */
    public record Result(Tensor centres, Tensor assignments, double inertia, int iterations) {}

    private KMeans() {}

    static Tensor checkData(String op, Tensor x, int k) {
        if (x == null || x.dim() != 2 || x.size(0) < 1 || x.size(1) < 1) {
            throw new IllegalArgumentException("KMeans." + op + ": expected samples (N, d) with N, d >= 1, got "
                    + (x == null ? "null" : Shape.format(x.shape())));
        }
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("KMeans." + op + ": expected FLOAT32 or FLOAT64 samples, got "
                    + x.dtype() + " " + Shape.format(x.shape()));
        }
        if (k < 1 || k > x.size(0)) {
            throw new IllegalArgumentException("KMeans." + op + ": k must be in [1, N] = [1, " + x.size(0) + "], got "
                    + k + " for samples " + Shape.format(x.shape()));
        }
        return x;
    }

    /**
     * Squared Euclidean distances between the rows of {@code x (N, d)} and of {@code c (k, d)}, via
     * {@code |x|^2 - 2 x c^T + |c|^2} (clamped at 0).
     *
     * @return {@code (N, k)}
     */
    public static Tensor squaredDistances(Tensor x, Tensor c) {
        if (x.dim() != 2 || c.dim() != 2 || x.size(1) != c.size(1)) {
            throw new IllegalArgumentException("KMeans.squaredDistances: expected (N, d) and (k, d), got "
                    + Shape.format(x.shape()) + " and " + Shape.format(c.shape()));
        }
        Tensor cn = c.square().sum(1, false);
        Tensor xn = x.square().sum(1, true);
        return Tensor.addmm(cn, x, c.t(), 1, -2).add(xn).clamp(0, Double.POSITIVE_INFINITY);
    }

    /**
     * k-means++ seeding.
     *
     * @param x samples (N, d)
     * @param k the number of centres, in [1, N]
     * @param g the random generator
     * @return the indices of the samples chosen as centres, in the order chosen
     */
    public static int[] plusPlusIndices(Tensor x, int k, Generator g) {
        checkData("plusPlus", x, k);
        if (g == null) {
            throw new IllegalArgumentException("KMeans.plusPlus: the generator must not be null");
        }
        int n = x.size(0);
        int[] chosen = new int[k];
        chosen[0] = g.nextInt(n);
        Tensor d2 = squaredDistances(x, x.narrow(0, chosen[0], 1)).reshape(n).to(DType.FLOAT64);
        for (int c = 1; c < k; c++) {
            double[] w = d2.contiguous().toDoubleArray();
            double total = 0;
            for (double v : w) {
                total += v;
            }
            int pick;
            if (!(total > 0)) {
                pick = g.nextInt(n);
            } else {
                double u = g.nextDouble() * total;
                double run = 0;
                pick = n - 1;
                for (int i = 0; i < n; i++) {
                    run += w[i];
                    if (run > u) {
                        pick = i;
                        break;
                    }
                }
                // never the last index by rounding when its weight is zero
                while (w[pick] == 0 && pick > 0) {
                    pick--;
                }
            }
            chosen[c] = pick;
            d2 = d2.minimum(squaredDistances(x, x.narrow(0, pick, 1)).reshape(n).to(DType.FLOAT64));
        }
        return chosen;
    }

    /**
     * k-means++ seeding.
     *
     * @param x samples (N, d)
     * @param k the number of centres, in [1, N]
     * @param g the random generator
     * @return the centres {@code (k, d)}, rows of {@code x}
     */
    public static Tensor plusPlus(Tensor x, int k, Generator g) {
        int[] idx = plusPlusIndices(x, k, g);
        return x.indexSelect(0, Tensor.wrap(idx, k)).contiguous();
    }

    /**
     * k-means++ seeding then Lloyd's iterations: assign every sample to its nearest centre, move every
     * centre to the mean of its samples (a centre left with no sample stays where it is), until no
     * centre moves by more than the tolerance.
     *
     * @param x samples (N, d)
     * @param k the number of clusters, in [1, N]
     * @param options the options
     * @return the clustering
     */
    public static Result fit(Tensor x, int k, Options options) {
        checkData("fit", x, k);
        if (options == null) {
            throw new IllegalArgumentException("KMeans.fit: options must not be null");
        }
        Tensor c = plusPlus(x, k, new Generator(options.seed));
        int it = 0;
        while (it < options.maxIterations) {
            it++;
            Tensor onehot = squaredDistances(x, c).argmin(1, false).oneHot(k).to(x.dtype());
            Tensor sums = onehot.t().matmul(x);
            Tensor counts = onehot.sum(0, false).unsqueeze(1);
            Tensor has = counts.gt(0);
            Tensor next = Tensor.where(has, sums.div(counts.maskedFill(has.eq(0), 1)), c);
            double shift = next.sub(c).square().sum(1, false).max().item();
            c = next;
            if (Math.sqrt(shift) <= options.tolerance) {
                break;
            }
        }
        Tensor d = squaredDistances(x, c);
        Tensor assign = d.argmin(1, false);
        double inertia = d.amin(new int[] {1}, false).to(DType.FLOAT64).sum().item();
        return new Result(c, assign, inertia, it);
    }
}
