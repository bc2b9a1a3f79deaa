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
 * weights. A row with every entry blocked gives zeros (not NaN).
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
                    if (kern.max(o, base, cols) == Float.NEGATIVE_INFINITY) {
                        Arrays.fill(o, base, base + cols, 0f);
                    } else {
                        kern.softmaxRows(o, base, o, base, 1, cols, false);
                    }
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
                    float dot = kern.dot(ga, go + base, pa, base, cols);
                    for (int j = 0; j < cols; j++) {
                        d[base + j] = sc * pa[base + j] * (ga[go + base + j] - dot);
                    }
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
            double dot = 0;
            for (int j = 0; j < cols; j++) {
                dot += ga[go + base + j] * pa[base + j];
            }
            for (int j = 0; j < cols; j++) {
                d[base + j] = scale * pa[base + j] * (ga[go + base + j] - dot);
            }
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
