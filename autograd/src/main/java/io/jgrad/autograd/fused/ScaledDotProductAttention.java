package io.jgrad.autograd.fused;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.AttentionKernels;
import java.util.Arrays;
import java.util.List;

/**
 * Scaled dot-product attention without masks or dropout, {@code softmax(scale * q k^T) v} (causal when
 * asked), as one operation of the tape: the forward ({@link AttentionKernels#attention}) keeps no
 * {@code (..., Lq, Lk)} scores or weights, and the backward ({@link AttentionKernels#attentionBackward})
 * recomputes each matrix's weights in a buffer of the thread, as FlashAttention does. The values are those
 * of the composed form {@code maskedSoftmax(q.matmul(k^T)).matmul(v)}, bit for bit, at a fraction of its
 * memory traffic and allocation. Differentiable twice: when the backward pass records, the engine
 * differentiates {@link #composedForward}.
 *
 * <p>Inputs: q {@code (..., Lq, d)}, k {@code (..., Lk, d)}, v {@code (..., Lk, dv)}, all FLOAT32 or all
 * FLOAT64, with the same batch dimensions (no broadcasting; {@link #accepts} says whether they fit).
 */
public final class ScaledDotProductAttention extends FusedFunction {
    private final double scale;
    private final boolean causal;

    /**
     * The attention of queries on keys and values.
     *
     * @param scale the factor of the scores, usually {@code 1 / sqrt(d)}
     * @param causal whether query i may only attend keys {@code j <= i}
     */
    public ScaledDotProductAttention(double scale, boolean causal) {
        super("scaledDotProductAttention");
        this.scale = scale;
        this.causal = causal;
    }

    /**
     * Whether this operation takes these inputs: the same floating point type (FLOAT32 or FLOAT64), at
     * least 2 dimensions, the same batch dimensions, {@code (Lq, d)}, {@code (Lk, d)}, {@code (Lk, dv)}
     * matrices and no empty dimension.
     *
     * @param q the queries
     * @param k the keys
     * @param v the values
     * @return true when {@link #apply} accepts them
     */
    public static boolean accepts(Variable q, Variable k, Variable v) {
        int r = q.dim();
        if (r < 2 || k.dim() != r || v.dim() != r) {
            return false;
        }
        if (!q.dtype().isFloatingPoint() || k.dtype() != q.dtype() || v.dtype() != q.dtype()) {
            return false;
        }
        int[] qs = q.shape();
        int[] ks = k.shape();
        int[] vs = v.shape();
        for (int[] s : new int[][] {qs, ks, vs}) {
            for (int x : s) {
                if (x == 0) {
                    return false;
                }
            }
        }
        return Arrays.equals(qs, 0, r - 2, ks, 0, r - 2)
                && Arrays.equals(qs, 0, r - 2, vs, 0, r - 2)
                && qs[r - 1] == ks[r - 1]
                && ks[r - 2] == vs[r - 2];
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor q = AttentionKernels.operand(in[0]);
        Tensor k = AttentionKernels.operand(in[1]);
        Tensor v = AttentionKernels.operand(in[2]);
        int[] shape = q.shape().clone();
        shape[shape.length - 1] = v.size(-1);
        Tensor out = Tensor.empty(q.dtype(), shape); // every element written
        AttentionKernels.attention(q, k, v, scale, causal, out);
        ctx.save(q, k, v);
        return out;
    }

    /** The same attention with variable operations: {@code q k^T}, the masked softmax, times v. */
    @Override
    public Variable composedForward(Variable... in) {
        Variable s = in[0].matmul(in[1].transpose(-1, -2));
        Variable p = new MaskedSoftmax(scale, List.of(), causal, 0, Generator.global()).apply(s.contiguous());
        return p.matmul(in[2]);
    }

    @Override
    protected Variable[] backward(Context ctx, Variable gradOutput) {
        Tensor q = ctx.saved(0);
        Tensor k = ctx.saved(1);
        Tensor v = ctx.saved(2);
        Tensor g = AttentionKernels.operand(gradOutput.data());
        Tensor dq = Tensor.empty(q.dtype(), q.shape());
        Tensor dk = Tensor.empty(k.dtype(), k.shape());
        Tensor dv = Tensor.empty(v.dtype(), v.shape());
        AttentionKernels.attentionBackward(q, k, v, g, scale, causal, dq, dk, dv);
        return new Variable[] {Variable.constant(dq), Variable.constant(dk), Variable.constant(dv)};
    }
}
