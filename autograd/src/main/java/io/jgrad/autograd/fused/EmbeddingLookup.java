package io.jgrad.autograd.fused;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.EmbeddingKernels;

/**
 * The rows of a table {@code (num, d)} gathered by index, whose backward adds the gradient rows back
 * into the rows they came from, skipping the padding row ({@link EmbeddingKernels}). Differentiable
 * twice: when the backward pass records, the engine differentiates {@link #composedForward}, an
 * {@code indexSelect} of rows with the padding row a constant.
 */
public final class EmbeddingLookup extends FusedFunction {
    private final int[] idx;
    private final int padding;
    private final int[] outShape;

    /**
     * A lookup of the given rows.
     *
     * @param idx the row of each lookup, each in {@code [0, num)} (not checked here)
     * @param padding the row that gets no gradient, or -1 for none
     * @param outShape the shape of the result, {@code idx.length * d} elements
     */
    public EmbeddingLookup(int[] idx, int padding, int[] outShape) {
        super("embedding");
        this.idx = idx;
        this.padding = padding;
        this.outShape = outShape;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor w = in[0].contiguous();
        Tensor out = Tensor.zeros(w.dtype(), outShape);
        EmbeddingKernels.gatherRows(w, idx, out);
        return out;
    }

    /** The lookup as an {@code indexSelect} of rows, with the padding row a constant (no gradient). */
    @Override
    public Variable composedForward(Variable... in) {
        Variable w = in[0];
        if (padding >= 0) {
            Tensor pad = Tensor.zeros(DType.INT32, w.size(0), 1);
            pad.set(1, padding, 0);
            w = Variable.where(pad, Variable.constant(w.data()), w);
        }
        return w.indexSelect(0, Tensor.wrap(idx.clone(), idx.length)).reshape(outShape);
    }

    @Override
    protected Variable[] backward(Context ctx, Variable gradOutput) {
        Tensor g = gradOutput.data().contiguous();
        Tensor dw = Tensor.zeros(g.dtype(), ctx.input(0).shape());
        EmbeddingKernels.scatterAddRows(g, idx, padding, dw);
        return new Variable[] {Variable.constant(dw)};
    }
}
