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
        Tensor out = like(q, v.size(-1)); // every element written
        AttentionKernels.attention(q, k, v, scale, causal, out);
        ctx.save(q, k, v);
        return out;
    }

    /**
     * A new tensor shaped as t with {@code cols} columns, its dimensions laid out in memory in t's order:
     * the output and gradients of heads viewed {@code (B, H, L, d)} out of a {@code (B, L, H * d)}
     * projection are such views of {@code (B, L, H, d)} arrays, so that going back to {@code (B, L, E)}
     * (MultiheadAttention's concatenation of the heads, the projection's gradient) is a view, not a copy.
     * Values arbitrary (the kernels write every element).
     */
    static Tensor like(Tensor t, int cols) {
        int r = t.dim();
        int[] st = t.strides();
        Integer[] order = new Integer[r];
        for (int i = 0; i < r; i++) {
            order[i] = i;
        }
        // dimensions by decreasing stride (a stable sort: ties keep their order), the columns last
        Arrays.sort(order, 0, r - 1, (a, b) -> Integer.compare(st[b], st[a]));
        int[] shape = new int[r];
        int[] inverse = new int[r];
        for (int i = 0; i < r; i++) {
            shape[i] = i == r - 1 ? cols : t.size(order[i]);
            inverse[order[i]] = i;
        }
        return Tensor.empty(t.dtype(), shape).permute(inverse);
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
        Tensor dq = like(q, q.size(-1));
        Tensor dk = like(k, k.size(-1));
        Tensor dv = like(v, v.size(-1));
        AttentionKernels.attentionBackward(q, k, v, g, scale, causal, dq, dk, dv);
        return new Variable[] {Variable.constant(dq), Variable.constant(dk), Variable.constant(dv)};
    }
}
