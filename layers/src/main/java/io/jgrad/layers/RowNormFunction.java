package io.jgrad.layers;

import io.jgrad.autograd.Function;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Tensor;

/**
 * Normalization over the trailing {@code d} elements of each row, with an optional element-wise
 * affine: {@code y = (x - mean) / sqrt(var + eps) * w + b} (biased variance), fused into one pass
 * for the statistics and one for the output, and two for the backward. Inputs: x, then w and b
 * (shape with {@code d} elements) when present. Differentiable twice: when the backward pass
 * records, the engine differentiates {@link #composed}, the same normalization written with
 * variable operations, instead of the fused backward.
 */
final class RowNormFunction extends Function {
    private final int d;
    private final double eps;
    private final boolean hasWeight;
    private final boolean hasBias;
    private double[] mean;
    private double[] rstd;

    RowNormFunction(int d, double eps, boolean hasWeight, boolean hasBias) {
        super("layerNorm");
        this.d = d;
        this.eps = eps;
        this.hasWeight = hasWeight;
        this.hasBias = hasBias;
    }

    /** Normalizes rows of {@code d} elements of {@code x}; {@code w} and {@code b} may be null. */
    static Variable normalize(Variable x, int d, double eps, Variable w, Variable b) {
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
        Tensor x = Arrays0.dense(in[0]);
        Tensor w = hasWeight ? Arrays0.dense(in[1]) : null;
        Tensor b = hasBias ? Arrays0.dense(in[hasWeight ? 2 : 1]) : null;
        int rows = x.numel() / d;
        mean = new double[rows];
        rstd = new double[rows];
        Tensor y = Tensor.zeros(x.dtype(), x.shape());
        if (x.dtype() == DType.FLOAT32) {
            NormKernels.rowsForward(
                    x.floatData(),
                    y.floatData(),
                    w == null ? null : w.floatData(),
                    b == null ? null : b.floatData(),
                    rows,
                    d,
                    eps,
                    mean,
                    rstd);
        } else {
            NormKernels.rowsForward(
                    x.doubleData(),
                    y.doubleData(),
                    w == null ? null : w.doubleData(),
                    b == null ? null : b.doubleData(),
                    rows,
                    d,
                    eps,
                    mean,
                    rstd);
        }
        ctx.save(x);
        return y;
    }

    /** The forward with variable operations: mean and biased variance of each row, then the affine. */
    @Override
    protected Variable composed(Context ctx, Variable... in) {
        return composedForward(in);
    }

    /** {@link #composed} (after a forward; package-private for the tests). */
    Variable composedForward(Variable... in) {
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
        Tensor g = Arrays0.dense(gradOutput.data());
        Tensor w = hasWeight ? Arrays0.dense(ctx.input(1).data()) : null;
        int rows = x.numel() / d;
        boolean needX = ctx.input(0).requiresGrad();
        boolean needW = hasWeight && ctx.input(1).requiresGrad();
        int bi = hasWeight ? 2 : 1;
        boolean needB = hasBias && ctx.input(bi).requiresGrad();
        Tensor dx = needX ? Tensor.zeros(x.dtype(), x.shape()) : null;
        double[] dw = needW ? new double[d] : null;
        double[] db = needB ? new double[d] : null;
        if (x.dtype() == DType.FLOAT32) {
            NormKernels.rowsBackward(
                    x.floatData(),
                    g.floatData(),
                    w == null ? null : w.floatData(),
                    mean,
                    rstd,
                    rows,
                    d,
                    dx == null ? null : dx.floatData(),
                    dw,
                    db);
        } else {
            NormKernels.rowsBackward(
                    x.doubleData(),
                    g.doubleData(),
                    w == null ? null : w.doubleData(),
                    mean,
                    rstd,
                    rows,
                    d,
                    dx == null ? null : dx.doubleData(),
                    dw,
                    db);
        }
        Variable[] r = new Variable[1 + (hasWeight ? 1 : 0) + (hasBias ? 1 : 0)];
        r[0] = dx == null ? null : Variable.constant(dx);
        if (needW) {
            r[1] = Variable.constant(Arrays0.tensor(dw, x.dtype(), ctx.input(1).shape()));
        }
        if (needB) {
            r[bi] = Variable.constant(
                    Arrays0.tensor(db, x.dtype(), ctx.input(bi).shape()));
        }
        return r;
    }
}
