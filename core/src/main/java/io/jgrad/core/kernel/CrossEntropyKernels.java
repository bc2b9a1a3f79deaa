package io.jgrad.core.kernel;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;

/**
 * The fused loops of cross entropy from logits {@code x (N, C)} with integer targets, PyTorch's class
 * weights {@code w} (ones when null), ignore index and label smoothing {@code eps}: the loss of a row
 * with target t is {@code (1 - eps) w_t (lse - x_t) + eps / C sum_c w_c (lse - x_c)}, where lse is the
 * row's log-sum-exp, and 0 for an ignored row. With {@code nll} the logits are log-probabilities
 * already and the loss of a row is {@code -w_t x_t}.
 *
 * <p>FLOAT32 cross entropy runs on the active {@link Kernels} (the row-wise log-softmax, SIMD when
 * enabled) and keeps the log-probabilities for the backward; the other cases compute in double and keep
 * only the log-sum-exp of each row. Tensors are contiguous from index 0; targets are trusted to be in
 * range or the ignore index (the callers check them).
 */
public final class CrossEntropyKernels {
    private CrossEntropyKernels() {}

    private static double w(double[] weight, int cls) {
        return weight == null ? 1 : weight[cls];
    }

    private static double weightSum(double[] weight, int c) {
        double wsum = 0;
        for (int k = 0; k < c; k++) {
            wsum += w(weight, k);
        }
        return wsum;
    }

    private static float[] floats(double[] v) {
        if (v == null) {
            return null;
        }
        float[] f = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            f[k] = (float) v[k];
        }
        return f;
    }

    /**
     * FLOAT32 cross entropy: the log-softmax of every row into {@code logp}, then the loss of each row
     * {@code -(1 - eps) w_t logp_t - eps / C sum_c w_c logp_c} into {@code loss}.
     *
     * @param x the FLOAT32 logits (N, C)
     * @param target the target class of each row
     * @param ignoreIndex the target value of rows to ignore
     * @param weight the class weights (C), or null
     * @param smoothing the label smoothing eps
     * @param logp the log-probabilities (N C; written), kept for {@link #backwardFloat}
     * @param loss the loss of each row (N; written, 0 for ignored rows)
     * @return the sum of {@code w_t} over the rows not ignored (the denominator of the mean)
     */
    public static double forwardFloat(
            Tensor x, int[] target, int ignoreIndex, double[] weight, double smoothing, float[] logp, double[] loss) {
        return forwardFloat(
                KernelProvider.kernels(),
                x.floatData(),
                x.size(0),
                x.size(1),
                target,
                ignoreIndex,
                weight,
                smoothing,
                logp,
                loss);
    }

    static double forwardFloat(
            Kernels k,
            float[] x,
            int n,
            int c,
            int[] target,
            int ignoreIndex,
            double[] weight,
            double smoothing,
            float[] logp,
            double[] loss) {
        k.softmaxRows(x, 0, logp, 0, n, c, true);
        float[] wf = floats(weight);
        double den = 0;
        for (int i = 0; i < n; i++) {
            int t = target[i];
            if (t == ignoreIndex) {
                continue;
            }
            int base = i * c;
            double v = -(1 - smoothing) * w(weight, t) * logp[base + t];
            if (smoothing != 0) {
                double sw = wf == null ? k.sum(logp, base, c) : k.dot(wf, 0, logp, base, c);
                v -= smoothing / c * sw;
            }
            loss[i] = v;
            den += w(weight, t);
        }
        return den;
    }

    /**
     * FLOAT32 cross-entropy gradient from the saved log-probabilities: with {@code p = exp(logp)},
     * {@code a = (1 - eps) w_t} and {@code b = eps / C}, row i of dx is
     * {@code s_i (a p + b (W p - w))} minus {@code s_i a} at the target, where W is the sum of the
     * weights.
     *
     * @param logp the forward's log-probabilities (N C)
     * @param n N
     * @param c C
     * @param target the target class of each row
     * @param ignoreIndex the target value of rows to ignore (their gradient stays 0)
     * @param weight the class weights (C), or null
     * @param smoothing the label smoothing eps
     * @param s the gradient of the loss of each row (N)
     * @param dx the gradient of the logits (N C; written where not ignored, else left as is)
     */
    public static void backwardFloat(
            float[] logp,
            int n,
            int c,
            int[] target,
            int ignoreIndex,
            double[] weight,
            double smoothing,
            double[] s,
            float[] dx) {
        backwardFloat(KernelProvider.kernels(), logp, n, c, target, ignoreIndex, weight, smoothing, s, dx);
    }

    static void backwardFloat(
            Kernels k,
            float[] logp,
            int n,
            int c,
            int[] target,
            int ignoreIndex,
            double[] weight,
            double smoothing,
            double[] s,
            float[] dx) {
        float[] wf = floats(weight);
        double wsum = weightSum(weight, c);
        double a0 = 1 - smoothing;
        double b = smoothing / c;
        for (int i = 0; i < n; i++) {
            int t = target[i];
            if (t == ignoreIndex) {
                continue;
            }
            double si = s[i];
            double a = a0 * w(weight, t);
            int base = i * c;
            k.exp(logp, base, dx, base, c); // p
            k.mulScalar(dx, base, (float) (si * (a + b * wsum)), dx, base, c);
            if (b != 0) {
                if (wf == null) {
                    k.addScalar(dx, base, (float) (-si * b), dx, base, c);
                } else {
                    k.axpy(c, (float) (-si * b), wf, 0, dx, base);
                }
            }
            dx[base + t] -= (float) (si * a);
        }
    }

    /**
     * Cross entropy (or, with {@code nll}, the negative log-likelihood) computed in double from FLOAT32
     * or FLOAT64 logits: the loss of each row into {@code loss} and, for cross entropy, its log-sum-exp
     * into {@code lse}.
     *
     * @param x the logits (N, C), FLOAT32 or FLOAT64
     * @param target the target class of each row
     * @param ignoreIndex the target value of rows to ignore
     * @param weight the class weights (C), or null
     * @param smoothing the label smoothing eps (0 with nll)
     * @param nll whether x holds log-probabilities (no softmax)
     * @param lse the log-sum-exp of each row (N; written for cross entropy), kept for {@link #backwardDouble}
     * @param loss the loss of each row (N; written, 0 for ignored rows)
     * @return the sum of {@code w_t} over the rows not ignored (the denominator of the mean)
     */
    public static double forwardDouble(
            Tensor x,
            int[] target,
            int ignoreIndex,
            double[] weight,
            double smoothing,
            boolean nll,
            double[] lse,
            double[] loss) {
        int n = x.size(0);
        int c = x.size(1);
        double wsum = weightSum(weight, c);
        double[] row = new double[c];
        double den = 0;
        for (int i = 0; i < n; i++) {
            int t = target[i];
            if (t == ignoreIndex) {
                continue;
            }
            readRow(x, i, row);
            if (nll) {
                loss[i] = -w(weight, t) * row[t];
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    max = Math.max(max, row[k]);
                }
                double sum = 0;
                for (int k = 0; k < c; k++) {
                    sum += Math.exp(row[k] - max);
                }
                double l = max + Math.log(sum);
                lse[i] = l;
                double v = (1 - smoothing) * w(weight, t) * (l - row[t]);
                if (smoothing != 0) {
                    double sw = 0;
                    for (int k = 0; k < c; k++) {
                        sw += w(weight, k) * row[k];
                    }
                    v += smoothing / c * (wsum * l - sw);
                }
                loss[i] = v;
            }
            den += w(weight, t);
        }
        return den;
    }

    /**
     * The gradient of {@link #forwardDouble} in double: for cross entropy, with {@code p = exp(x - lse)},
     * {@code a = (1 - eps) w_t} and {@code b = eps / C}, row i is {@code s_i (a p + b (W p - w))} minus
     * {@code s_i a} at the target; for the NLL it is {@code -s_i w_t} at the target and 0 elsewhere.
     *
     * @param x the forward's logits (N, C), FLOAT32 or FLOAT64
     * @param lse the forward's log-sum-exp of each row (unused with nll)
     * @param target the target class of each row
     * @param ignoreIndex the target value of rows to ignore (their gradient stays 0)
     * @param weight the class weights (C), or null
     * @param smoothing the label smoothing eps
     * @param nll whether x holds log-probabilities
     * @param s the gradient of the loss of each row (N)
     * @param dx the gradient of the logits (N C; written where not ignored, else left as is)
     */
    public static void backwardDouble(
            Tensor x,
            double[] lse,
            int[] target,
            int ignoreIndex,
            double[] weight,
            double smoothing,
            boolean nll,
            double[] s,
            double[] dx) {
        int n = x.size(0);
        int c = x.size(1);
        double wsum = weightSum(weight, c);
        double[] row = new double[c];
        for (int i = 0; i < n; i++) {
            int t = target[i];
            if (t == ignoreIndex) {
                continue;
            }
            double si = s[i];
            int base = i * c;
            if (nll) {
                dx[base + t] = -si * w(weight, t);
                continue;
            }
            readRow(x, i, row);
            double a = (1 - smoothing) * w(weight, t);
            double b = smoothing / c;
            for (int k = 0; k < c; k++) {
                double p = Math.exp(row[k] - lse[i]);
                // d/dx_k of (lse - x_t) is p_k - [k == t]
                dx[base + k] = si * (a * p + b * (wsum * p - w(weight, k)));
            }
            dx[base + t] -= si * a;
        }
    }

    /** Row i of x (N, C) as doubles. */
    private static void readRow(Tensor x, int i, double[] row) {
        int c = row.length;
        int base = i * c;
        if (x.dtype() == DType.FLOAT32) {
            float[] f = x.floatData();
            for (int k = 0; k < c; k++) {
                row[k] = f[base + k];
            }
        } else {
            System.arraycopy(x.doubleData(), base, row, 0, c);
        }
    }
}
