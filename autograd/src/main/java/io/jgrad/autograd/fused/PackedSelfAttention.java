package io.jgrad.autograd.fused;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.AttentionKernels;

/**
 * Multi-head self-attention on packed projections, as one operation of the tape: the input
 * {@code (..., L, 3E)} holds each position's query, key and value side by side (what one product with
 * {@code torch.nn.MultiheadAttention}'s {@code in_proj_weight (3E, E)} gives), each split into
 * {@code heads} heads of size {@code d = E / heads} as views; the output {@code (..., L, E)} is the heads'
 * attention ({@link ScaledDotProductAttention}, causal when asked) concatenated.
 *
 * <p>The values are those of slicing the input into q, k and v, viewing each as {@code (..., heads, L,
 * d)}, attending and concatenating the heads, bit for bit; what it saves is in the backward: the three
 * gradients are written into one {@code (..., L, 3E)} tensor, the input's gradient, where the sliced form
 * gives three zero-padded {@code (..., L, 3E)} gradients to add. So the packed projection's backward is one
 * product for the input's gradient instead of three and two sums. Differentiable twice: when the backward
 * pass records, the engine differentiates {@link #composedForward}.
 */
public final class PackedSelfAttention extends FusedFunction {
    private final int heads;
    private final double scale;
    private final boolean causal;

    /**
     * Self-attention with {@code heads} heads.
     *
     * @param heads the number of heads; must divide E (a third of the input's last dimension)
     * @param scale the factor of the scores, usually {@code 1 / sqrt(d)}
     * @param causal whether position i may only attend positions {@code j <= i}
     */
    public PackedSelfAttention(int heads, double scale, boolean causal) {
        super("packedSelfAttention");
        if (heads <= 0) {
            throw new IllegalArgumentException("packedSelfAttention: heads must be positive, got " + heads);
        }
        this.heads = heads;
        this.scale = scale;
        this.causal = causal;
    }

    /**
     * Whether this operation takes this input: FLOAT32 or FLOAT64, at least 2 dimensions, none empty, and
     * a last dimension that is 3 times a multiple of {@code heads}.
     *
     * @param qkv the packed projections {@code (..., L, 3E)}
     * @param heads the number of heads
     * @return true when {@link #apply} accepts it
     */
    public static boolean accepts(Variable qkv, int heads) {
        if (heads <= 0 || qkv.dim() < 2 || !qkv.dtype().isFloatingPoint()) {
            return false;
        }
        for (int x : qkv.shape()) {
            if (x == 0) {
                return false;
            }
        }
        return qkv.size(-1) % (3 * heads) == 0;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = in[0];
        check(x.shape());
        if (x.strides()[x.dim() - 1] != 1) {
            x = x.contiguous();
        }
        Tensor[] qkv = pieces(x);
        // (..., L, heads, d): concatenating the heads is a view of it
        Tensor out = Tensor.empty(x.dtype(), headShape(x.shape()));
        AttentionKernels.attention(qkv[0], qkv[1], qkv[2], scale, causal, out.transpose(-3, -2));
        ctx.save(x);
        return out.reshape(outShape(x.shape()));
    }

    @Override
    protected Variable[] backward(Context ctx, Variable gradOutput) {
        Tensor x = ctx.saved(0);
        Tensor[] qkv = pieces(x);
        Tensor g = gradOutput.data().reshape(headShape(x.shape()));
        g = AttentionKernels.operand(g.transpose(-3, -2));
        Tensor dx = Tensor.empty(x.dtype(), x.shape()); // the kernel writes every element of its three pieces
        Tensor[] d = pieces(dx);
        AttentionKernels.attentionBackward(qkv[0], qkv[1], qkv[2], g, scale, causal, d[0], d[1], d[2]);
        return new Variable[] {Variable.constant(dx)};
    }

    /** The same attention with variable operations: slices, head views, the composed attention, concatenation. */
    @Override
    public Variable composedForward(Variable... in) {
        Variable x = in[0];
        check(x.shape());
        int r = x.dim();
        int e = x.size(-1) / 3;
        int[] hs = headShape(x.shape());
        Variable[] p = new Variable[3];
        for (int i = 0; i < 3; i++) {
            p[i] = x.narrow(r - 1, i * e, e).reshape(hs).transpose(-3, -2);
        }
        Variable o = new ScaledDotProductAttention(scale, causal).composedForward(p);
        return o.transpose(-3, -2).reshape(outShape(x.shape()));
    }

    private void check(int[] shape) {
        int r = shape.length;
        if (r < 2 || shape[r - 1] % (3 * heads) != 0) {
            throw new IllegalArgumentException("packedSelfAttention: expected (..., L, 3E) with E a multiple of "
                    + heads + " heads, got " + Shape.format(shape));
        }
    }

    /** q, k and v of x {@code (..., L, 3E)} as views {@code (..., heads, L, d)}. */
    private Tensor[] pieces(Tensor x) {
        int r = x.dim();
        int e = x.size(-1) / 3;
        int[] hs = headShape(x.shape());
        Tensor[] p = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            p[i] = x.narrow(r - 1, i * e, e).view(hs).transpose(-3, -2);
        }
        return p;
    }

    /** {@code (..., L, 3E)} to {@code (..., L, heads, d)}. */
    private int[] headShape(int[] shape) {
        int r = shape.length;
        int[] s = new int[r + 1];
        System.arraycopy(shape, 0, s, 0, r - 1);
        s[r - 1] = heads;
        s[r] = shape[r - 1] / 3 / heads;
        return s;
    }

    /** {@code (..., L, 3E)} to {@code (..., L, E)}. */
    private static int[] outShape(int[] shape) {
        int[] s = shape.clone();
        s[s.length - 1] /= 3;
        return s;
    }
}
