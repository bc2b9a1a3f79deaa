package io.jgrad.autograd.fused;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.NormKernels;

/**
 * Normalization over the trailing {@code d} elements of each row, with an optional element-wise
 * affine: {@code y = (x - mean) / sqrt(var + eps) * w + b} (biased variance), fused into one pass
 * for the statistics and one for the output, and two for the backward ({@link NormKernels}). Inputs:
 * x, then w and b (shape with {@code d} elements) when present. Differentiable twice: when the
 * backward pass records, the engine differentiates {@link #composedForward}, the same normalization written
 * with variable operations, instead of the fused backward.
 */
public final class RowNormFunction extends FusedFunction {
    private final int d;
    private final double eps;
    private final boolean hasWeight;
    private final boolean hasBias;
    private double[] mean;
    private double[] rstd;

    /**
     * A normalization of rows of {@code d} elements.
     *
     * @param d the row length
     * @param eps added to the variance
     * @param hasWeight whether a scale w follows x in the inputs
     * @param hasBias whether a shift b follows (x and w) in the inputs
     */
    public RowNormFunction(int d, double eps, boolean hasWeight, boolean hasBias) {
        super("layerNorm");
        this.d = d;
        this.eps = eps;
        this.hasWeight = hasWeight;
        this.hasBias = hasBias;
    }

    /**
     * Normalizes rows of {@code d} elements of {@code x}.
     *
     * @param x the input, of a size divisible by d
     * @param d the row length
     * @param eps added to the variance
     * @param w the scale (d elements), or null
     * @param b the shift (d elements), or null
     * @return the normalized input, shaped as x
     */
    public static Variable normalize(Variable x, int d, double eps, Variable w, Variable b) {
        RowNormFunction f = new RowNormFunction(d, eps, w != null, b != null);
        if (w != null && b != null) {
            return f.apply(x, w, b);
        }
        if (w != null) {
            return f.apply(x, w);
        }
        if (b != null) {
            return f.apply(x, b);
        }
        return f.apply(x);
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = Dense.of(in[0]);
        Tensor w = hasWeight ? Dense.of(in[1]) : null;
        Tensor b = hasBias ? Dense.of(in[hasWeight ? 2 : 1]) : null;
        int rows = x.numel() / d;
        mean = new double[rows];
        rstd = new double[rows];
        Tensor y = Tensor.empty(x.dtype(), x.shape());
        NormKernels.rowsForward(x, y, w, b, rows, d, eps, mean, rstd);
        ctx.save(x);
        return y;
    }

    /** The forward with variable operations: mean and biased variance of each row, then the affine. */
    @Override
    public Variable composedForward(Variable... in) {
        Variable x = in[0];
        int rows = d == 0 ? 0 : x.numel() / d;
        Variable xr = x.reshape(rows, d);
        Variable xc = xr.sub(xr.mean(1, true));
        Variable var = xc.square().mean(1, true);
        Variable y = xc.mul(var.add(eps).rsqrt());
        if (hasWeight) {
            y = y.mul(in[1].reshape(d));
        }
        if (hasBias) {
            y = y.add(in[hasWeight ? 2 : 1].reshape(d));
        }
        return y.reshape(x.shape());
    }

    @Override
    protected Variable[] backward(Context ctx, Variable gradOutput) {
        Tensor x = ctx.saved(0);
        Tensor g = Dense.of(gradOutput.data());
        Tensor w = hasWeight ? Dense.of(ctx.input(1).data()) : null;
        int rows = x.numel() / d;
        boolean needX = ctx.input(0).requiresGrad();
        boolean needW = hasWeight && ctx.input(1).requiresGrad();
        int bi = hasWeight ? 2 : 1;
        boolean needB = hasBias && ctx.input(bi).requiresGrad();
        Tensor dx = needX ? Tensor.empty(x.dtype(), x.shape()) : null;
        double[] dw = needW ? new double[d] : null;
        double[] db = needB ? new double[d] : null;
        NormKernels.rowsBackward(x, g, w, mean, rstd, rows, d, dx, dw, db);
        Variable[] r = new Variable[1 + (hasWeight ? 1 : 0) + (hasBias ? 1 : 0)];
        r[0] = dx == null ? null : Variable.constant(dx);
        if (needW) {
            r[1] = Variable.constant(Dense.tensor(dw, x.dtype(), ctx.input(1).shape()));
        }
        if (needB) {
            r[bi] = Variable.constant(Dense.tensor(db, x.dtype(), ctx.input(bi).shape()));
        }
        return r;
    }
}
