package io.jgrad.core;

import java.util.Arrays;

/**
 * The eigendecomposition {@code A = V diag(values) V^T} of a real symmetric matrix, like
 * {@code torch.linalg.eigh}: eigenvalues in ascending order, orthonormal eigenvectors as the columns of
 * {@code V}. Computed in double precision by the cyclic Jacobi method (rotations that zero the
 * off-diagonal elements in turn until they are negligible next to the diagonal): accurate, and fast
 * enough for the small matrices it is meant for (covariances of a few hundred features at most).
 *
 * @param values the eigenvalues, ascending (n)
 * @param vectors the eigenvectors, {@code vectors[i][k]} being component i of the eigenvector of
 *     {@code values[k]} (n x n)
 */
public record SymmetricEigen(double[] values, double[][] vectors) {
    private static final int MAX_SWEEPS = 100;

    /**
     * Decomposes the symmetric part {@code (A + A^T) / 2} of a square matrix.
     *
     * @param a the matrix (n x n); left unchanged
     * @return its eigendecomposition
     */
    public static SymmetricEigen of(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("SymmetricEigen: expected a square matrix, row " + i + " has "
                        + a[i].length + " entries instead of " + n);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = 0.5 * (a[i][j] + a[j][i]);
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException(
                            "SymmetricEigen: the matrix holds " + x + " at (" + i + ", " + j + ")");
                }
                m[i][j] = x;
            }
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        jacobi(m, v);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Double.compare(m[p][p], m[q][q]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            values[k] = m[order[k]][order[k]];
            for (int i = 0; i < n; i++) {
                vectors[i][k] = v[i][order[k]];
            }
        }
        return new SymmetricEigen(values, vectors);
    }

    /**
     * Decomposes a symmetric matrix given as a 2-D tensor (any floating type).
     *
     * @param a the matrix (n, n)
     * @return its eigendecomposition
     */
    public static SymmetricEigen of(Tensor a) {
        if (a.dim() != 2 || a.size(0) != a.size(1)) {
            throw new IllegalArgumentException(
                    "SymmetricEigen: expected a square matrix, got " + Shape.format(a.shape()));
        }
        int n = a.size(0);
        double[] flat = a.contiguous().toDoubleArray();
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * n, m[i], 0, n);
        }
        return of(m);
    }

    /** Diagonalizes the symmetric {@code a} in place, accumulating the rotations in {@code v}. */
    private static void jacobi(double[][] a, double[][] v) {
        int n = a.length;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            double diag = 0;
            for (int p = 0; p < n; p++) {
                diag += a[p][p] * a[p][p];
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off == 0 || off <= 1e-30 * diag) {
                return;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p][q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = theta == 0 ? 1 : Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
    }
}
