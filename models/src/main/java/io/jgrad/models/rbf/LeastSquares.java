package io.jgrad.models.rbf;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Linear least squares in closed form, as used for the output layer of an RBF network (Broomhead and
 * Lowe 1988): the ridge-regularized normal equations {@code (A^T A + ridge I) X = A^T B}, formed with
 * the tensor core's matrix product and solved by a Cholesky factorization in double precision.
 */
public final class LeastSquares {
    /**
     * Weights and intercept of a linear map {@code B ~ A W + b}.
     *
     * @param weights {@code (K, M)}
     * @param intercept {@code (M)}
     */
    public record Fit(Tensor weights, Tensor intercept) {}

    private LeastSquares() {}

    /**
     * Minimizes {@code |A X - B|^2 + ridge |X|^2}.
     *
     * @param a the design matrix {@code (N, K)}
     * @param b the targets {@code (N, M)} or {@code (N)}
     * @param ridge at least 0; 0 needs {@code A^T A} positive definite (A of full column rank)
     * @return X, FLOAT64 {@code (K, M)} (or {@code (K)} for targets {@code (N)})
     * @throws IllegalArgumentException when the normal equations are not positive definite (raise the ridge)
     */
    public static Tensor ridge(Tensor a, Tensor b, double ridge) {
        checkShapes("ridge", a, b, ridge);
        boolean vector = b.dim() == 1;
        Tensor a64 = a.to(DType.FLOAT64);
        Tensor b64 = (vector ? b.unsqueeze(1) : b).to(DType.FLOAT64);
        int k = a.size(1);
        int m = b64.size(1);
        double[] g = a64.t().matmul(a64).contiguous().toDoubleArray();
        double[] r = a64.t().matmul(b64).contiguous().toDoubleArray();
        for (int i = 0; i < k; i++) {
            g[i * k + i] += ridge;
        }
        double[] l = cholesky(g, k);
        double[] x = solve(l, k, r, m);
        Tensor out = Tensor.wrap(x, k, m);
        return vector ? out.reshape(k) : out;
    }

    /**
     * Minimizes {@code |A W + 1 b^T - B|^2 + ridge |W|^2}, the intercept {@code b} not penalized: the
     * ridge solution on centred columns, then {@code b = mean(B) - mean(A) W}.
     *
     * @param a the design matrix {@code (N, K)}
     * @param b the targets {@code (N, M)}
     * @param ridge at least 0
     * @return the weights {@code (K, M)} and intercept {@code (M)}, FLOAT64
     */
    public static Fit ridgeWithIntercept(Tensor a, Tensor b, double ridge) {
        checkShapes("ridgeWithIntercept", a, b, ridge);
        if (b.dim() != 2) {
            throw new IllegalArgumentException(
                    "LeastSquares.ridgeWithIntercept: expected targets (N, M), got " + Shape.format(b.shape()));
        }
        Tensor a64 = a.to(DType.FLOAT64);
        Tensor b64 = b.to(DType.FLOAT64);
        Tensor am = a64.mean(0, true);
        Tensor bm = b64.mean(0, true);
        Tensor w = ridge(a64.sub(am), b64.sub(bm), ridge);
        Tensor intercept = bm.sub(am.matmul(w)).reshape(b.size(1));
        return new Fit(w, intercept);
    }

    private static void checkShapes(String op, Tensor a, Tensor b, double ridge) {
        if (a == null || b == null || a.dim() != 2 || b.dim() < 1 || b.dim() > 2 || b.size(0) != a.size(0)) {
            throw new IllegalArgumentException(
                    "LeastSquares." + op + ": expected A (N, K) and B (N, M) or (N) with the same N, got "
                            + (a == null ? "null" : Shape.format(a.shape())) + " and "
                            + (b == null ? "null" : Shape.format(b.shape())));
        }
        if (!a.dtype().isFloatingPoint() || !b.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(
                    "LeastSquares." + op + ": expected floating point A and B, got " + a.dtype() + " and " + b.dtype());
        }
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new IllegalArgumentException(
                    "LeastSquares." + op + ": the ridge must be at least 0 and finite, got " + ridge);
        }
    }

    /**
     * The Cholesky factor {@code L} (lower triangular, row-major {@code n x n}) of the symmetric
     * positive definite {@code g = L L^T}.
     *
     * @throws IllegalArgumentException when {@code g} is not positive definite
     */
    static double[] cholesky(double[] g, int n) {
        double[] l = new double[n * n];
        for (int j = 0; j < n; j++) {
            double s = g[j * n + j];
            for (int k = 0; k < j; k++) {
                s -= l[j * n + k] * l[j * n + k];
            }
            if (!(s > 0)) {
                throw new IllegalArgumentException("LeastSquares: the normal equations (" + n + "x" + n
                        + ") are not positive definite (pivot " + j + " is " + s + "); raise the ridge");
            }
            double d = Math.sqrt(s);
            l[j * n + j] = d;
            for (int i = j + 1; i < n; i++) {
                double t = g[i * n + j];
                for (int k = 0; k < j; k++) {
                    t -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = t / d;
            }
        }
        return l;
    }

    /** Solves {@code L L^T X = R} for X {@code (n, m)}, R row-major {@code (n, m)}. */
    static double[] solve(double[] l, int n, double[] r, int m) {
        double[] y = r.clone();
        for (int c = 0; c < m; c++) {
            for (int i = 0; i < n; i++) {
                double s = y[i * m + c];
                for (int k = 0; k < i; k++) {
                    s -= l[i * n + k] * y[k * m + c];
                }
                y[i * m + c] = s / l[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = y[i * m + c];
                for (int k = i + 1; k < n; k++) {
                    s -= l[k * n + i] * y[k * m + c];
                }
                y[i * m + c] = s / l[i * n + i];
            }
        }
        return y;
    }
}
