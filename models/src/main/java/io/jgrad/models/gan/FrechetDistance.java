package io.jgrad.models.gan;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.SymmetricEigen;
import io.jgrad.core.Tensor;

/**
 * The Frechet distance between two Gaussians, the measure behind the Frechet Inception Distance
 * (Heusel et al. 2017, "GANs trained by a two time-scale update rule converge to a local Nash
 * equilibrium"): for feature sets fitted by {@code N(m1, C1)} and {@code N(m2, C2)},
 * <pre>
 * d^2 = |m1 - m2|^2 + tr(C1) + tr(C2) - 2 tr((C1 C2)^(1/2))
 * </pre>
 * with {@code tr((C1 C2)^(1/2)) = tr((S C2 S)^(1/2))}, {@code S = C1^(1/2)}: both square roots are of
 * symmetric positive semi-definite matrices and are computed from symmetric eigendecompositions
 * (cyclic Jacobi rotations, in double precision; negative eigenvalues from rounding are taken as 0).
 * Covariances are the unbiased sample covariances (divided by {@code n - 1}), as {@code numpy.cov}. The
 * feature dimension should stay small (Jacobi costs O(d^3) per sweep; d = 128 takes milliseconds).
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /**
     * A Gaussian fit: the mean and covariance of a set of feature vectors.
     *
     * @param mean the mean (d)
     * @param cov the covariance (d x d)
     */
    public record Gaussian(double[] mean, double[][] cov) {
        /** The dimension d. */
        public int dim() {
            return mean.length;
        }
    }

    /**
     * Fits a Gaussian to feature vectors.
     *
     * @param features {@code (n, d)} with {@code n >= 2}
     * @return the sample mean and unbiased covariance
     */
    public static Gaussian fit(Tensor features) {
        if (features.dim() != 2 || features.size(0) < 2 || features.size(1) < 1) {
            throw new IllegalArgumentException(
                    "FrechetDistance.fit: expected features (n, d) with n >= 2 and d >= 1, got "
                            + Shape.format(features.shape()));
        }
        int n = features.size(0);
        int d = features.size(1);
        double[] x = features.contiguous().to(DType.FLOAT64).toDoubleArray();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                c[j] = x[i * d + j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                double ca = c[a];
                if (ca == 0) {
                    continue;
                }
                double[] row = cov[a];
                for (int b = a; b < d; b++) {
                    row[b] += ca * c[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
        }
        return new Gaussian(mean, cov);
    }

    /**
     * The Frechet distance between Gaussian fits of two feature sets.
     *
     * @param a features {@code (n1, d)}
     * @param b features {@code (n2, d)}
     * @return the distance squared, {@code d^2} above (the quantity reported as FID)
     */
    public static double distance(Tensor a, Tensor b) {
        return distance(fit(a), fit(b));
    }

    /**
     * The Frechet distance between two Gaussians.
     *
     * @param p the first
     * @param q the second, of the same dimension
     * @return {@code |m1 - m2|^2 + tr(C1) + tr(C2) - 2 tr((C1 C2)^(1/2))}, at least 0
     */
    public static double distance(Gaussian p, Gaussian q) {
        int d = p.dim();
        if (q.dim() != d) {
            throw new IllegalArgumentException("FrechetDistance: dimensions differ, " + d + " and " + q.dim());
        }
        double diff = 0;
        for (int i = 0; i < d; i++) {
            double t = p.mean[i] - q.mean[i];
            diff += t * t;
        }
        double[][] s = sqrtPsd(p.cov);
        double[][] m = multiply(multiply(s, q.cov), s);
        double trSqrt = 0;
        for (double ev : symmetricEigenvalues(m)) {
            trSqrt += Math.sqrt(Math.max(ev, 0));
        }
        double tr = 0;
        for (int i = 0; i < d; i++) {
            tr += p.cov[i][i] + q.cov[i][i];
        }
        return Math.max(0, diff + tr - 2 * trSqrt);
    }

    /**
     * The square root of a symmetric positive semi-definite matrix: {@code V diag(sqrt(max(l, 0))) V^T}
     * from its eigendecomposition.
     *
     * @param a a symmetric matrix (only its symmetric part is used)
     * @return the symmetric square root
     */
    public static double[][] sqrtPsd(double[][] a) {
        int n = a.length;
        SymmetricEigen eig = SymmetricEigen.of(a);
        double[][] v = eig.vectors();
        double[] l = eig.values();
        double[][] out = new double[n][n];
        for (int k = 0; k < n; k++) {
            double r = Math.sqrt(Math.max(l[k], 0));
            if (r == 0) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                double vi = v[i][k] * r;
                for (int j = 0; j < n; j++) {
                    out[i][j] += vi * v[j][k];
                }
            }
        }
        return out;
    }

    /**
     * The eigenvalues of a symmetric matrix ({@link SymmetricEigen}).
     *
     * @param a a symmetric matrix (only its symmetric part is used)
     * @return the eigenvalues, ascending
     */
    public static double[] symmetricEigenvalues(double[][] a) {
        return SymmetricEigen.of(a).values();
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length;
        int m = y[0].length;
        int k = y.length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < k; l++) {
                double xil = x[i][l];
                if (xil == 0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    out[i][j] += xil * y[l][j];
                }
            }
        }
        return out;
    }
}
