package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.autograd.fused.MaskedSoftmax;
import io.jgrad.autograd.fused.ScaledDotProductAttention;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scaled dot-product attention, {@code softmax(Q K^T / sqrt(d) + mask) V}, as a function.
 *
 * <p>Shapes: {@code q (..., Lq, d)}, {@code k (..., Lk, d)}, {@code v (..., Lk, dv)} with batch
 * dimensions that broadcast; the output is {@code (..., Lq, dv)} and the weights
 * {@code (..., Lq, Lk)}. The products are batched GEMMs on the given (possibly permuted) views,
 * without copies; scaling, masking and the softmax are one fused operation with a fused backward.
 * Without masks (causal or not), dropout or a request for the weights, and with q, k and v of one
 * batch shape, the whole attention is one operation ({@link ScaledDotProductAttention}): matrix by
 * matrix, the scores and weights stay in a buffer of the thread and the backward recomputes them, so
 * no {@code (..., Lq, Lk)} tensor is written, with the same values, bit for bit.
 *
 * <p>Masks follow {@code torch.nn.MultiheadAttention}: a BOOL (or INT32, INT64) mask is boolean, true
 * or non-zero meaning "may not attend"; a floating point mask is added to the scaled scores.
 * <ul>
 *   <li>{@code attnMask}: broadcastable to {@code (..., Lq, Lk)}, e.g. {@code (Lq, Lk)}.
 *   <li>{@code keyPaddingMask}: {@code (B, Lk)} for inputs whose first dimension is the batch B:
 *       non-zero keys are padding and get no attention.
 *   <li>{@code causal}: query i attends only keys {@code j <= i} (the top-left aligned lower
 *       triangle, as PyTorch's {@code is_causal}).
 * </ul>
 * A query whose keys are all masked gets zero weights (a zero output row) rather than PyTorch's NaN.
 *
 * <pre>{@code
 * Variable out = Attention.scaledDotProduct(q, k, v, null, true);          // causal self-attention
 * AttentionResult r = Attention.scaledDotProduct(q, k, v, null, padding, false, 0.1, gen);
 * }</pre>
 */
public final class Attention {
    private Attention() {}

    /**
     * Unmasked attention.
     *
     * @param q queries {@code (..., Lq, d)}
     * @param k keys {@code (..., Lk, d)}
     * @param v values {@code (..., Lk, dv)}
     * @return {@code (..., Lq, dv)}
     */
    public static Variable scaledDotProduct(Variable q, Variable k, Variable v) {
        return scaledDotProduct(q, k, v, null, null, false, 0, null, false).output();
    }

    /**
     * Attention with an optional mask and causal masking.
     *
     * @param q queries {@code (..., Lq, d)}
     * @param k keys {@code (..., Lk, d)}
     * @param v values {@code (..., Lk, dv)}
     * @param attnMask boolean (BOOL, INT32) or additive mask broadcastable to {@code (..., Lq, Lk)}, or null
     * @param causal whether query i may only attend keys {@code j <= i}
     * @return {@code (..., Lq, dv)}
     */
    public static Variable scaledDotProduct(Variable q, Variable k, Variable v, Tensor attnMask, boolean causal) {
        return scaledDotProduct(q, k, v, attnMask, null, causal, 0, null, false).output();
    }

    /**
     * Attention with every option; returns the weights too.
     *
     * @param q queries {@code (..., Lq, d)}
     * @param k keys {@code (..., Lk, d)}
     * @param v values {@code (..., Lk, dv)}
     * @param attnMask boolean (BOOL, INT32) or additive mask broadcastable to {@code (..., Lq, Lk)}, or null
     * @param keyPaddingMask boolean (BOOL or INT32, true = padding) or additive {@code (B, Lk)}, or null
     * @param causal whether query i may only attend keys {@code j <= i}
     * @param dropout probability of dropping a weight (inverted dropout), 0 for none
     * @param g the generator of the dropout mask (null: {@link Generator#global()})
     * @return the output {@code (..., Lq, dv)} and the weights {@code (..., Lq, Lk)} after dropout
     */
    public static AttentionResult scaledDotProduct(
            Variable q,
            Variable k,
            Variable v,
            Tensor attnMask,
            Tensor keyPaddingMask,
            boolean causal,
            double dropout,
            Generator g) {
        return scaledDotProduct(q, k, v, attnMask, keyPaddingMask, causal, dropout, g, true);
    }

    /** As the public overload; with {@code weights} false the result's weights are null. */
    static AttentionResult scaledDotProduct(
            Variable q,
            Variable k,
            Variable v,
            Tensor attnMask,
            Tensor keyPaddingMask,
            boolean causal,
            double dropout,
            Generator g,
            boolean weights) {
        if (q.dim() < 2 || k.dim() < 2 || v.dim() < 2) {
            throw new IllegalArgumentException("scaledDotProduct: q, k and v need at least 2 dimensions, got "
                    + Shape.format(q.shape()) + ", " + Shape.format(k.shape()) + ", " + Shape.format(v.shape()));
        }
        if (q.size(-1) != k.size(-1)) {
            throw new IllegalArgumentException("scaledDotProduct: query and key sizes differ: q "
                    + Shape.format(q.shape()) + ", k " + Shape.format(k.shape()));
        }
        if (k.size(-2) != v.size(-2)) {
            throw new IllegalArgumentException("scaledDotProduct: keys and values differ in length: k "
                    + Shape.format(k.shape()) + ", v " + Shape.format(v.shape()));
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("scaledDotProduct: dropout must be in [0, 1), got " + dropout);
        }
        double scale = 1 / Math.sqrt(q.size(-1));
        if (!weights
                && attnMask == null
                && keyPaddingMask == null
                && dropout == 0
                && ScaledDotProductAttention.accepts(q, k, v)) {
            return new AttentionResult(new ScaledDotProductAttention(scale, causal).apply(q, k, v), null);
        }
        Variable scores = q.matmul(k.transpose(-1, -2)); // (..., Lq, Lk)
        int[] ss = scores.shape();
        int lk = ss[ss.length - 1];
        List<Tensor> masks = new ArrayList<>();
        if (attnMask != null) {
            masks.add(broadcastMask("attnMask", attnMask, ss));
        }
        if (keyPaddingMask != null) {
            if (keyPaddingMask.dim() != 2
                    || ss.length < 3
                    || keyPaddingMask.size(0) != ss[0]
                    || keyPaddingMask.size(1) != lk) {
                throw new IllegalArgumentException("scaledDotProduct: keyPaddingMask of shape "
                        + Shape.format(keyPaddingMask.shape()) + " does not match (batch, keys) = (" + ss[0] + ", " + lk
                        + ") of the scores " + Shape.format(ss));
            }
            int[] view = new int[ss.length];
            Arrays.fill(view, 1);
            view[0] = ss[0];
            view[ss.length - 1] = lk;
            masks.add(broadcastMask("keyPaddingMask", keyPaddingMask.reshape(view), ss));
        }
        Variable p = new MaskedSoftmax(scale, masks, causal, dropout, g == null ? Generator.global() : g)
                .apply(scores.contiguous());
        return new AttentionResult(p.matmul(v), p);
    }

    private static Tensor broadcastMask(String name, Tensor m, int[] shape) {
        if (m.dtype() == DType.BOOL || m.dtype() == DType.INT64) {
            m = m.ne(0).to(DType.INT32); // a boolean mask: non-zero (true) blocks, like INT32
        } else if (m.dtype().isStorageOnly()) {
            m = m.to(DType.FLOAT32); // an additive float16 or bfloat16 mask
        }
        try {
            return m.expand(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scaledDotProduct: " + name + " of shape " + Shape.format(m.shape())
                    + " does not broadcast to the scores' shape " + Shape.format(shape));
        }
    }
}
