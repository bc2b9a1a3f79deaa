package io.jgrad.autograd.fused;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.NormKernels;

/**
 * Per-channel normalization of {@code x (N, C, L)} with given statistics:
 * {@code y = (x - mean[c]) * rstd[c] * w[c] + b[c]}, computed as one affine pass ({@link NormKernels}).
 * With batch statistics the backward accounts for their dependence on x (two passes); with running
 * statistics they are constants. Inputs: x, then w and b (C) when present. Differentiable twice: when
 * the backward pass records, the engine differentiates {@link #composedForward}, the same normalization
 * written with variable operations, instead of the fused backward.
 */
public final class BatchNormFunction extends FusedFunction {
    private final int n;
    private final int c;
    private final int l;
    private final double eps;
    private double[] mean;
    private double[] rstd;
    private double[] var;
    private final boolean batchStats;
    private final boolean hasWeight;
    private final boolean hasBias;

    /**
     * A batch normalization of x viewed as {@code (n, c, l)}.
     *
     * @param n N
     * @param c C, the channels
     * @param l L, the elements per channel and sample
     * @param eps added to the variance
     * @param runningMean the running means (C) to normalize with, or null for the batch's statistics
     * @param runningVar the running variances (C), with runningMean
     * @param hasWeight whether a scale w (C) follows x in the inputs
     * @param hasBias whether a shift b (C) follows (x and w) in the inputs
     */
    public BatchNormFunction(
            int n,
            int c,
            int l,
            double eps,
            double[] runningMean,
            double[] runningVar,
            boolean hasWeight,
            boolean hasBias) {
        super("batchNorm");
        this.n = n;
        this.c = c;
        this.l = l;
        this.eps = eps;
        this.batchStats = runningMean == null;
        if (!batchStats) {
            mean = runningMean;
            rstd = new double[c];
            for (int ch = 0; ch < c; ch++) {
                rstd[ch] = 1 / Math.sqrt(runningVar[ch] + eps);
            }
        }
        this.hasWeight = hasWeight;
        this.hasBias = hasBias;
    }

    /**
     * Normalizes {@code x}, viewed as (N, C, L), with the batch's statistics when this function was
     * made without running statistics (then available from {@link #batchMean()} and
     * {@link #batchVar()} after the call), else with the running ones.
     *
     * @param x the input
     * @param w the scale (C), or null
     * @param b the shift (C), or null
     * @return the normalized input, shaped as x
     */
    public Variable run(Variable x, Variable w, Variable b) {
        if (w != null && b != null) {
            return apply(new Variable[] {x, w, b});
        }
        if (w != null) {
            return apply(new Variable[] {x, w});
        }
        if (b != null) {
            return apply(new Variable[] {x, b});
        }
        return apply(new Variable[] {x});
    }

    /**
     * The per-channel mean of the batch (after a batch-statistics forward).
     *
     * @return the means (C)
     */
    public double[] batchMean() {
        return mean;
    }

    /**
     * The per-channel biased variance of the batch (after a batch-statistics forward).
     *
     * @return the variances (C)
     */
    public double[] batchVar() {
        return var;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = Dense.of(in[0]);
        double[] w = hasWeight ? Dense.doubles(in[1]) : null;
        double[] b = hasBias ? Dense.doubles(in[hasWeight ? 2 : 1]) : null;
        if (batchStats) {
            mean = new double[c];
            var = new double[c];
            NormKernels.channelStats(x, n, c, l, mean, var);
            rstd = new double[c];
            for (int ch = 0; ch < c; ch++) {
                rstd[ch] = 1 / Math.sqrt(var[ch] + eps);
            }
        }
        double[] scale = new double[c];
        double[] shift = new double[c];
        for (int ch = 0; ch < c; ch++) {
            scale[ch] = (w == null ? 1 : w[ch]) * rstd[ch];
            shift[ch] = (b == null ? 0 : b[ch]) - mean[ch] * scale[ch];
        }
        Tensor y = Tensor.zeros(x.dtype(), x.shape());
        NormKernels.channelAffine(x, y, n, c, l, scale, shift);
        ctx.save(x);
        ctx.put("w", w);
        return y;
    }

    /**
     * The forward with variable operations on x viewed as (N, C, L): the batch's per-channel mean
     * and biased variance, or the running statistics as constants, then the affine.
     */
    @Override
    public Variable composedForward(Variable... in) {
        Variable x = in[0];
        Variable x3 = x.reshape(n, c, l);
        int[] cs = {1, c, 1};
        Variable y;
        if (batchStats) {
            Variable xc = x3.sub(x3.mean(new int[] {0, 2}, true));
            Variable v = xc.square().mean(new int[] {0, 2}, true);
            y = xc.mul(v.add(eps).rsqrt());
        } else {
            DType dt = x.dtype();
            y = x3.sub(Variable.constant(Dense.tensor(mean, dt, cs)))
                    .mul(Variable.constant(Dense.tensor(rstd, dt, cs)));
        }
        if (hasWeight) {
            y = y.mul(in[1].reshape(cs));
        }
        if (hasBias) {
            y = y.add(in[hasWeight ? 2 : 1].reshape(cs));
        }
        return y.reshape(x.shape());
    }

    @Override
    protected Variable[] backward(Context ctx, Variable gradOutput) {
        Tensor x = ctx.saved(0);
        double[] w = (double[]) ctx.get("w");
        Tensor g = Dense.of(gradOutput.data());
        double[] sg = new double[c];
        double[] sgh = new double[c];
        NormKernels.channelGradSums(x, g, n, c, l, mean, rstd, sg, sgh);
        Variable[] r = new Variable[1 + (hasWeight ? 1 : 0) + (hasBias ? 1 : 0)];
        if (ctx.input(0).requiresGrad()) {
            Tensor dx = Tensor.zeros(x.dtype(), x.shape());
            if (batchStats) {
                NormKernels.channelInputGrad(x, g, dx, n, c, l, mean, rstd, w, sg, sgh);
            } else {
                // constant statistics: dx = g * w * rstd
                double[] k = new double[c];
                for (int ch = 0; ch < c; ch++) {
                    k[ch] = (w == null ? 1 : w[ch]) * rstd[ch];
                }
                NormKernels.channelAffine(g, dx, n, c, l, k, new double[c]);
            }
            r[0] = Variable.constant(dx);
        }
        if (hasWeight && ctx.input(1).requiresGrad()) {
            r[1] = Variable.constant(Dense.tensor(sgh, x.dtype(), c));
        }
        int bi = hasWeight ? 2 : 1;
        if (hasBias && ctx.input(bi).requiresGrad()) {
            r[bi] = Variable.constant(Dense.tensor(sg, x.dtype(), c));
        }
        return r;
    }
}
