package io.jgrad.autograd.fused;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.AttentionKernels;
import java.util.List;

/**
 * {@code p = softmax(scale * s + additive masks, with blocked entries at -inf)} along the last
 * dimension, then inverted dropout {@code p * keep / (1 - dropout)}; the backward is
 * {@code ds = scale * p * (dp - sum(dp * p))} with {@code dp} the incoming gradient times the same
 * keep mask ({@link AttentionKernels}). Rows with every entry blocked give zeros. The keep mask is drawn
 * from the generator in row-major order, one draw per weight, before the (parallel) row loop, so it does
 * not depend on the thread count. Differentiable twice: when the backward pass records, the engine
 * differentiates {@link #composedForward} instead of the fused backward.
 */
public final class MaskedSoftmax extends FusedFunction {
    private final double scale;
    /** Masks expanded to the scores' shape: INT32 blocks, floating point adds. */
    private final List<Tensor> masks;

    private final boolean causal;
    private final double dropout;
    private final Generator generator;
    /** The weights before dropout and the keep mask (null without dropout), from the forward. */
    private Tensor probs;

    private boolean[] keep;

    /**
     * The attention weights of contiguous scores {@code (..., Lq, Lk)}.
     *
     * @param scale the factor of the scores
     * @param masks blocking (INT32, non-zero = may not attend) and additive masks expanded to the
     *     scores' shape
     * @param causal whether query i may only attend keys {@code j <= i}
     * @param dropout the probability of dropping a weight (inverted dropout), 0 for none
     * @param generator the generator of the dropout mask
     */
    public MaskedSoftmax(double scale, List<Tensor> masks, boolean causal, double dropout, Generator generator) {
        super("maskedSoftmax");
        this.scale = scale;
        this.masks = masks;
        this.causal = causal;
        this.dropout = dropout;
        this.generator = generator;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor s = in[0];
        Tensor out = Tensor.empty(s.dtype(), s.shape()); // every row written
        AttentionKernels.maskedSoftmax(s, scale, causal, masks, out);
        ctx.save(out);
        probs = out;
        if (dropout > 0) {
            keep = AttentionKernels.keepMask(generator, out.numel(), dropout);
            return AttentionKernels.drop(out, keep, dropout);
        }
        return out;
    }

    /**
     * The same weights with variable operations: {@code scale * s} plus the additive masks, blocked
     * entries (blocking masks, causal, additive -inf) filled with -inf, softmax, zeros for rows the
     * forward left all zero (every entry blocked: their scores are not filled, so no NaN appears,
     * and {@code where} passes them no gradient), then the forward's keep mask.
     */
    @Override
    public Variable composedForward(Variable... in) {
        Variable s = in[0];
        int[] shape = s.shape();
        int d = shape.length - 1;
        DType dt = s.dtype();
        Tensor add = Tensor.zeros(dt, shape);
        Tensor blocked = Tensor.zeros(dt, shape);
        for (Tensor mk : masks) {
            if (mk.dtype() == DType.INT32) {
                blocked = blocked.add(mk.ne(0).to(dt));
            } else {
                add = add.add(mk.to(dt));
            }
        }
        if (causal) {
            // query i (row i of the last two dimensions) may attend keys j <= i
            blocked = blocked.add(Tensor.ones(dt, shape[d - 1], shape[d]).triu(1));
        }
        blocked = blocked.add(add.eq(Double.NEGATIVE_INFINITY).to(dt)).gt(0).to(dt);
        add = add.maskedFill(blocked, 0);
        // rows the forward set to zero: no weight is positive
        Tensor dead = probs.sum(d, true).eq(0).to(dt);
        Tensor fill = blocked.mul(dead.rsub(1)); // blocked entries of live rows
        Variable z = s.mul(scale).add(Variable.constant(add)).maskedFill(fill, Double.NEGATIVE_INFINITY);
        Variable p = Variable.where(dead, Variable.constant(Tensor.zeros(dt)), z.softmax(d));
        if (dropout > 0) {
            // the forward's keep mask scaled by 1 / (1 - dropout)
            p = p.mul(Variable.constant(AttentionKernels.drop(Tensor.ones(dt, shape), keep, dropout)));
        }
        return p;
    }

    @Override
    protected Variable[] backward(Context ctx, Variable gradOutput) {
        Tensor p = ctx.saved(0);
        Tensor g = gradOutput.data().contiguous();
        if (dropout > 0) {
            g = AttentionKernels.drop(g, keep, dropout);
        }
        Tensor ds = Tensor.empty(p.dtype(), p.shape());
        AttentionKernels.maskedSoftmaxBackward(p, g, scale, ds);
        return new Variable[] {Variable.constant(ds)};
    }
}
