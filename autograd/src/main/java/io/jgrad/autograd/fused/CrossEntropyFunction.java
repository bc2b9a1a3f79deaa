package io.jgrad.autograd.fused;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.CrossEntropyKernels;
import java.util.Arrays;

/**
 * Cross entropy from logits {@code (N, C)} with integer targets, fused (log-softmax and negative
 * log-likelihood in one pass over each row, softmax recomputed from the saved log-sum-exp in the
 * backward), with PyTorch's class weights, ignore index and label smoothing. With smoothing eps and
 * weights w (ones when absent), the loss of a row n with target t is
 * {@code (1 - eps) w_t (lse - x_t) + eps / C * sum_c w_c (lse - x_c)}; ignored rows give 0; the mean
 * divides by the sum of {@code w_t} over the rows not ignored. As {@code lse} is computed from the
 * row maximum, logits of any size give finite values and gradients. FLOAT32 runs on the core's
 * row-wise log-softmax kernel and keeps the log-probabilities for the backward; FLOAT64 computes in
 * double and keeps only the log-sum-exp of each row ({@link CrossEntropyKernels}).
 *
 * <p>With {@code nll} it is the negative log-likelihood of log-probabilities instead (no softmax):
 * the loss of a row is {@code -w_t x_t}.
 *
 * <p>Differentiable twice: when the backward pass records, the engine differentiates
 * {@link #composedForward}, the same loss written with variable operations (log-softmax, gather),
 * instead of the fused backward.
 */
public final class CrossEntropyFunction extends FusedFunction {
    /** How the losses of the rows are combined. */
    public enum Reduction {
        /** One loss per row. */
        NONE,
        /** The weighted mean: the sum divided by the sum of the target weights of the rows not ignored. */
        MEAN,
        /** The sum. */
        SUM
    }

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

    /**
     * A cross entropy (or NLL) against fixed targets.
     *
     * @param target the INT32 target class of each row (N)
     * @param weight the class weights (C), or null
     * @param ignoreIndex the target value of rows that give no loss
     * @param smoothing the label smoothing eps in [0, 1] (0 with nll)
     * @param reduction how the losses of the rows are combined
     * @param nll whether the input holds log-probabilities (the negative log-likelihood)
     */
    public CrossEntropyFunction(
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
        Tensor x = Dense.of(in[0]);
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
        double[] loss = new double[n];
        if (!nll && x.dtype() == DType.FLOAT32) {
            logp = new float[n * c];
            den = CrossEntropyKernels.forwardFloat(x, target, ignoreIndex, weight, smoothing, logp, loss);
            return reduced(loss, DType.FLOAT32);
        }
        lse = new double[n];
        den = CrossEntropyKernels.forwardDouble(x, target, ignoreIndex, weight, smoothing, nll, lse, loss);
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
     * The loss with variable operations: the log-probabilities ({@code x} itself for the NLL) of the
     * targets gathered and weighted by {@code w_t} (0 for ignored rows), plus the smoothing term
     * {@code eps / C sum_c w_c logp_c} of the rows not ignored; the mean divides by the forward's
     * denominator.
     */
    @Override
    public Variable composedForward(Variable... in) {
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
        Variable loss = picked.mul(Variable.constant(Dense.tensor(wt, dt, n))).mul(-(1 - smoothing));
        if (smoothing != 0) {
            Variable sw = weight == null
                    ? lp.sum(1, false)
                    : lp.mul(Variable.constant(Dense.tensor(weight, dt, 1, c))).sum(1, false);
            loss = loss.sub(
                    sw.mul(Variable.constant(Dense.tensor(valid, dt, n))).mul(smoothing / c));
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
        // the gradient of each row's loss
        double[] s = g;
        if (reduction != Reduction.NONE) {
            s = new double[n];
            Arrays.fill(s, reduction == Reduction.SUM ? g[0] : g[0] / den);
        }
        if (logp != null) {
            float[] dx = new float[n * c];
            CrossEntropyKernels.backwardFloat(logp, n, c, target, ignoreIndex, weight, smoothing, s, dx);
            return new Variable[] {Variable.constant(Tensor.wrap(dx, n, c))};
        }
        Tensor x = ctx.saved(0);
        double[] dx = new double[n * c];
        CrossEntropyKernels.backwardDouble(x, lse, target, ignoreIndex, weight, smoothing, nll, s, dx);
        return new Variable[] {Variable.constant(Tensor.wrap(dx).reshape(n, c).to(x.dtype()))};
    }
}
