package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import io.jgrad.core.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The normalization loops ({@link NormKernels}, {@code FloatChannelNorm} and its FLOAT64 twin) of every
 * kernel implementation against naive loops in double written here, on row and channel lengths on both
 * sides of the vector threshold and the vector tails, with and without the affine.
 */
class NormKernelsTest {
    private static final int[] LENGTHS = {1, 2, 7, 15, 16, 17, 31, 33, 100};
    private static final double F32 = 2e-5;
    private static final double F64 = 1e-12;

    private static double[] random(SplittableRandom r, int n, double scale, double shift) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (r.nextDouble() * 2 - 1) * scale + shift;
        }
        return x;
    }

    private static float[] f(double[] x) {
        if (x == null) {
            return null;
        }
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) x[i];
        }
        return y;
    }

    /** x rounded to float and back, so that both precisions see the same values. */
    private static double[] rounded(double[] x) {
        return x == null ? null : KernelSets.toDouble(f(x));
    }

    private static void close(String what, double want, double got, double tol) {
        if (!(Math.abs(want - got) <= tol * (1 + Math.abs(want)))) {
            fail(what + ": got " + got + ", expected " + want);
        }
    }

    private static void close(String what, double[] want, double[] got, double tol) {
        for (int i = 0; i < want.length; i++) {
            close(what + " [" + i + "]", want[i], got[i], tol);
        }
    }

    // ------------------------------------------------------------------------------------------ rows

    /** Naive row normalization: {@code [y, mean, rstd]}. */
    private static double[][] naiveRows(double[] x, double[] w, double[] b, int rows, int d, double eps) {
        double[] y = new double[rows * d];
        double[] mean = new double[rows];
        double[] rstd = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += x[r * d + j];
            }
            double m = s / d;
            double v = 0;
            for (int j = 0; j < d; j++) {
                v += (x[r * d + j] - m) * (x[r * d + j] - m);
            }
            double rs = 1 / Math.sqrt(v / d + eps);
            mean[r] = m;
            rstd[r] = rs;
            for (int j = 0; j < d; j++) {
                y[r * d + j] = (x[r * d + j] - m) * rs * (w == null ? 1 : w[j]) + (b == null ? 0 : b[j]);
            }
        }
        return new double[][] {y, mean, rstd};
    }

    /** Naive gradients of the row normalization: {@code [dx, dw, db]}. */
    private static double[][] naiveRowsBackward(double[] x, double[] g, double[] w, int rows, int d, double eps) {
        double[][] fw = naiveRows(x, null, null, rows, d, eps);
        double[] h = fw[0];
        double[] dx = new double[rows * d];
        double[] dw = new double[d];
        double[] db = new double[d];
        for (int r = 0; r < rows; r++) {
            double mdh = 0;
            double mdhh = 0;
            for (int j = 0; j < d; j++) {
                double dh = g[r * d + j] * (w == null ? 1 : w[j]);
                mdh += dh / d;
                mdhh += dh * h[r * d + j] / d;
                dw[j] += g[r * d + j] * h[r * d + j];
                db[j] += g[r * d + j];
            }
            for (int j = 0; j < d; j++) {
                double dh = g[r * d + j] * (w == null ? 1 : w[j]);
                dx[r * d + j] = fw[2][r] * (dh - mdh - h[r * d + j] * mdhh);
            }
        }
        return new double[][] {dx, dw, db};
    }

    @Test
    void rowsForwardAndBackward() {
        SplittableRandom rnd = new SplittableRandom(7);
        double eps = 1e-5;
        for (int d : LENGTHS) {
            for (int rows : new int[] {1, 3}) {
                for (int affine = 0; affine < 4; affine++) {
                    double[] x = rounded(random(rnd, rows * d, 2, 0.5));
                    double[] g = rounded(random(rnd, rows * d, 1, 0));
                    double[] w = (affine & 1) != 0 ? rounded(random(rnd, d, 1, 1)) : null;
                    double[] b = (affine & 2) != 0 ? rounded(random(rnd, d, 1, 0)) : null;
                    double[][] want = naiveRows(x, w, b, rows, d, eps);
                    double[][] grad = naiveRowsBackward(x, g, w, rows, d, eps);
                    String at = "d=" + d + " rows=" + rows + " affine=" + affine;
                    for (Kernels k : KernelSets.all()) {
                        float[] y = new float[rows * d];
                        double[] mean = new double[rows];
                        double[] rstd = new double[rows];
                        NormKernels.rowsForward(k, f(x), y, f(w), f(b), rows, d, eps, mean, rstd);
                        close(k.name() + " rowsForward y " + at, want[0], KernelSets.toDouble(y), F32);
                        close(k.name() + " rowsForward mean " + at, want[1], mean, F32);
                        close(k.name() + " rowsForward rstd " + at, want[2], rstd, F32);
                        float[] dx = new float[rows * d];
                        double[] dw = new double[d];
                        double[] db = new double[d];
                        NormKernels.rowsBackward(k, f(x), f(g), f(w), mean, rstd, rows, d, dx, dw, db);
                        // the scale of dx grows with rstd (up to 1 / sqrt(eps) for constant rows)
                        double tol = F32 * Math.max(1, want[2][0] * 1e-2);
                        close(k.name() + " rowsBackward dx " + at, grad[0], KernelSets.toDouble(dx), tol);
                        close(k.name() + " rowsBackward dw " + at, grad[1], dw, F32);
                        close(k.name() + " rowsBackward db " + at, grad[2], db, F32);
                    }
                    double[] y = new double[rows * d];
                    double[] mean = new double[rows];
                    double[] rstd = new double[rows];
                    NormKernels.rowsForward(x, y, w, b, rows, d, eps, mean, rstd);
                    close("double rowsForward y " + at, want[0], y, F64);
                    close("double rowsForward rstd " + at, want[2], rstd, F64);
                    double[] dx = new double[rows * d];
                    double[] dw = new double[d];
                    double[] db = new double[d];
                    NormKernels.rowsBackward(x, g, w, mean, rstd, rows, d, dx, dw, db);
                    close("double rowsBackward dx " + at, grad[0], dx, F64 * want[2][0]);
                    close("double rowsBackward dw " + at, grad[1], dw, F64);
                    close("double rowsBackward db " + at, grad[2], db, F64);
                }
            }
        }
    }

    /**
     * With more than two chunks the order in which the chunks' partial scale and shift gradients are
     * added matters in the last bits: they are added in the order of the chunks, whichever finishes
     * first, so that the result is the same on every run. 3 rows of 2^15 values on 3 threads are one row
     * per chunk: the result must be ((row 0 + row 1) + row 2) of the rows' own gradients, every time.
     */
    @Test
    void rowsBackwardAddsTheChunksInTheirOrder() {
        int before = Parallel.threads();
        try {
            int d = 1 << 15;
            int rows = 3;
            SplittableRandom rnd = new SplittableRandom(8);
            float[] x = f(random(rnd, rows * d, 2, 0.5));
            float[] g = f(random(rnd, rows * d, 1, 0));
            float[] w = f(random(rnd, d, 1, 1));
            double[] xd = random(rnd, rows * d, 2, 0.5);
            double[] gd = random(rnd, rows * d, 1, 0);
            double[] wd = random(rnd, d, 1, 1);
            for (Kernels k : KernelSets.all()) {
                Parallel.setThreads(1);
                double[] mean = new double[rows];
                double[] rstd = new double[rows];
                NormKernels.rowsForward(k, x, new float[rows * d], w, null, rows, d, 1e-5, mean, rstd);
                double[] meanD = new double[rows];
                double[] rstdD = new double[rows];
                NormKernels.rowsForward(xd, new double[rows * d], wd, null, rows, d, 1e-5, meanD, rstdD);
                // each row alone: its own partial gradients
                double[] wantW = new double[d];
                double[] wantB = new double[d];
                double[] wantWD = new double[d];
                double[] wantBD = new double[d];
                for (int r = 0; r < rows; r++) {
                    double[] pw = new double[d];
                    double[] pb = new double[d];
                    NormKernels.rowsBackward(
                            k,
                            java.util.Arrays.copyOfRange(x, r * d, (r + 1) * d),
                            java.util.Arrays.copyOfRange(g, r * d, (r + 1) * d),
                            w,
                            new double[] {mean[r]},
                            new double[] {rstd[r]},
                            1,
                            d,
                            null,
                            pw,
                            pb);
                    double[] pwd = new double[d];
                    double[] pbd = new double[d];
                    NormKernels.rowsBackward(
                            java.util.Arrays.copyOfRange(xd, r * d, (r + 1) * d),
                            java.util.Arrays.copyOfRange(gd, r * d, (r + 1) * d),
                            wd,
                            new double[] {meanD[r]},
                            new double[] {rstdD[r]},
                            1,
                            d,
                            null,
                            pwd,
                            pbd);
                    for (int j = 0; j < d; j++) {
                        wantW[j] += pw[j];
                        wantB[j] += pb[j];
                        wantWD[j] += pwd[j];
                        wantBD[j] += pbd[j];
                    }
                }
                Parallel.setThreads(3);
                for (int run = 0; run < 10; run++) {
                    double[] dw = new double[d];
                    double[] db = new double[d];
                    NormKernels.rowsBackward(k, x, g, w, mean, rstd, rows, d, null, dw, db);
                    double[] dwd = new double[d];
                    double[] dbd = new double[d];
                    NormKernels.rowsBackward(xd, gd, wd, meanD, rstdD, rows, d, null, dwd, dbd);
                    for (int j = 0; j < d; j++) {
                        String at = k.name() + " run " + run + " value " + j;
                        assertBits(wantW[j], dw[j], "float dw " + at);
                        assertBits(wantB[j], db[j], "float db " + at);
                        assertBits(wantWD[j], dwd[j], "double dw " + at);
                        assertBits(wantBD[j], dbd[j], "double db " + at);
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static void assertBits(double want, double got, String at) {
        if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got)) {
            fail(at + ": " + got + ", expected " + want);
        }
    }

    @Test
    void rowsBackwardLeavesUnwantedGradients() {
        float[] x = {1, 2, 4, 8};
        float[] g = {1, -1, 2, 0.5f};
        double[] mean = new double[1];
        double[] rstd = new double[1];
        for (Kernels k : KernelSets.all()) {
            NormKernels.rowsForward(k, x, new float[4], null, null, 1, 4, 1e-5, mean, rstd);
            double[] db = new double[4];
            NormKernels.rowsBackward(k, x, g, null, mean, rstd, 1, 4, null, null, db);
            close(k.name() + " db alone", new double[] {1, -1, 2, 0.5}, db, 0);
        }
    }

    // ------------------------------------------------------------------------------------------ channels

    @Test
    void channels() {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 3;
        int c = 4;
        for (int l : LENGTHS) {
            int m = n * c * l;
            double[] x = rounded(random(rnd, m, 3, -1));
            double[] g = rounded(random(rnd, m, 1, 0.2));
            double[] w = random(rnd, c, 1, 1);
            double[] mean = new double[c];
            double[] var = new double[c];
            double[] rstd = new double[c];
            double[] sg = new double[c];
            double[] sgh = new double[c];
            double[] dx = new double[m];
            double[] y = new double[m];
            double[] shift = random(rnd, c, 1, 0);
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < l; j++) {
                        s += x[(i * c + ch) * l + j];
                    }
                }
                mean[ch] = s / (n * l);
                double v = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < l; j++) {
                        double t = x[(i * c + ch) * l + j] - mean[ch];
                        v += t * t;
                    }
                }
                var[ch] = v / (n * l);
                rstd[ch] = 1 / Math.sqrt(var[ch] + 1e-5);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < l; j++) {
                        int e = (i * c + ch) * l + j;
                        double h = (x[e] - mean[ch]) * rstd[ch];
                        y[e] = x[e] * w[ch] + shift[ch];
                        sg[ch] += g[e];
                        sgh[ch] += g[e] * h;
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < l; j++) {
                        int e = (i * c + ch) * l + j;
                        double h = (x[e] - mean[ch]) * rstd[ch];
                        dx[e] = w[ch] * rstd[ch] * (g[e] - sg[ch] / (n * l) - h * sgh[ch] / (n * l));
                    }
                }
            }
            String at = " l=" + l;
            for (Kernels k : KernelSets.all()) {
                double[] gm = new double[c];
                double[] gv = new double[c];
                FloatChannelNorm.channelStats(k, f(x), n, c, l, gm, gv);
                close(k.name() + " channelStats mean" + at, mean, gm, F32);
                close(k.name() + " channelStats var" + at, var, gv, F32);
                float[] gy = new float[m];
                FloatChannelNorm.channelAffine(k, f(x), gy, n, c, l, w, shift);
                close(k.name() + " channelAffine" + at, y, KernelSets.toDouble(gy), F32);
                double[] gsg = new double[c];
                double[] gsgh = new double[c];
                FloatChannelNorm.channelGradSums(k, f(x), f(g), n, c, l, mean, rstd, gsg, gsgh);
                close(k.name() + " channelGradSums sg" + at, sg, gsg, F32);
                close(k.name() + " channelGradSums sgh" + at, sgh, gsgh, F32);
                float[] gdx = new float[m];
                FloatChannelNorm.channelInputGrad(k, f(x), f(g), gdx, n, c, l, mean, rstd, w, sg, sgh);
                close(k.name() + " channelInputGrad" + at, dx, KernelSets.toDouble(gdx), F32);
            }
            Kernels k = KernelProvider.kernels();
            double[] gm = new double[c];
            double[] gv = new double[c];
            DoubleChannelNorm.channelStats(k, x, n, c, l, gm, gv);
            close("double channelStats mean" + at, mean, gm, F64);
            close("double channelStats var" + at, var, gv, F64);
            double[] gy = new double[m];
            DoubleChannelNorm.channelAffine(k, x, gy, n, c, l, w, shift);
            close("double channelAffine" + at, y, gy, F64);
            double[] gsg = new double[c];
            double[] gsgh = new double[c];
            DoubleChannelNorm.channelGradSums(k, x, g, n, c, l, mean, rstd, gsg, gsgh);
            close("double channelGradSums sg" + at, sg, gsg, F64);
            close("double channelGradSums sgh" + at, sgh, gsgh, F64);
            double[] gdx = new double[m];
            DoubleChannelNorm.channelInputGrad(k, x, g, gdx, n, c, l, mean, rstd, w, sg, sgh);
            close("double channelInputGrad" + at, dx, gdx, F64);
            // the tensor entry points pick the implementation by dtype
            double[] tm = new double[c];
            double[] tv = new double[c];
            NormKernels.channelStats(Tensor.wrap(f(x), n, c, l), n, c, l, tm, tv);
            close("channelStats(Tensor float32)" + at, mean, tm, F32);
            NormKernels.channelStats(Tensor.wrap(x.clone(), n, c, l), n, c, l, tm, tv);
            close("channelStats(Tensor float64)" + at, var, tv, F64);
        }
    }
}
