package io.jgrad.layers;

import io.jgrad.autograd.Function;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Tensor;

/**
 * Per-channel normalization of {@code x (N, C, L)} with given statistics:
 * {@code y = (x - mean[c]) * rstd[c] * w[c] + b[c]}, computed as one affine pass. With batch
 * statistics ({@code batchStats}) the backward accounts for their dependence on x (two passes);
 * with running statistics they are constants. Inputs: x, then w and b (C) when present.
 * Differentiable twice: when the backward pass records, the engine differentiates
 * {@link #composed}, the same normalization written with variable operations, instead of the fused
 * backward.
 */
final class BatchNormFunction extends Function {
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

    BatchNormFunction(
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
     */
    Variable run(Variable x, Variable w, Variable b) {
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

    /** The per-channel mean of the batch (after a batch-statistics forward). */
    double[] batchMean() {
        return mean;
    }

    /** The per-channel biased variance of the batch (after a batch-statistics forward). */
    double[] batchVar() {
        return var;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = Arrays0.dense(in[0]);
        double[] w = hasWeight ? Arrays0.doubles(in[1]) : null;
        double[] b = hasBias ? Arrays0.doubles(in[hasWeight ? 2 : 1]) : null;
        if (batchStats) {
            mean = new double[c];
            var = new double[c];
            if (x.dtype() == DType.FLOAT32) {
                NormKernels.channelStats(x.floatData(), n, c, l, mean, var);
            } else {
                NormKernels.channelStats(x.doubleData(), n, c, l, mean, var);
            }
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
        if (x.dtype() == DType.FLOAT32) {
            NormKernels.channelAffine(x.floatData(), y.floatData(), n, c, l, scale, shift);
        } else {
            NormKernels.channelAffine(x.doubleData(), y.doubleData(), n, c, l, scale, shift);
        }
        ctx.save(x);
        ctx.put("w", w);
        return y;
    }

    /**
     * The forward with variable operations on x viewed as (N, C, L): the batch's per-channel mean
     * and biased variance, or the running statistics as constants, then the affine.
     */
    @Override
    protected Variable composed(Context ctx, Variable... in) {
        return composedForward(in);
    }

    /** {@link #composed} (after a forward; package-private for the tests). */
    Variable composedForward(Variable... in) {
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
            y = x3.sub(Variable.constant(Arrays0.tensor(mean, dt, cs)))
                    .mul(Variable.constant(Arrays0.tensor(rstd, dt, cs)));
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
        Tensor g = Arrays0.dense(gradOutput.data());
        boolean f32 = x.dtype() == DType.FLOAT32;
        double[] sg = new double[c];
        double[] sgh = new double[c];
        if (f32) {
            NormKernels.channelGradSums(x.floatData(), g.floatData(), n, c, l, mean, rstd, sg, sgh);
        } else {
            NormKernels.channelGradSums(x.doubleData(), g.doubleData(), n, c, l, mean, rstd, sg, sgh);
        }
        Variable[] r = new Variable[1 + (hasWeight ? 1 : 0) + (hasBias ? 1 : 0)];
        if (ctx.input(0).requiresGrad()) {
            Tensor dx = Tensor.zeros(x.dtype(), x.shape());
            if (batchStats) {
                if (f32) {
                    NormKernels.channelInputGrad(
                            x.floatData(), g.floatData(), dx.floatData(), n, c, l, mean, rstd, w, sg, sgh);
                } else {
                    NormKernels.channelInputGrad(
                            x.doubleData(), g.doubleData(), dx.doubleData(), n, c, l, mean, rstd, w, sg, sgh);
                }
            } else {
                // constant statistics: dx = g * w * rstd
                double[] k = new double[c];
                for (int ch = 0; ch < c; ch++) {
                    k[ch] = (w == null ? 1 : w[ch]) * rstd[ch];
                }
                double[] zero = new double[c];
                if (f32) {
                    NormKernels.channelAffine(g.floatData(), dx.floatData(), n, c, l, k, zero);
                } else {
                    NormKernels.channelAffine(g.doubleData(), dx.doubleData(), n, c, l, k, zero);
                }
            }
            r[0] = Variable.constant(dx);
        }
        if (hasWeight && ctx.input(1).requiresGrad()) {
            r[1] = Variable.constant(Arrays0.tensor(sgh, x.dtype(), new int[] {c}));
        }
        int bi = hasWeight ? 2 : 1;
        if (hasBias && ctx.input(bi).requiresGrad()) {
            r[bi] = Variable.constant(Arrays0.tensor(sg, x.dtype(), new int[] {c}));
        }
        return r;
    }
}
