package io.jgrad.models.som;

import io.jgrad.core.DType;
import io.jgrad.core.SymmetricEigen;
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
        SymmetricEigen eig = SymmetricEigen.of(a);
        double[] values = new double[d];
        double[][] vectors = new double[d][d];
        for (int k = 0; k < d; k++) {
            int col = d - 1 - k; // largest first
            values[k] = Math.max(0, eig.values()[col]);
            int big = 0;
            for (int i = 0; i < d; i++) {
                vectors[k][i] = eig.vectors()[i][col];
                if (Math.abs(vectors[k][i]) > Math.abs(vectors[k][big])) {
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
}
