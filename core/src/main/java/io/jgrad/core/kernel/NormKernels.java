package io.jgrad.core.kernel;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.util.List;

/**
 * The fused loops of the normalization functions (layer, group, instance and batch norm), on FLOAT32
 * and FLOAT64 tensors. The FLOAT32 row kernels run on the active {@link Kernels} (SIMD when enabled)
 * with float accumulation, as PyTorch does; the FLOAT64 ones are scalar loops accumulating in double.
 * The per-channel loops are {@code FloatChannelNorm} and its generated FLOAT64 twin.
 *
 * <p>Tensors are contiguous from index 0 of their storage and of one floating point type; shapes are
 * trusted (the callers check them). Rows: {@code x} is {@code (R, D)}, normalized over each row of D.
 * Channels: {@code x} is {@code (N, C, L)}, normalized per channel over N and L.
 */
public final class NormKernels {
    private NormKernels() {}

    /** Elements per parallel chunk below which work stays on one thread. */
    private static final int GRAIN = 1 << 15;

    private static boolean f32(Tensor x) {
        return x.dtype() == DType.FLOAT32;
    }

    private static float[] floats(Tensor t) {
        return t == null ? null : t.floatData();
    }

    private static double[] doubles(Tensor t) {
        return t == null ? null : t.doubleData();
    }

    // ------------------------------------------------------------------------------------------ rows

    /**
     * {@code y = (x - mean) * rstd * w + b} per row of {@code d} elements, with the row's mean and
     * {@code 1 / sqrt(var + eps)} (biased variance) stored in {@code mean} and {@code rstd}.
     *
     * @param x the input (rows, d)
     * @param y the output, same shape (overwritten)
     * @param w the scale (d), or null
     * @param b the shift (d), or null
     * @param rows the number of rows
     * @param d the row length
     * @param eps added to the variance
     * @param mean the row means (rows, written)
     * @param rstd the reciprocal standard deviations of the rows (rows, written)
     */
    public static void rowsForward(
            Tensor x, Tensor y, Tensor w, Tensor b, int rows, int d, double eps, double[] mean, double[] rstd) {
        if (f32(x)) {
            rowsForward(
                    KernelProvider.kernels(),
                    x.floatData(),
                    y.floatData(),
                    floats(w),
                    floats(b),
                    rows,
                    d,
                    eps,
                    mean,
                    rstd);
        } else {
            rowsForward(x.doubleData(), y.doubleData(), doubles(w), doubles(b), rows, d, eps, mean, rstd);
        }
    }

    /**
     * Gradients of {@link #rowsForward}: with {@code dh = g * w} and {@code h = (x - mean) * rstd},
     * {@code dx = rstd / D * (D dh - sum(dh) - h sum(dh h))} per row, {@code dw = sum over rows of
     * g h}, {@code db = sum over rows of g}.
     *
     * @param x the forward's input (rows, d)
     * @param g the gradient of the output (rows, d)
     * @param w the scale (d), or null
     * @param mean the forward's row means
     * @param rstd the forward's reciprocal standard deviations
     * @param rows the number of rows
     * @param d the row length
     * @param dx the input gradient (rows, d; overwritten), or null when not wanted
     * @param dw the scale gradient (d; added to), or null when not wanted
     * @param db the shift gradient (d; added to), or null when not wanted
     */
    public static void rowsBackward(
            Tensor x,
            Tensor g,
            Tensor w,
            double[] mean,
            double[] rstd,
            int rows,
            int d,
            Tensor dx,
            double[] dw,
            double[] db) {
        if (f32(x)) {
            rowsBackward(
                    KernelProvider.kernels(),
                    x.floatData(),
                    g.floatData(),
                    floats(w),
                    mean,
                    rstd,
                    rows,
                    d,
                    floats(dx),
                    dw,
                    db);
        } else {
            rowsBackward(x.doubleData(), g.doubleData(), doubles(w), mean, rstd, rows, d, doubles(dx), dw, db);
        }
    }

    static void rowsForward(
            Kernels k,
            float[] x,
            float[] y,
            float[] w,
            float[] b,
            int rows,
            int d,
            double eps,
            double[] mean,
            double[] rstd) {
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(d, 1)), (r0, r1) -> {
            float[] t = new float[d];
            for (int r = r0; r < r1; r++) {
                int base = r * d;
                float m = k.sum(x, base, d) / d;
                k.addScalar(x, base, -m, t, 0, d); // t = x - mean
                float rs = (float) (1 / Math.sqrt(k.dot(t, 0, t, 0, d) / (double) d + eps));
                mean[r] = m;
                rstd[r] = rs;
                if (w == null && b == null) {
                    k.mulScalar(t, 0, rs, y, base, d);
                    continue;
                }
                k.mulScalar(t, 0, rs, t, 0, d);
                if (w != null) {
                    k.mul(t, 0, w, 0, y, base, d);
                } else {
                    System.arraycopy(t, 0, y, base, d);
                }
                if (b != null) {
                    k.add(y, base, b, 0, y, base, d);
                }
            }
        });
    }

    static void rowsForward(
            double[] x, double[] y, double[] w, double[] b, int rows, int d, double eps, double[] mean, double[] rstd) {
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(d, 1)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * d;
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += x[base + j];
                }
                double m = s / d;
                double v = 0;
                for (int j = 0; j < d; j++) {
                    double t = x[base + j] - m;
                    v += t * t;
                }
                double rs = 1 / Math.sqrt(v / d + eps);
                mean[r] = m;
                rstd[r] = rs;
                for (int j = 0; j < d; j++) {
                    double h = (x[base + j] - m) * rs;
                    y[base + j] = (w == null ? h : h * w[j]) + (b == null ? 0 : b[j]);
                }
            }
        });
    }

    static void rowsBackward(
            Kernels k,
            float[] x,
            float[] g,
            float[] w,
            double[] mean,
            double[] rstd,
            int rows,
            int d,
            float[] dx,
            double[] dw,
            double[] db) {
        List<float[][]> partials = Parallel.mapChunks(rows, Math.max(1, GRAIN / Math.max(d, 1)), (r0, r1) -> {
            float[] h = new float[d];
            float[] dh = new float[d];
            float[] pw = dw == null ? null : new float[d];
            float[] pb = db == null ? null : new float[d];
            for (int r = r0; r < r1; r++) {
                int base = r * d;
                float rs = (float) rstd[r];
                k.addScalar(x, base, (float) -mean[r], h, 0, d);
                k.mulScalar(h, 0, rs, h, 0, d); // h = (x - mean) * rstd
                if (pb != null) {
                    k.add(pb, 0, g, base, pb, 0, d);
                }
                if (pw != null) {
                    k.mul(g, base, h, 0, dh, 0, d);
                    k.add(pw, 0, dh, 0, pw, 0, d);
                }
                if (dx == null) {
                    continue;
                }
                if (w == null) {
                    System.arraycopy(g, base, dh, 0, d);
                } else {
                    k.mul(g, base, w, 0, dh, 0, d); // dh = g * w
                }
                float a = k.sum(dh, 0, d) / d;
                float c = k.dot(dh, 0, h, 0, d) / d;
                k.axpy(d, -c, h, 0, dh, 0); // dh - h * mean(dh h)
                k.addScalar(dh, 0, -a, dh, 0, d); // - mean(dh)
                k.mulScalar(dh, 0, rs, dx, base, d); // * rstd
            }
            return new float[][] {pw, pb};
        });
        // the chunks' partial sums in the order of the chunks, whichever finished first: the same bits
        // on every run
        for (float[][] part : partials) {
            for (int j = 0; j < d; j++) {
                if (part[0] != null) {
                    dw[j] += part[0][j];
                }
                if (part[1] != null) {
                    db[j] += part[1][j];
                }
            }
        }
    }

    static void rowsBackward(
            double[] x,
            double[] g,
            double[] w,
            double[] mean,
            double[] rstd,
            int rows,
            int d,
            double[] dx,
            double[] dw,
            double[] db) {
        List<double[][]> partials = Parallel.mapChunks(rows, Math.max(1, GRAIN / Math.max(d, 1)), (r0, r1) -> {
            double[] pw = dw == null ? null : new double[d];
            double[] pb = db == null ? null : new double[d];
            for (int r = r0; r < r1; r++) {
                int base = r * d;
                double m = mean[r];
                double rs = rstd[r];
                double s1 = 0;
                double s2 = 0;
                for (int j = 0; j < d; j++) {
                    double h = (x[base + j] - m) * rs;
                    double gj = g[base + j];
                    double dh = w == null ? gj : gj * w[j];
                    s1 += dh;
                    s2 += dh * h;
                    if (pw != null) {
                        pw[j] += gj * h;
                    }
                    if (pb != null) {
                        pb[j] += gj;
                    }
                }
                if (dx != null) {
                    double a = s1 / d;
                    double c = s2 / d;
                    for (int j = 0; j < d; j++) {
                        double h = (x[base + j] - m) * rs;
                        double dh = w == null ? g[base + j] : g[base + j] * w[j];
                        dx[base + j] = rs * (dh - a - h * c);
                    }
                }
            }
            return new double[][] {pw, pb};
        });
        // in the order of the chunks, as the float version
        for (double[][] part : partials) {
            for (int j = 0; j < d; j++) {
                if (part[0] != null) {
                    dw[j] += part[0][j];
                }
                if (part[1] != null) {
                    db[j] += part[1][j];
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ channels

    /**
     * Per-channel mean and biased variance of {@code x (N, C, L)}, two passes per channel (mean, then
     * centred squares) for accuracy.
     *
     * @param x the input (N, C, L)
     * @param n N
     * @param c C
     * @param l L
     * @param mean the channel means (C, written)
     * @param var the channel variances (C, written)
     */
    public static void channelStats(Tensor x, int n, int c, int l, double[] mean, double[] var) {
        if (f32(x)) {
            FloatChannelNorm.channelStats(KernelProvider.kernels(), x.floatData(), n, c, l, mean, var);
        } else {
            DoubleChannelNorm.channelStats(KernelProvider.kernels(), x.doubleData(), n, c, l, mean, var);
        }
    }

    /**
     * {@code y = x * scale[c] + shift[c]} for {@code x (N, C, L)}.
     *
     * @param x the input (N, C, L)
     * @param y the output, same shape (overwritten)
     * @param n N
     * @param c C
     * @param l L
     * @param scale the scale of each channel (C)
     * @param shift the shift of each channel (C)
     */
    public static void channelAffine(Tensor x, Tensor y, int n, int c, int l, double[] scale, double[] shift) {
        if (f32(x)) {
            FloatChannelNorm.channelAffine(
                    KernelProvider.kernels(), x.floatData(), y.floatData(), n, c, l, scale, shift);
        } else {
            DoubleChannelNorm.channelAffine(
                    KernelProvider.kernels(), x.doubleData(), y.doubleData(), n, c, l, scale, shift);
        }
    }

    /**
     * Per-channel sums {@code sg = sum(g)} and {@code sgh = sum(g * (x - mean) * rstd)} over N and L,
     * the reductions of the batch-norm backward.
     *
     * @param x the forward's input (N, C, L)
     * @param g the gradient of the output (N, C, L)
     * @param n N
     * @param c C
     * @param l L
     * @param mean the channel means used by the forward
     * @param rstd the reciprocal standard deviations used by the forward
     * @param sg the sums of g (C, written)
     * @param sgh the sums of g times the normalized input (C, written)
     */
    public static void channelGradSums(
            Tensor x, Tensor g, int n, int c, int l, double[] mean, double[] rstd, double[] sg, double[] sgh) {
        if (f32(x)) {
            FloatChannelNorm.channelGradSums(
                    KernelProvider.kernels(), x.floatData(), g.floatData(), n, c, l, mean, rstd, sg, sgh);
        } else {
            DoubleChannelNorm.channelGradSums(
                    KernelProvider.kernels(), x.doubleData(), g.doubleData(), n, c, l, mean, rstd, sg, sgh);
        }
    }

    /**
     * The training-mode input gradient of batch norm: with {@code h = (x - mean) * rstd} and M = N L,
     * {@code dx = w rstd (g - sg / M - h sgh / M)} (w = 1 without affine).
     *
     * @param x the forward's input (N, C, L)
     * @param g the gradient of the output (N, C, L)
     * @param dx the input gradient (N, C, L; overwritten)
     * @param n N
     * @param c C
     * @param l L
     * @param mean the batch's channel means
     * @param rstd the batch's reciprocal standard deviations
     * @param w the scale of each channel (C), or null
     * @param sg the sums of g from {@link #channelGradSums}
     * @param sgh the sums of g h from {@link #channelGradSums}
     */
    public static void channelInputGrad(
            Tensor x,
            Tensor g,
            Tensor dx,
            int n,
            int c,
            int l,
            double[] mean,
            double[] rstd,
            double[] w,
            double[] sg,
            double[] sgh) {
        Kernels k = KernelProvider.kernels();
        if (f32(x)) {
            FloatChannelNorm.channelInputGrad(
                    k, x.floatData(), g.floatData(), dx.floatData(), n, c, l, mean, rstd, w, sg, sgh);
        } else {
            DoubleChannelNorm.channelInputGrad(
                    k, x.doubleData(), g.doubleData(), dx.doubleData(), n, c, l, mean, rstd, w, sg, sgh);
        }
    }
}
