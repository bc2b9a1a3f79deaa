package io.jgrad.layers;

import io.jgrad.autograd.Function;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Kernels;

/**
 * Cross entropy from logits {@code (N, C)} with integer targets, fused (log-softmax and negative
 * log-likelihood in one pass over each row, softmax recomputed from the saved log-sum-exp in the
 * backward), with PyTorch's class weights, ignore index and label smoothing. With smoothing eps and
 * weights w (ones when absent), the loss of a row n with target t is
 * {@code (1 - eps) w_t (lse - x_t) + eps / C * sum_c w_c (lse - x_c)}; ignored rows give 0; the mean
 * divides by the sum of {@code w_t} over the rows not ignored. As {@code lse} is computed from the
 * row maximum, logits of any size give finite values and gradients. FLOAT32 runs on the core's
 * row-wise log-softmax kernel and keeps the log-probabilities for the backward; FLOAT64 computes in
 * double and keeps only the log-sum-exp of each row.
 *
 * <p>With {@code logTarget} it is the negative log-likelihood of log-probabilities instead (no
 * softmax): the loss of a row is {@code -w_t x_t}.
 *
 * <p>Differentiable twice: when the backward pass records, the engine differentiates
 * {@link #composed}, the same loss written with variable operations (log-softmax, gather), instead
 * of the fused backward.
 */
final class CrossEntropyFunction extends Function {
    private final int[] target;
    private final double[] weight;
    private final int ignoreIndex;
    private final double smoothing;
    private final Reduction reduction;
    private final boolean nll;
    private int n;
    private int c;
    private double[] lse;
    private float[] logp;
    private double den;

    CrossEntropyFunction(
            Tensor target, Tensor weight, int ignoreIndex, double smoothing, Reduction reduction, boolean nll) {
        super(nll ? "nllLoss" : "crossEntropy");
        this.target = target.contiguous().toIntArray();
        this.weight = weight == null ? null : weight.toDoubleArray();
        this.ignoreIndex = ignoreIndex;
        this.smoothing = smoothing;
        this.reduction = reduction;
        this.nll = nll;
    }

    private double w(int cls) {
        return weight == null ? 1 : weight[cls];
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = Arrays0.dense(in[0]);
        n = x.size(0);
        c = x.size(1);
        String op = nll ? "nll" : "crossEntropy";
        for (int i = 0; i < n; i++) {
            int t = target[i];
            if (t != ignoreIndex && (t < 0 || t >= c)) {
                throw new IllegalArgumentException(op + ": target " + t + " at position " + i + " is out of bounds for "
                        + c + " classes (ignoreIndex " + ignoreIndex + ")");
            }
        }
        double wsum = 0;
        for (int k = 0; k < c; k++) {
            wsum += w(k);
        }
        if (!nll && x.dtype() == DType.FLOAT32) {
            return forwardFloat(x);
        }
        lse = new double[n];
        double[] loss = new double[n];
        double[] row = new double[c];
        den = 0;
        for (int i = 0; i < n; i++) {
            int t = target[i];
            if (t == ignoreIndex) {
                continue;
            }
            readRow(x, i, row);
            if (nll) {
                loss[i] = -w(t) * row[t];
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    max = Math.max(max, row[k]);
                }
                double s = 0;
                for (int k = 0; k < c; k++) {
                    s += Math.exp(row[k] - max);
                }
                double l = max + Math.log(s);
                lse[i] = l;
                double v = (1 - smoothing) * w(t) * (l - row[t]);
                if (smoothing != 0) {
                    double sw = 0;
                    for (int k = 0; k < c; k++) {
                        sw += w(k) * row[k];
                    }
                    v += smoothing / c * (wsum * l - sw);
                }
                loss[i] = v;
            }
            den += w(t);
        }
        ctx.save(x);
        return reduced(loss, x.dtype());
    }

    private Tensor reduced(double[] loss, DType dtype) {
        switch (reduction) {
            case NONE:
                return Tensor.wrap(loss).to(dtype);
            case SUM:
                return Tensor.scalar(dtype, sum(loss));
            default:
                return Tensor.scalar(dtype, sum(loss) / den);
        }
    }

    /**
     * FLOAT32: the log-softmax of all rows by the core's (vectorized) kernel, kept for the backward;
     * the loss of a row is {@code -(1 - eps) w_t logp_t - eps / C sum_c w_c logp_c}.
     */
    private Tensor forwardFloat(Tensor x) {
        Kernels k = KernelProvider.kernels();
        logp = new float[n * c];
        k.softmaxRows(x.floatData(), 0, logp, 0, n, c, true);
        float[] wf = weight == null ? null : Arrays0.floats(weight);
        double[] loss = new double[n];
        den = 0;
        for (int i = 0; i < n; i++) {
            int t = target[i];
            if (t == ignoreIndex) {
                continue;
            }
            int base = i * c;
            double v = -(1 - smoothing) * w(t) * logp[base + t];
            if (smoothing != 0) {
                double sw = wf == null ? k.sum(logp, base, c) : k.dot(wf, 0, logp, base, c);
                v -= smoothing / c * sw;
            }
            loss[i] = v;
            den += w(t);
        }
        return reduced(loss, DType.FLOAT32);
    }

    /** FLOAT32 gradient from the saved log-probabilities: {@code s (a p + b (W p - w))}, minus {@code s a} at the target. */
    private Tensor backwardFloat(double[] g, double wsum) {
        Kernels k = KernelProvider.kernels();
        float[] wf = weight == null ? null : Arrays0.floats(weight);
        float[] dx = new float[n * c];
        double a0 = 1 - smoothing;
        double b = smoothing / c;
        for (int i = 0; i < n; i++) {
            int t = target[i];
            if (t == ignoreIndex) {
                continue;
            }
            double s = reduction == Reduction.NONE ? g[i] : reduction == Reduction.SUM ? g[0] : g[0] / den;
            double a = a0 * w(t);
            int base = i * c;
            k.exp(logp, base, dx, base, c); // p
            k.mulScalar(dx, base, (float) (s * (a + b * wsum)), dx, base, c);
            if (b != 0) {
                if (wf == null) {
                    k.addScalar(dx, base, (float) (-s * b), dx, base, c);
                } else {
                    k.axpy(c, (float) (-s * b), wf, 0, dx, base);
                }
            }
            dx[base + t] -= (float) (s * a);
        }
        return Tensor.wrap(dx, n, c);
    }

    /**
     * The loss with variable operations: the log-probabilities ({@code x} itself for the NLL) of the
     * targets gathered and weighted by {@code w_t} (0 for ignored rows), plus the smoothing term
     * {@code eps / C sum_c w_c logp_c} of the rows not ignored; the mean divides by the forward's
     * denominator.
     */
    @Override
    protected Variable composed(Context ctx, Variable... in) {
        return composedForward(in);
    }

    /** {@link #composed} (after a forward; package-private for the tests). */
    Variable composedForward(Variable... in) {
        Variable x = in[0];
        DType dt = x.dtype();
        int[] safe = new int[n];
        double[] wt = new double[n];
        double[] valid = new double[n];
        for (int i = 0; i < n; i++) {
            int t = target[i];
            if (t != ignoreIndex) {
                safe[i] = t;
                wt[i] = w(t);
                valid[i] = 1;
            }
        }
        Variable lp = nll ? x : x.logSoftmax(1);
        Variable picked = lp.gather(1, Tensor.wrap(safe, n, 1)).reshape(n);
        Variable loss = picked.mul(Variable.constant(Arrays0.tensor(wt, dt, new int[] {n})))
                .mul(-(1 - smoothing));
        if (smoothing != 0) {
            Variable sw = weight == null
                    ? lp.sum(1, false)
                    : lp.mul(Variable.constant(Arrays0.tensor(weight, dt, new int[] {1, c})))
                            .sum(1, false);
            loss = loss.sub(sw.mul(Variable.constant(Arrays0.tensor(valid, dt, new int[] {n})))
                    .mul(smoothing / c));
        }
        switch (reduction) {
            case NONE:
                return loss;
            case SUM:
                return loss.sum();
            default:
                return loss.sum().div(den);
        }
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s;
    }

    @Override
    protected Variable[] backward(Context ctx, Variable gradOutput) {
        double[] g = gradOutput.data().contiguous().toDoubleArray();
        double wsum = 0;
        for (int k = 0; k < c; k++) {
            wsum += w(k);
        }
        if (logp != null) {
            return new Variable[] {Variable.constant(backwardFloat(g, wsum))};
        }
        Tensor x = ctx.saved(0);
        double[] dx = new double[n * c];
        double[] row = new double[c];
        for (int i = 0; i < n; i++) {
            int t = target[i];
            if (t == ignoreIndex) {
                continue;
            }
            double s = reduction == Reduction.NONE ? g[i] : reduction == Reduction.SUM ? g[0] : g[0] / den;
            int base = i * c;
            if (nll) {
                dx[base + t] = -s * w(t);
                continue;
            }
            readRow(x, i, row);
            double a = (1 - smoothing) * w(t);
            double b = smoothing / c;
            for (int k = 0; k < c; k++) {
                double p = Math.exp(row[k] - lse[i]);
                // d/dx_k of (lse - x_t) is p_k - [k == t]
                dx[base + k] = s * (a * p + b * (wsum * p - w(k)));
            }
            dx[base + t] -= s * a;
        }
        return new Variable[] {Variable.constant(Tensor.wrap(dx).reshape(n, c).to(x.dtype()))};
    }

    private void readRow(Tensor x, int i, double[] row) {
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
