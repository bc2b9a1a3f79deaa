package io.jgrad.models.som;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;

/** The principal components of a data matrix, by the cyclic Jacobi eigenvalue method on its covariance. */
final class Pca {
    /** The mean (d). */
    final double[] mean;
    /** The eigenvalues of the covariance, largest first (d). */
    final double[] values;
    /** The unit eigenvectors, {@code vectors[k]} for {@code values[k]}; the largest component of each is positive. */
    final double[][] vectors;

    private Pca(double[] mean, double[] values, double[][] vectors) {
        this.mean = mean;
        this.values = values;
        this.vectors = vectors;
    }

    /** The PCA of the rows of {@code data (N, d)}, N at least 2. */
    static Pca of(Tensor data) {
        Tensor x = data.to(DType.FLOAT64);
        int n = x.size(0);
        int d = x.size(1);
        Tensor mu = x.mean(0, false);
        Tensor c = x.sub(mu);
        double[] cov = c.t().matmul(c).div(Math.max(1, n - 1)).contiguous().toDoubleArray();
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(cov, i * d, a[i], 0, d);
        }
        double[][] v = new double[d][d];
        for (int i = 0; i < d; i++) {
            v[i][i] = 1;
        }
        jacobi(a, v);
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (p, q) -> Double.compare(a[q][q], a[p][p]));
        double[] values = new double[d];
        double[][] vectors = new double[d][d];
        for (int k = 0; k < d; k++) {
            int col = order[k];
            values[k] = Math.max(0, a[col][col]);
            int big = 0;
            for (int i = 0; i < d; i++) {
                vectors[k][i] = v[i][col];
                if (Math.abs(v[i][col]) > Math.abs(v[big][col])) {
                    big = i;
                }
            }
            if (vectors[k][big] < 0) {
                for (int i = 0; i < d; i++) {
                    vectors[k][i] = -vectors[k][i];
                }
            }
        }
        return new Pca(mu.toDoubleArray(), values, vectors);
    }

    /** Diagonalizes the symmetric {@code a} in place, accumulating the rotations in {@code v} (columns = eigenvectors). */
    static void jacobi(double[][] a, double[][] v) {
        int n = a.length;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int p = 0; p < n; p++) {
                diag += a[p][p] * a[p][p];
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-30 * Math.max(diag, 1e-300)) {
                return;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p][q];
                    if (Math.abs(apq) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double cs = 1 / Math.sqrt(t * t + 1);
                    double sn = t * cs;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = cs * akp - sn * akq;
                        a[k][q] = sn * akp + cs * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = cs * apk - sn * aqk;
                        a[q][k] = sn * apk + cs * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = cs * vkp - sn * vkq;
                        v[k][q] = sn * vkp + cs * vkq;
                    }
                }
            }
        }
    }
}
