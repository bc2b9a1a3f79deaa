package io.jgrad.layers;

import io.jgrad.autograd.Function;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Kernels;
import io.jgrad.core.kernel.Parallel;
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
        return scaledDotProduct(q, k, v, null, null, false, 0, null).output();
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
        return scaledDotProduct(q, k, v, attnMask, null, causal, 0, null).output();
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

    /**
     * {@code p = softmax(scale * s + additive masks, with blocked entries at -inf)} along the last
     * dimension, then inverted dropout {@code p * keep / (1 - dropout)}; the backward is
     * {@code ds = scale * p * (dp - sum(dp * p))} with {@code dp} the incoming gradient times the same
     * keep mask. Rows with every entry blocked give zeros. The keep mask is drawn from the generator
     * in row-major order, one draw per weight, before the (parallel) row loop, so it does not depend
     * on the thread count. Differentiable twice: when the backward pass records, the engine
     * differentiates {@link #composed} instead of the fused backward.
     */
    static final class MaskedSoftmax extends Function {
        private final double scale;
        /** Masks expanded to the scores' shape: INT32 blocks, floating point adds. */
        private final List<Tensor> masks;

        private final boolean causal;
        private final double dropout;
        private final Generator generator;
        /** The weights before dropout and the keep mask (null without dropout), from the forward. */
        private Tensor probs;

        private boolean[] keep;

        MaskedSoftmax(double scale, List<Tensor> masks, boolean causal, double dropout, Generator generator) {
            super("maskedSoftmax");
            this.scale = scale;
            this.masks = masks;
            this.causal = causal;
            this.dropout = dropout;
            this.generator = generator;
        }

        /** Applies the keep mask scaled by 1 / (1 - dropout): {@code out = in * keep / q}. */
        private Tensor drop(Tensor in, boolean[] keep) {
            Tensor out = Tensor.zeros(in.dtype(), in.shape());
            int n = in.numel();
            if (in.dtype() == DType.FLOAT32) {
                float[] a = in.floatData();
                float[] o = out.floatData();
                int ao = in.offset();
                float inv = (float) (1 / (1 - dropout));
                for (int k = 0; k < n; k++) {
                    if (keep[k]) {
                        o[k] = a[ao + k] * inv;
                    }
                }
            } else {
                double[] a = in.doubleData();
                double[] o = out.doubleData();
                int ao = in.offset();
                double inv = 1 / (1 - dropout);
                for (int k = 0; k < n; k++) {
                    if (keep[k]) {
                        o[k] = a[ao + k] * inv;
                    }
                }
            }
            return out;
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor s = in[0];
            int[] shape = s.shape();
            int cols = shape[shape.length - 1];
            int lq = shape[shape.length - 2];
            int rows = s.numel() / Math.max(cols, 1);
            DType dt = s.dtype();
            int nm = masks.size();
            int[][] rowOff = new int[nm][];
            int[] colStride = new int[nm];
            Object[] data = new Object[nm];
            boolean[] blocking = new boolean[nm];
            for (int m = 0; m < nm; m++) {
                Tensor mk = masks.get(m);
                blocking[m] = mk.dtype() == DType.INT32;
                if (!blocking[m] && mk.dtype() != dt) {
                    mk = mk.to(dt).expand(shape);
                }
                rowOff[m] = rowOffsets(mk);
                colStride[m] = mk.strides()[shape.length - 1];
                data[m] = blocking[m] ? mk.intData() : dt == DType.FLOAT32 ? mk.floatData() : mk.doubleData();
            }
            Tensor out = Tensor.zeros(dt, shape);
            if (dt == DType.FLOAT32) {
                float[] x = s.floatData();
                int xo = s.offset();
                float[] o = out.floatData();
                float sc = (float) scale;
                Kernels kern = KernelProvider.kernels();
                Parallel.forRange(rows, Math.max(1, (1 << 14) / Math.max(1, cols)), (from, to) -> {
                    for (int r = from; r < to; r++) {
                        int base = r * cols;
                        int limit = causal ? Math.min(cols, r % lq + 1) : cols;
                        kern.mulScalar(x, xo + base, sc, o, base, limit);
                        Arrays.fill(o, base + limit, base + cols, Float.NEGATIVE_INFINITY);
                        for (int m = 0; m < nm; m++) {
                            int mo = rowOff[m][r];
                            int cs = colStride[m];
                            if (blocking[m]) {
                                int[] mb = (int[]) data[m];
                                for (int j = 0; j < limit; j++) {
                                    if (mb[mo + j * cs] != 0) {
                                        o[base + j] = Float.NEGATIVE_INFINITY;
                                    }
                                }
                            } else {
                                float[] ma = (float[]) data[m];
                                for (int j = 0; j < limit; j++) {
                                    o[base + j] += ma[mo + j * cs];
                                }
                            }
                        }
                        if (kern.max(o, base, cols) == Float.NEGATIVE_INFINITY) {
                            Arrays.fill(o, base, base + cols, 0f);
                        } else {
                            kern.softmaxRows(o, base, o, base, 1, cols, false);
                        }
                    }
                });
            } else {
                double[] x = s.doubleData();
                int xo = s.offset();
                double[] o = out.doubleData();
                for (int r = 0; r < rows; r++) {
                    int base = r * cols;
                    int limit = causal ? Math.min(cols, r % lq + 1) : cols;
                    double mx = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < cols; j++) {
                        double v = j < limit ? x[xo + base + j] * scale : Double.NEGATIVE_INFINITY;
                        for (int m = 0; m < nm; m++) {
                            int idx = rowOff[m][r] + j * colStride[m];
                            if (blocking[m]) {
                                if (((int[]) data[m])[idx] != 0) {
                                    v = Double.NEGATIVE_INFINITY;
                                }
                            } else {
                                v += ((double[]) data[m])[idx];
                            }
                        }
                        o[base + j] = v;
                        mx = Math.max(mx, v);
                    }
                    if (mx == Double.NEGATIVE_INFINITY) {
                        Arrays.fill(o, base, base + cols, 0);
                        continue;
                    }
                    double sum = 0;
                    for (int j = 0; j < cols; j++) {
                        o[base + j] = Math.exp(o[base + j] - mx);
                        sum += o[base + j];
                    }
                    for (int j = 0; j < cols; j++) {
                        o[base + j] /= sum;
                    }
                }
            }
            ctx.save(out);
            probs = out;
            if (dropout > 0) {
                int n = out.numel();
                keep = new boolean[n];
                double q = 1 - dropout;
                for (int k = 0; k < n; k++) {
                    keep[k] = generator.nextDouble() < q;
                }
                return drop(out, keep);
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
        protected Variable composed(Context ctx, Variable... in) {
            return composedForward(in);
        }

        /** {@link #composed} (after a forward; package-private for the tests). */
        Variable composedForward(Variable... in) {
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
                double inv = 1 / (1 - dropout);
                double[] k = new double[keep.length];
                for (int i = 0; i < k.length; i++) {
                    k[i] = keep[i] ? inv : 0;
                }
                p = p.mul(Variable.constant(Arrays0.tensor(k, dt, shape)));
            }
            return p;
        }

        /** The storage offset of the start of each row of a (broadcast) view. */
        private static int[] rowOffsets(Tensor t) {
            int[] shape = t.shape();
            int[] st = t.strides();
            int r = shape.length - 1;
            int rows = 1;
            for (int k = 0; k < r; k++) {
                rows *= shape[k];
            }
            int[] offs = new int[rows];
            int[] idx = new int[r];
            int off = t.offset();
            for (int q = 0; q < rows; q++) {
                offs[q] = off;
                for (int d = r - 1; d >= 0; d--) {
                    idx[d]++;
                    off += st[d];
                    if (idx[d] < shape[d]) {
                        break;
                    }
                    off -= st[d] * shape[d];
                    idx[d] = 0;
                }
            }
            return offs;
        }

        @Override
        protected Variable[] backward(Context ctx, Variable gradOutput) {
            Tensor p = ctx.saved(0);
            Tensor g = dropout > 0
                    ? drop(gradOutput.data().contiguous(), keep)
                    : gradOutput.data().contiguous();
            int[] shape = p.shape();
            int cols = shape[shape.length - 1];
            int rows = p.numel() / Math.max(cols, 1);
            Tensor ds = Tensor.zeros(p.dtype(), shape);
            if (p.dtype() == DType.FLOAT32) {
                float[] pa = p.floatData();
                float[] ga = g.floatData();
                int go = g.offset();
                float[] d = ds.floatData();
                float sc = (float) scale;
                Kernels kern = KernelProvider.kernels();
                Parallel.forRange(rows, Math.max(1, (1 << 14) / Math.max(1, cols)), (from, to) -> {
                    for (int r = from; r < to; r++) {
                        int base = r * cols;
                        float dot = kern.dot(ga, go + base, pa, base, cols);
                        for (int j = 0; j < cols; j++) {
                            d[base + j] = sc * pa[base + j] * (ga[go + base + j] - dot);
                        }
                    }
                });
            } else {
                double[] pa = p.doubleData();
                double[] ga = g.doubleData();
                int go = g.offset();
                double[] d = ds.doubleData();
                for (int r = 0; r < rows; r++) {
                    int base = r * cols;
                    double dot = 0;
                    for (int j = 0; j < cols; j++) {
                        dot += ga[go + base + j] * pa[base + j];
                    }
                    for (int j = 0; j < cols; j++) {
                        d[base + j] = scale * pa[base + j] * (ga[go + base + j] - dot);
                    }
                }
            }
            return new Variable[] {Variable.constant(ds)};
        }
    }
}
