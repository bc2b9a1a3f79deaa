package io.jgrad.layers;

import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Kernels;
import io.jgrad.core.kernel.Parallel;

/**
 * Fused loops of the normalization layers, in FLOAT32 and FLOAT64 variants. The FLOAT32 row
 * kernels run on the core's (SIMD when available) vector primitives with float accumulation, as
 * PyTorch does; the others accumulate in double. Arrays are contiguous and start at index 0; shapes are
 * trusted (the layers check them).
 *
 * <p>Rows: {@code x} is {@code (R, D)} normalized over each row of D (layer, group and instance
 * norm). Channels: {@code x} is {@code (N, C, L)} normalized per channel over N and L (batch norm).
 */
final class NormKernels {
    private NormKernels() {}

    /** Elements per parallel chunk below which work stays on one thread. */
    private static final int GRAIN = 1 << 15;

    /** Channel blocks at least this long use the vector primitives. */
    private static final int VECTOR_MIN = 16;

    // ------------------------------------------------------------------------------------------ rows

    /**
     * {@code y = (x - mean) * rstd * w + b} per row, with the row's mean and {@code 1 / sqrt(var +
     * eps)} (biased variance) stored in {@code mean} and {@code rstd}; w and b may be null.
     */
    static void rowsForward(
            float[] x, float[] y, float[] w, float[] b, int rows, int d, double eps, double[] mean, double[] rstd) {
        Kernels k = KernelProvider.kernels();
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

    /** FLOAT64 variant of {@link #rowsForward(float[], float[], float[], float[], int, int, double, double[], double[])}. */
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

    /**
     * Gradients of {@link #rowsForward}: with {@code dh = g * w} and {@code h = (x - mean) * rstd},
     * {@code dx = rstd / D * (D dh - sum(dh) - h sum(dh h))} per row, {@code dw = sum over rows of
     * g h}, {@code db = sum over rows of g}. dw and db may be null (not wanted).
     */
    static void rowsBackward(
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
        Kernels k = KernelProvider.kernels();
        Object lock = new Object();
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(d, 1)), (r0, r1) -> {
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
            synchronized (lock) {
                for (int j = 0; j < d; j++) {
                    if (pw != null) {
                        dw[j] += pw[j];
                    }
                    if (pb != null) {
                        db[j] += pb[j];
                    }
                }
            }
        });
    }

    /** FLOAT64 variant of {@link #rowsBackward(float[], float[], float[], double[], double[], int, int, float[], double[], double[])}. */
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
        Object lock = new Object();
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(d, 1)), (r0, r1) -> {
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
            merge(lock, pw, dw, pb, db);
        });
    }

    private static void merge(Object lock, double[] pw, double[] dw, double[] pb, double[] db) {
        synchronized (lock) {
            if (pw != null) {
                for (int j = 0; j < pw.length; j++) {
                    dw[j] += pw[j];
                }
            }
            if (pb != null) {
                for (int j = 0; j < pb.length; j++) {
                    db[j] += pb[j];
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ channels

    /**
     * Per-channel mean and biased variance of {@code x (N, C, L)}, two passes per channel (mean,
     * then centred squares) for accuracy.
     */
    static void channelStats(float[] x, int n, int c, int l, double[] mean, double[] var) {
        if (l < VECTOR_MIN) {
            channelStatsScalar(x, n, c, l, mean, var);
            return;
        }
        Kernels k = KernelProvider.kernels();
        Parallel.forRange(c, Math.max(1, GRAIN / Math.max(n * l, 1)), (c0, c1) -> {
            float[] t = new float[l];
            for (int ch = c0; ch < c1; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += k.sum(x, (i * c + ch) * l, l);
                }
                double m = s / ((double) n * l);
                double v = 0;
                for (int i = 0; i < n; i++) {
                    k.addScalar(x, (i * c + ch) * l, (float) -m, t, 0, l);
                    v += k.dot(t, 0, t, 0, l);
                }
                mean[ch] = m;
                var[ch] = v / ((double) n * l);
            }
        });
    }

    private static void channelStatsScalar(float[] x, int n, int c, int l, double[] mean, double[] var) {
        Parallel.forRange(c, Math.max(1, GRAIN / Math.max(n * l, 1)), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * l;
                    for (int j = 0; j < l; j++) {
                        s += x[base + j];
                    }
                }
                double m = s / ((double) n * l);
                double v = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * l;
                    for (int j = 0; j < l; j++) {
                        double t = x[base + j] - m;
                        v += t * t;
                    }
                }
                mean[ch] = m;
                var[ch] = v / ((double) n * l);
            }
        });
    }

    /** FLOAT64 variant of {@link #channelStats(float[], int, int, int, double[], double[])}. */
    static void channelStats(double[] x, int n, int c, int l, double[] mean, double[] var) {
        Parallel.forRange(c, Math.max(1, GRAIN / Math.max(n * l, 1)), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * l;
                    for (int j = 0; j < l; j++) {
                        s += x[base + j];
                    }
                }
                double m = s / ((double) n * l);
                double v = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * l;
                    for (int j = 0; j < l; j++) {
                        double t = x[base + j] - m;
                        v += t * t;
                    }
                }
                mean[ch] = m;
                var[ch] = v / ((double) n * l);
            }
        });
    }

    /** {@code y = x * scale[c] + shift[c]} for {@code x (N, C, L)}. */
    static void channelAffine(float[] x, float[] y, int n, int c, int l, double[] scale, double[] shift) {
        Kernels k = KernelProvider.kernels();
        boolean vec = l >= VECTOR_MIN;
        Parallel.forRange(n * c, Math.max(1, GRAIN / Math.max(l, 1)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                float a = (float) scale[ch];
                float b = (float) shift[ch];
                int base = r * l;
                if (vec) {
                    k.mulScalar(x, base, a, y, base, l);
                    k.addScalar(y, base, b, y, base, l);
                    continue;
                }
                for (int j = 0; j < l; j++) {
                    y[base + j] = x[base + j] * a + b;
                }
            }
        });
    }

    /** FLOAT64 variant of {@link #channelAffine(float[], float[], int, int, int, double[], double[])}. */
    static void channelAffine(double[] x, double[] y, int n, int c, int l, double[] scale, double[] shift) {
        Parallel.forRange(n * c, Math.max(1, GRAIN / Math.max(l, 1)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                double a = scale[ch];
                double b = shift[ch];
                int base = r * l;
                for (int j = 0; j < l; j++) {
                    y[base + j] = x[base + j] * a + b;
                }
            }
        });
    }

    /**
     * Per-channel sums {@code sg = sum(g)} and {@code sgh = sum(g * (x - mean) * rstd)} over N and L,
     * the reductions of the batch-norm backward.
     */
    static void channelGradSums(
            float[] x, float[] g, int n, int c, int l, double[] mean, double[] rstd, double[] sg, double[] sgh) {
        Kernels k = KernelProvider.kernels();
        boolean vec = l >= VECTOR_MIN;
        Parallel.forRange(c, Math.max(1, GRAIN / Math.max(n * l, 1)), (c0, c1) -> {
            float[] t = vec ? new float[l] : null;
            for (int ch = c0; ch < c1; ch++) {
                float m = (float) mean[ch];
                double s1 = 0;
                double s2 = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * l;
                    if (vec) {
                        s1 += k.sum(g, base, l);
                        k.addScalar(x, base, -m, t, 0, l);
                        s2 += k.dot(g, base, t, 0, l);
                        continue;
                    }
                    for (int j = 0; j < l; j++) {
                        float gj = g[base + j];
                        s1 += gj;
                        s2 += gj * (x[base + j] - m);
                    }
                }
                sg[ch] = s1;
                sgh[ch] = s2 * rstd[ch];
            }
        });
    }

    /** FLOAT64 variant of {@link #channelGradSums(float[], float[], int, int, int, double[], double[], double[], double[])}. */
    static void channelGradSums(
            double[] x, double[] g, int n, int c, int l, double[] mean, double[] rstd, double[] sg, double[] sgh) {
        Parallel.forRange(c, Math.max(1, GRAIN / Math.max(n * l, 1)), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double m = mean[ch];
                double s1 = 0;
                double s2 = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * l;
                    for (int j = 0; j < l; j++) {
                        double gj = g[base + j];
                        s1 += gj;
                        s2 += gj * (x[base + j] - m);
                    }
                }
                sg[ch] = s1;
                sgh[ch] = s2 * rstd[ch];
            }
        });
    }

    /**
     * The training-mode input gradient of batch norm: with {@code h = (x - mean) * rstd} and M = N L,
     * {@code dx = w rstd (g - sg / M - h sgh / M)} (w = 1 without affine).
     */
    static void channelInputGrad(
            float[] x,
            float[] g,
            float[] dx,
            int n,
            int c,
            int l,
            double[] mean,
            double[] rstd,
            double[] w,
            double[] sg,
            double[] sgh) {
        double cnt = (double) n * l;
        Kernels kern = KernelProvider.kernels();
        boolean vec = l >= VECTOR_MIN;
        Parallel.forRange(n * c, Math.max(1, GRAIN / Math.max(l, 1)), (r0, r1) -> {
            float[] t = vec ? new float[l] : null;
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                float rs = (float) rstd[ch];
                float m = (float) mean[ch];
                float k = (float) ((w == null ? 1 : w[ch]) * rstd[ch]);
                float a = (float) (sg[ch] / cnt);
                float b = (float) (sgh[ch] / cnt);
                int base = r * l;
                if (vec) {
                    // dx = k g - k b rs (x - m) - k a
                    kern.addScalar(x, base, -m, t, 0, l);
                    kern.mulScalar(g, base, k, dx, base, l);
                    kern.axpy(l, -k * b * rs, t, 0, dx, base);
                    kern.addScalar(dx, base, -k * a, dx, base, l);
                    continue;
                }
                for (int j = 0; j < l; j++) {
                    float h = (x[base + j] - m) * rs;
                    dx[base + j] = k * (g[base + j] - a - h * b);
                }
            }
        });
    }

    /** FLOAT64 variant of {@link #channelInputGrad(float[], float[], float[], int, int, int, double[], double[], double[], double[], double[])}. */
    static void channelInputGrad(
            double[] x,
            double[] g,
            double[] dx,
            int n,
            int c,
            int l,
            double[] mean,
            double[] rstd,
            double[] w,
            double[] sg,
            double[] sgh) {
        double cnt = (double) n * l;
        Parallel.forRange(n * c, Math.max(1, GRAIN / Math.max(l, 1)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                double rs = rstd[ch];
                double m = mean[ch];
                double k = (w == null ? 1 : w[ch]) * rs;
                double a = sg[ch] / cnt;
                double b = sgh[ch] / cnt;
                int base = r * l;
                for (int j = 0; j < l; j++) {
                    double h = (x[base + j] - m) * rs;
                    dx[base + j] = k * (g[base + j] - a - h * b);
                }
            }
        });
    }
}
