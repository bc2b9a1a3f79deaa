package io.jgrad.core.kernel;

/**
 * The per-channel loops of batch normalization on {@code float[]}: {@code x} is {@code (N, C, L)},
 * contiguous from index 0, normalized per channel over N and L. Channel blocks of at least 16
 * elements run on the vector primitives of the given {@link Kernels}; shorter ones, and the FLOAT64
 * twin, run scalar loops accumulating in double. Shapes are trusted.
 *
 * <p>Twin: {@code DoubleChannelNorm} is generated from this file at build time (execution {@code twins} in
 * core's pom), so this file is the only one to edit.
 */
@SuppressWarnings("cast") // the casts to float are redundant casts to double in the FLOAT64 twin
final class FloatChannelNorm {
    private FloatChannelNorm() {}

    /** Elements per parallel chunk below which work stays on one thread. */
    private static final int GRAIN = 1 << 15;

    // FLOAT32-only {
    /** Channel blocks at least this long use the vector primitives. */
    private static final int VECTOR_MIN = 16;
    // } FLOAT32-only

    /**
     * Per-channel mean and biased variance of {@code x (N, C, L)}, two passes per channel (mean,
     * then centred squares) for accuracy.
     */
    static void channelStats(Kernels k, float[] x, int n, int c, int l, double[] mean, double[] var) {
        // FLOAT32-only {
        if (l >= VECTOR_MIN) {
            channelStatsVector(k, x, n, c, l, mean, var);
            return;
        }
        // } FLOAT32-only
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

    // FLOAT32-only {
    private static void channelStatsVector(Kernels k, float[] x, int n, int c, int l, double[] mean, double[] var) {
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
    // } FLOAT32-only

    /** {@code y = x * scale[c] + shift[c]} for {@code x (N, C, L)}. */
    static void channelAffine(Kernels k, float[] x, float[] y, int n, int c, int l, double[] scale, double[] shift) {
        // FLOAT32-only {
        boolean vec = l >= VECTOR_MIN;
        // } FLOAT32-only
        Parallel.forRange(n * c, Math.max(1, GRAIN / Math.max(l, 1)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                float a = (float) scale[ch];
                float b = (float) shift[ch];
                int base = r * l;
                // FLOAT32-only {
                if (vec) {
                    k.mulScalar(x, base, a, y, base, l);
                    k.addScalar(y, base, b, y, base, l);
                    continue;
                }
                // } FLOAT32-only
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
            Kernels k,
            float[] x,
            float[] g,
            int n,
            int c,
            int l,
            double[] mean,
            double[] rstd,
            double[] sg,
            double[] sgh) {
        // FLOAT32-only {
        boolean vec = l >= VECTOR_MIN;
        // } FLOAT32-only
        Parallel.forRange(c, Math.max(1, GRAIN / Math.max(n * l, 1)), (c0, c1) -> {
            // FLOAT32-only {
            float[] t = vec ? new float[l] : null;
            // } FLOAT32-only
            for (int ch = c0; ch < c1; ch++) {
                float m = (float) mean[ch];
                double s1 = 0;
                double s2 = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * l;
                    // FLOAT32-only {
                    if (vec) {
                        s1 += k.sum(g, base, l);
                        k.addScalar(x, base, -m, t, 0, l);
                        s2 += k.dot(g, base, t, 0, l);
                        continue;
                    }
                    // } FLOAT32-only
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

    /**
     * The training-mode input gradient of batch norm: with {@code h = (x - mean) * rstd} and M = N L,
     * {@code dx = w rstd (g - sg / M - h sgh / M)} (w = 1 without affine).
     */
    static void channelInputGrad(
            Kernels kern,
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
        // FLOAT32-only {
        boolean vec = l >= VECTOR_MIN;
        // } FLOAT32-only
        Parallel.forRange(n * c, Math.max(1, GRAIN / Math.max(l, 1)), (r0, r1) -> {
            // FLOAT32-only {
            float[] t = vec ? new float[l] : null;
            // } FLOAT32-only
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                float rs = (float) rstd[ch];
                float m = (float) mean[ch];
                float k = (float) ((w == null ? 1 : w[ch]) * rstd[ch]);
                float a = (float) (sg[ch] / cnt);
                float b = (float) (sgh[ch] / cnt);
                int base = r * l;
                // FLOAT32-only {
                if (vec) {
                    // dx = k g - k b rs (x - m) - k a
                    kern.addScalar(x, base, -m, t, 0, l);
                    kern.mulScalar(g, base, k, dx, base, l);
                    kern.axpy(l, -k * b * rs, t, 0, dx, base);
                    kern.addScalar(dx, base, -k * a, dx, base, l);
                    continue;
                }
                // } FLOAT32-only
                for (int j = 0; j < l; j++) {
                    float h = (x[base + j] - m) * rs;
                    dx[base + j] = k * (g[base + j] - a - h * b);
                }
            }
        });
    }
}
