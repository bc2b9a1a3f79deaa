package io.jgrad.layers;

import io.jgrad.core.kernel.Parallel;

/**
 * Fused loops of the normalization layers, in FLOAT32 and FLOAT64 variants of identical structure.
 * Statistics are accumulated in double. Arrays are contiguous and start at index 0; shapes are
 * trusted (the layers check them).
 *
 * <p>Rows: {@code x} is {@code (R, D)} normalized over each row of D (layer, group and instance
 * norm). Channels: {@code x} is {@code (N, C, L)} normalized per channel over N and L (batch norm).
 */
final class NormKernels {
    private NormKernels() {
    }

    /** Elements per parallel chunk below which work stays on one thread. */
    private static final int GRAIN = 1 << 15;

    // ------------------------------------------------------------------------------------------ rows

    /**
     * {@code y = (x - mean) * rstd * w + b} per row, with the row's mean and {@code 1 / sqrt(var +
     * eps)} (biased variance) stored in {@code mean} and {@code rstd}; w and b may be null.
     */
    static void rowsForward(float[] x, float[] y, float[] w, float[] b, int rows, int d, double eps, double[] mean,
            double[] rstd) {
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
                float mf = (float) m;
                float rf = (float) rs;
                if (w == null && b == null) {
                    for (int j = 0; j < d; j++) {
                        y[base + j] = (x[base + j] - mf) * rf;
                    }
                } else {
                    for (int j = 0; j < d; j++) {
                        float h = (x[base + j] - mf) * rf;
                        y[base + j] = (w == null ? h : h * w[j]) + (b == null ? 0f : b[j]);
                    }
                }
            }
        });
    }

    /** FLOAT64 variant of {@link #rowsForward(float[], float[], float[], float[], int, int, double, double[], double[])}. */
    static void rowsForward(double[] x, double[] y, double[] w, double[] b, int rows, int d, double eps, double[] mean,
            double[] rstd) {
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
    static void rowsBackward(float[] x, float[] g, float[] w, double[] mean, double[] rstd, int rows, int d, float[] dx,
            double[] dw, double[] db) {
        Object lock = new Object();
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(d, 1)), (r0, r1) -> {
            double[] pw = dw == null ? null : new double[d];
            double[] pb = db == null ? null : new double[d];
            for (int r = r0; r < r1; r++) {
                int base = r * d;
                float mf = (float) mean[r];
                float rf = (float) rstd[r];
                double s1 = 0;
                double s2 = 0;
                for (int j = 0; j < d; j++) {
                    float h = (x[base + j] - mf) * rf;
                    float gj = g[base + j];
                    float dh = w == null ? gj : gj * w[j];
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
                    float a = (float) (s1 / d);
                    float c = (float) (s2 / d);
                    for (int j = 0; j < d; j++) {
                        float h = (x[base + j] - mf) * rf;
                        float dh = w == null ? g[base + j] : g[base + j] * w[j];
                        dx[base + j] = rf * (dh - a - h * c);
                    }
                }
            }
            merge(lock, pw, dw, pb, db);
        });
    }

    /** FLOAT64 variant of {@link #rowsBackward(float[], float[], float[], double[], double[], int, int, float[], double[], double[])}. */
    static void rowsBackward(double[] x, double[] g, double[] w, double[] mean, double[] rstd, int rows, int d, double[] dx,
            double[] dw, double[] db) {
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
        Parallel.forRange(n * c, Math.max(1, GRAIN / Math.max(l, 1)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                float a = (float) scale[ch];
                float b = (float) shift[ch];
                int base = r * l;
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
    static void channelGradSums(float[] x, float[] g, int n, int c, int l, double[] mean, double[] rstd, double[] sg,
            double[] sgh) {
        Parallel.forRange(c, Math.max(1, GRAIN / Math.max(n * l, 1)), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                float m = (float) mean[ch];
                double s1 = 0;
                double s2 = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * l;
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
    static void channelGradSums(double[] x, double[] g, int n, int c, int l, double[] mean, double[] rstd, double[] sg,
            double[] sgh) {
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
    static void channelInputGrad(float[] x, float[] g, float[] dx, int n, int c, int l, double[] mean, double[] rstd,
            double[] w, double[] sg, double[] sgh) {
        double cnt = (double) n * l;
        Parallel.forRange(n * c, Math.max(1, GRAIN / Math.max(l, 1)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                float rs = (float) rstd[ch];
                float m = (float) mean[ch];
                float k = (float) ((w == null ? 1 : w[ch]) * rstd[ch]);
                float a = (float) (sg[ch] / cnt);
                float b = (float) (sgh[ch] / cnt);
                int base = r * l;
                for (int j = 0; j < l; j++) {
                    float h = (x[base + j] - m) * rs;
                    dx[base + j] = k * (g[base + j] - a - h * b);
                }
            }
        });
    }

    /** FLOAT64 variant of {@link #channelInputGrad(float[], float[], float[], int, int, int, double[], double[], double[], double[], double[])}. */
    static void channelInputGrad(double[] x, double[] g, double[] dx, int n, int c, int l, double[] mean, double[] rstd,
            double[] w, double[] sg, double[] sgh) {
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
