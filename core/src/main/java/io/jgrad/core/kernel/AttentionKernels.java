package io.jgrad.core.kernel;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * The fused loops of attention's masked softmax: {@code p = softmax(scale * s + additive masks, with
 * blocked entries at -inf)} along the last dimension of the scores {@code s (..., Lq, Lk)}, its
 * backward {@code ds = scale * p * (dp - sum(dp * p))}, and the inverted-dropout keep mask of the
 * weights. A row with every entry blocked gives zeros (not NaN). {@link #attention} and {@link
 * #attentionBackward} fuse a whole unmasked (or causal) attention and its backward, matrix by matrix,
 * with the scores and weights in buffers of the thread.
 *
 * <p>FLOAT32 rows run on the active {@link Kernels} (SIMD when enabled) split over the thread pool;
 * FLOAT64 rows are scalar loops on the calling thread. The scores and gradients are contiguous; masks are
 * views of any strides expanded to the scores' shape: INT32 masks block (non-zero means "may not
 * attend"), floating point masks are added.
 */
public final class AttentionKernels {
    private AttentionKernels() {}

    /** Elements per parallel chunk below which work stays on one thread. */
    private static final int GRAIN = 1 << 14;

    /**
     * The masked, scaled softmax of the rows of {@code s}.
     *
     * @param s the contiguous scores {@code (..., Lq, Lk)}, FLOAT32 or FLOAT64
     * @param scale the factor of the scores
     * @param causal whether query i (row i of the last two dimensions) may only attend keys {@code j <= i}
     * @param masks blocking (INT32) and additive (floating point) masks expanded to the scores' shape
     * @param out the weights, contiguous from index 0, shaped and typed as s (overwritten)
     */
    public static void maskedSoftmax(Tensor s, double scale, boolean causal, List<Tensor> masks, Tensor out) {
        maskedSoftmax(KernelProvider.kernels(), s, scale, causal, masks, out);
    }

    static void maskedSoftmax(Kernels kern, Tensor s, double scale, boolean causal, List<Tensor> masks, Tensor out) {
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
        if (dt == DType.FLOAT32) {
            float[] x = s.floatData();
            int xo = s.offset();
            float[] o = out.floatData();
            float sc = (float) scale;
            Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, cols)), (from, to) -> {
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
                    finishRow(kern, o, base, cols);
                }
            });
            return;
        }
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
            finishRow(o, base, cols, mx);
        }
    }

    /** The softmax of a FLOAT32 row of scaled, masked scores in place; zeros when every entry is -inf. */
    private static void finishRow(Kernels kern, float[] o, int base, int cols) {
        if (kern.max(o, base, cols) == Float.NEGATIVE_INFINITY) {
            Arrays.fill(o, base, base + cols, 0f);
        } else {
            kern.softmaxRows(o, base, o, base, 1, cols, false);
        }
    }

    /** The softmax of a FLOAT64 row of scaled, masked scores whose largest is mx, in place. */
    private static void finishRow(double[] o, int base, int cols, double mx) {
        if (mx == Double.NEGATIVE_INFINITY) {
            Arrays.fill(o, base, base + cols, 0);
            return;
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

    /** The storage offset of the start of each row of a (broadcast) view. */
    private static int[] rowOffsets(Tensor t) {
        return offsets(t, t.dim() - 1);
    }

    /** The storage offsets of the sub-tensors indexed by the first {@code r} dimensions, in row-major order. */
    private static int[] offsets(Tensor t, int r) {
        int[] shape = t.shape();
        int[] st = t.strides();
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

    /**
     * The gradient of the scores given the weights p and the gradient g of the weights (before
     * dropout): {@code ds = scale * p * (g - sum(g * p))} per row.
     *
     * @param p the weights from {@link #maskedSoftmax}, contiguous from index 0
     * @param g the contiguous gradient of the weights, shaped and typed as p
     * @param scale the factor of the scores
     * @param ds the gradient of the scores, contiguous from index 0, shaped and typed as p (overwritten)
     */
    public static void maskedSoftmaxBackward(Tensor p, Tensor g, double scale, Tensor ds) {
        maskedSoftmaxBackward(KernelProvider.kernels(), p, g, scale, ds);
    }

    static void maskedSoftmaxBackward(Kernels kern, Tensor p, Tensor g, double scale, Tensor ds) {
        int[] shape = p.shape();
        int cols = shape[shape.length - 1];
        int rows = p.numel() / Math.max(cols, 1);
        if (p.dtype() == DType.FLOAT32) {
            float[] pa = p.floatData();
            float[] ga = g.floatData();
            int go = g.offset();
            float[] d = ds.floatData();
            float sc = (float) scale;
            Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, cols)), (from, to) -> {
                for (int r = from; r < to; r++) {
                    int base = r * cols;
                    backwardRow(kern, ga, go + base, pa, base, sc, d, base, cols);
                }
            });
            return;
        }
        double[] pa = p.doubleData();
        double[] ga = g.doubleData();
        int go = g.offset();
        double[] d = ds.doubleData();
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            backwardRow(ga, go + base, pa, base, scale, d, base, cols);
        }
    }

    /** {@code d = scale * p * (g - sum(g * p))} for one FLOAT32 row; d may be g. */
    private static void backwardRow(
            Kernels kern, float[] g, int go, float[] p, int po, float scale, float[] d, int dOff, int cols) {
        float dot = kern.dot(g, go, p, po, cols);
        for (int j = 0; j < cols; j++) {
            d[dOff + j] = scale * p[po + j] * (g[go + j] - dot);
        }
    }

    /** {@code d = scale * p * (g - sum(g * p))} for one FLOAT64 row; d may be g. */
    private static void backwardRow(
            double[] g, int go, double[] p, int po, double scale, double[] d, int dOff, int cols) {
        double dot = 0;
        for (int j = 0; j < cols; j++) {
            dot += g[go + j] * p[po + j];
        }
        for (int j = 0; j < cols; j++) {
            d[dOff + j] = scale * p[po + j] * (g[go + j] - dot);
        }
    }

    /**
     * Scaled dot-product attention without masks or dropout, fused matrix by matrix of the batch:
     * {@code out = softmax(scale * q k^T) v}, query i attending keys {@code j <= i} only when causal.
     * Each matrix's scores and weights live in a buffer of the thread ({@code Lq x Lk}) while its two
     * products and softmax run, instead of two {@code (..., Lq, Lk)} tensors that the composed form writes
     * to memory and reads back. The products are the active GEMM's with the operands and sizes of the
     * composed form ({@code q k^T}, then the weights times v) and the rows are {@link #maskedSoftmax}'s,
     * so the output is the same, bit for bit.
     *
     * @param q queries {@code (..., Lq, d)}: rows of any stride, columns of stride 1
     * @param k keys {@code (..., Lk, d)} with q's batch shape, laid out as q
     * @param v values {@code (..., Lk, dv)} with q's batch shape, laid out as q
     * @param scale the factor of the scores
     * @param causal whether query i may only attend keys {@code j <= i}
     * @param out the output {@code (..., Lq, dv)}: rows of any stride, columns of stride 1 (overwritten)
     */
    public static void attention(Tensor q, Tensor k, Tensor v, double scale, boolean causal, Tensor out) {
        attention(KernelProvider.kernels(), q, k, v, scale, causal, out);
    }

    static void attention(Kernels kern, Tensor q, Tensor k, Tensor v, double scale, boolean causal, Tensor out) {
        Slices sl = new Slices("attention", q, k, v);
        int[] oo = sl.offsets("attention", "the output", out, sl.lq, sl.dv);
        int ldo = rowStride(out);
        int lq = sl.lq;
        int lk = sl.lk;
        int dv = sl.dv;
        int ss = lq * lk;
        if (q.dtype() == DType.FLOAT32) {
            float[] qa = q.floatData();
            float[] ka = k.floatData();
            float[] va = v.floatData();
            float[] o = out.floatData();
            float sc = (float) scale;
            Parallel.forRange(sl.count, 1, (from, to) -> {
                float[] p = ScratchPool.floats(ss);
                for (int b = from; b < to; b++) {
                    weights(kern, sl, b, qa, ka, sc, causal, p);
                    kern.sgemm(false, false, lq, dv, lk, 1f, p, 0, lk, va, sl.v[b], sl.ldv, 0f, o, oo[b], ldo);
                }
                ScratchPool.give(p);
            });
            return;
        }
        double[] qa = q.doubleData();
        double[] ka = k.doubleData();
        double[] va = v.doubleData();
        double[] o = out.doubleData();
        double[] p = new double[ss];
        for (int b = 0; b < sl.count; b++) {
            weights(kern, sl, b, qa, ka, scale, causal, p);
            kern.dgemm(false, false, lq, dv, lk, 1, p, 0, lk, va, sl.v[b], sl.ldv, 0, o, oo[b], ldo);
        }
    }

    /**
     * The gradients of {@link #attention} given the gradient g of its output, matrix by matrix: the
     * weights p recomputed as the forward computed them (the forward keeps nothing of its own), then
     * {@code dp = g v^T}, {@code ds = scale * p * (dp - sum(dp * p))} per row ({@link
     * #maskedSoftmaxBackward}), {@code dq = ds k}, {@code dk = ds^T q}, {@code dv = p^T g}, with p and ds in
     * buffers of the thread. The values are those of the composed form's backward, bit for bit.
     *
     * @param q the forward's queries
     * @param k the forward's keys
     * @param v the forward's values
     * @param g the gradient of the output {@code (..., Lq, dv)}: rows of any stride, columns of stride 1
     * @param scale the forward's factor
     * @param causal the forward's causality
     * @param dq the gradient of q, {@code (..., Lq, d)}, rows of any stride, columns of stride 1 (overwritten)
     * @param dk the gradient of k, {@code (..., Lk, d)}, as dq (overwritten)
     * @param dv the gradient of v, {@code (..., Lk, dv)}, as dq (overwritten)
     */
    public static void attentionBackward(
            Tensor q, Tensor k, Tensor v, Tensor g, double scale, boolean causal, Tensor dq, Tensor dk, Tensor dv) {
        attentionBackward(KernelProvider.kernels(), q, k, v, g, scale, causal, dq, dk, dv);
    }

    static void attentionBackward(
            Kernels kern,
            Tensor q,
            Tensor k,
            Tensor v,
            Tensor g,
            double scale,
            boolean causal,
            Tensor dq,
            Tensor dk,
            Tensor dv) {
        Slices sl = new Slices("attentionBackward", q, k, v);
        int[] go = sl.offsets("attentionBackward", "the output's gradient", g, sl.lq, sl.dv);
        int ldg = rowStride(g);
        int[] dqo = sl.offsets("attentionBackward", "dq", dq, sl.lq, sl.d);
        int[] dko = sl.offsets("attentionBackward", "dk", dk, sl.lk, sl.d);
        int[] dvo = sl.offsets("attentionBackward", "dv", dv, sl.lk, sl.dv);
        int lddq = rowStride(dq);
        int lddk = rowStride(dk);
        int lddv = rowStride(dv);
        int lq = sl.lq;
        int lk = sl.lk;
        int d = sl.d;
        int n = sl.dv;
        int ss = lq * lk;
        if (q.dtype() == DType.FLOAT32) {
            float[] qa = q.floatData();
            float[] ka = k.floatData();
            float[] va = v.floatData();
            float[] ga = g.floatData();
            float[] dqa = dq.floatData();
            float[] dka = dk.floatData();
            float[] dva = dv.floatData();
            float sc = (float) scale;
            Parallel.forRange(sl.count, 1, (from, to) -> {
                float[] p = ScratchPool.floats(ss);
                float[] ds = ScratchPool.floats(ss);
                for (int b = from; b < to; b++) {
                    weights(kern, sl, b, qa, ka, sc, causal, p);
                    kern.sgemm(false, true, lq, lk, n, 1f, ga, go[b], ldg, va, sl.v[b], sl.ldv, 0f, ds, 0, lk);
                    for (int r = 0; r < lq; r++) {
                        backwardRow(kern, ds, r * lk, p, r * lk, sc, ds, r * lk, lk);
                    }
                    kern.sgemm(false, false, lq, d, lk, 1f, ds, 0, lk, ka, sl.k[b], sl.ldk, 0f, dqa, dqo[b], lddq);
                    kern.sgemm(true, false, lk, d, lq, 1f, ds, 0, lk, qa, sl.q[b], sl.ldq, 0f, dka, dko[b], lddk);
                    kern.sgemm(true, false, lk, n, lq, 1f, p, 0, lk, ga, go[b], ldg, 0f, dva, dvo[b], lddv);
                }
                ScratchPool.give(ds);
                ScratchPool.give(p);
            });
            return;
        }
        double[] qa = q.doubleData();
        double[] ka = k.doubleData();
        double[] va = v.doubleData();
        double[] ga = g.doubleData();
        double[] dqa = dq.doubleData();
        double[] dka = dk.doubleData();
        double[] dva = dv.doubleData();
        double[] p = new double[ss];
        double[] ds = new double[ss];
        for (int b = 0; b < sl.count; b++) {
            weights(kern, sl, b, qa, ka, scale, causal, p);
            kern.dgemm(false, true, lq, lk, n, 1, ga, go[b], ldg, va, sl.v[b], sl.ldv, 0, ds, 0, lk);
            for (int r = 0; r < lq; r++) {
                backwardRow(ds, r * lk, p, r * lk, scale, ds, r * lk, lk);
            }
            kern.dgemm(false, false, lq, d, lk, 1, ds, 0, lk, ka, sl.k[b], sl.ldk, 0, dqa, dqo[b], lddq);
            kern.dgemm(true, false, lk, d, lq, 1, ds, 0, lk, qa, sl.q[b], sl.ldq, 0, dka, dko[b], lddk);
            kern.dgemm(true, false, lk, n, lq, 1, p, 0, lk, ga, go[b], ldg, 0, dva, dvo[b], lddv);
        }
    }

    /**
     * An operand of {@link #attention} or {@link #attentionBackward}: t itself when its columns have stride
     * 1 and its rows do not overlap (as the heads of a projection, viewed {@code (B, H, L, d)}, are),
     * else a contiguous copy.
     *
     * @param t a tensor of at least 2 dimensions
     * @return t or a contiguous copy
     */
    public static Tensor operand(Tensor t) {
        int r = t.dim();
        boolean ok = r >= 2 && (t.size(r - 1) <= 1 || t.strides()[r - 1] == 1) && rowStride(t) >= t.size(r - 1);
        return ok ? t : t.contiguous();
    }

    /**
     * The weights of matrix b into p ({@code Lq x Lk}, row stride Lk): {@code q k^T} by the GEMM, then each
     * row's scaled (causal) softmax, as the composed form computes them.
     */
    private static void weights(
            Kernels kern, Slices sl, int b, float[] qa, float[] ka, float scale, boolean causal, float[] p) {
        int lk = sl.lk;
        kern.sgemm(false, true, sl.lq, lk, sl.d, 1f, qa, sl.q[b], sl.ldq, ka, sl.k[b], sl.ldk, 0f, p, 0, lk);
        for (int r = 0; r < sl.lq; r++) {
            softmaxRow(kern, p, r * lk, scale, causal ? Math.min(lk, r + 1) : lk, lk);
        }
    }

    /** {@link #weights(Kernels, Slices, int, float[], float[], float, boolean, float[])} in FLOAT64. */
    private static void weights(
            Kernels kern, Slices sl, int b, double[] qa, double[] ka, double scale, boolean causal, double[] p) {
        int lk = sl.lk;
        kern.dgemm(false, true, sl.lq, lk, sl.d, 1, qa, sl.q[b], sl.ldq, ka, sl.k[b], sl.ldk, 0, p, 0, lk);
        for (int r = 0; r < sl.lq; r++) {
            softmaxRow(p, r * lk, scale, causal ? Math.min(lk, r + 1) : lk, lk);
        }
    }

    /** Row {@code base} of a FLOAT32 score matrix in place: scaled, -inf from {@code limit}, softmax. */
    private static void softmaxRow(Kernels kern, float[] s, int base, float scale, int limit, int cols) {
        kern.mulScalar(s, base, scale, s, base, limit);
        Arrays.fill(s, base + limit, base + cols, Float.NEGATIVE_INFINITY);
        finishRow(kern, s, base, cols);
    }

    /** {@link #softmaxRow(Kernels, float[], int, float, int, int)} in FLOAT64, as {@link #maskedSoftmax}. */
    private static void softmaxRow(double[] s, int base, double scale, int limit, int cols) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            double v = j < limit ? s[base + j] * scale : Double.NEGATIVE_INFINITY;
            s[base + j] = v;
            mx = Math.max(mx, v);
        }
        finishRow(s, base, cols, mx);
    }

    /** The row stride of the matrices of t (..., rows, cols): the columns when there is one row. */
    private static int rowStride(Tensor t) {
        int r = t.dim();
        return t.size(r - 2) <= 1 ? Math.max(1, t.size(r - 1)) : t.strides()[r - 2];
    }

    /** The matrices of attention's q, k and v: sizes, row strides and each matrix's storage offset. */
    private static final class Slices {
        final int count;
        final int lq;
        final int lk;
        final int d;
        final int dv;
        final int ldq;
        final int ldk;
        final int ldv;
        final int[] q;
        final int[] k;
        final int[] v;
        private final int[] batch;

        Slices(String op, Tensor q, Tensor k, Tensor v) {
            int r = q.dim();
            if (r < 2 || k.dim() != r || v.dim() != r) {
                throw new IllegalArgumentException(
                        op + ": q, k and v need the same number (at least 2) of dimensions, got "
                                + Arrays.toString(q.shape()) + ", " + Arrays.toString(k.shape()) + ", "
                                + Arrays.toString(v.shape()));
            }
            if (q.dtype() != k.dtype() || q.dtype() != v.dtype() || !q.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(op + ": q, k and v must all be FLOAT32 or all FLOAT64, got "
                        + q.dtype() + ", " + k.dtype() + ", " + v.dtype());
            }
            batch = Arrays.copyOf(q.shape(), r - 2);
            lq = q.size(r - 2);
            d = q.size(r - 1);
            lk = k.size(r - 2);
            dv = v.size(r - 1);
            if (k.size(r - 1) != d || v.size(r - 2) != lk) {
                throw new IllegalArgumentException(op + ": shapes q " + Arrays.toString(q.shape()) + ", k "
                        + Arrays.toString(k.shape()) + ", v " + Arrays.toString(v.shape())
                        + " do not fit (..., Lq, d), (..., Lk, d), (..., Lk, dv)");
            }
            this.q = offsets(op, "q", q, lq, d);
            this.k = offsets(op, "k", k, lk, d);
            this.v = offsets(op, "v", v, lk, dv);
            count = this.q.length;
            ldq = rowStride(q);
            ldk = rowStride(k);
            ldv = rowStride(v);
        }

        /** The offsets of t's matrices, after checking its batch shape, matrix shape and column stride. */
        int[] offsets(String op, String name, Tensor t, int rows, int cols) {
            int r = t.dim();
            int[] shape = t.shape();
            if (r != batch.length + 2
                    || !Arrays.equals(Arrays.copyOf(shape, r - 2), batch)
                    || shape[r - 2] != rows
                    || shape[r - 1] != cols) {
                throw new IllegalArgumentException(op + ": " + name + " of shape " + Arrays.toString(shape)
                        + ", expected " + Arrays.toString(batch) + " then (" + rows + ", " + cols + ")");
            }
            if ((cols > 1 && t.strides()[r - 1] != 1) || rowStride(t) < cols) {
                throw new IllegalArgumentException(op + ": " + name + " " + Arrays.toString(shape) + " has strides "
                        + Arrays.toString(t.strides()) + "; expected its columns at stride 1 and rows at least "
                        + cols + " apart");
            }
            return AttentionKernels.offsets(t, r - 2);
        }
    }

    /**
     * The keep mask of inverted dropout: element k is kept with probability {@code 1 - dropout}, one
     * generator draw per element in order (so the mask does not depend on the thread count).
     *
     * @param g the generator
     * @param n the number of elements
     * @param dropout the probability of dropping an element
     * @return the keep flags
     */
    public static boolean[] keepMask(Generator g, int n, double dropout) {
        boolean[] keep = new boolean[n];
        double q = 1 - dropout;
        for (int k = 0; k < n; k++) {
            keep[k] = g.nextDouble() < q;
        }
        return keep;
    }

    /**
     * Applies a keep mask with inverted-dropout scaling: {@code out = in * keep / (1 - dropout)}.
     *
     * @param in a contiguous FLOAT32 or FLOAT64 tensor of {@code keep.length} elements
     * @param keep the keep flags
     * @param dropout the probability of dropping an element
     * @return a new tensor shaped and typed as in
     */
    public static Tensor drop(Tensor in, boolean[] keep, double dropout) {
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
}
