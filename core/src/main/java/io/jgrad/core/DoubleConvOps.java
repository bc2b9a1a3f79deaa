package io.jgrad.core;

import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Kernels;
import java.util.Arrays;

/**
 * {@link ConvOps} on {@code double[]}: the same code as {@link FloatConvOps}; keep the two in step.
 */
final class DoubleConvOps extends ConvOps<double[]> {
    static final DoubleConvOps INSTANCE = new DoubleConvOps();

    private DoubleConvOps() {
    }

    @Override
    double[] data(Tensor t) {
        return t.doubleData();
    }

    @Override
    double[] alloc(int len) {
        return new double[len];
    }

    /** Scratch arrays up to this many bytes are kept per thread; larger ones are left to the GC. */
    private static final int MAX_CACHED_BYTES = 16 << 20;
    private static final ThreadLocal<double[]> SCRATCH = new ThreadLocal<>();

    @Override
    double[] scratch(int len) {
        double[] s = SCRATCH.get();
        if (s == null || s.length < len) {
            s = new double[len];
            if ((long) len * Double.BYTES <= MAX_CACHED_BYTES) {
                SCRATCH.set(s);
            }
        }
        return s;
    }

    @Override
    int bytes() {
        return Double.BYTES;
    }

    @Override
    void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda, double[] b,
            int bOff, int ldb, boolean accumulate, double[] c, int cOff, int ldc) {
        K.dgemm(transA, transB, m, n, k, 1.0, a, aOff, lda, b, bOff, ldb, accumulate ? 1.0 : 0.0,
                c, cOff, ldc);
    }

    @Override
    void im2col(ConvGeometry g, double[] x, int xOff, int r0, int r1, double[] col) {
        final int ow = g.ow;
        final int sw = g.sw;
        final int rowLen = (r1 - r0) * ow;
        // stride 1 with output rows as long as input rows ("same" convolutions): consecutive output rows
        // read consecutive input rows, so a whole band is one copy plus zeroing of the wrapped columns
        final boolean block = g.sh == 1 && sw == 1 && ow == g.w;
        int row = 0;
        for (int c = 0; c < g.cinG; c++) {
            int xc = xOff + c * g.hw;
            for (int i = 0; i < g.kh; i++) {
                // output rows whose input row for tap i lies inside the image
                int hLo = Math.max(r0, g.ohLo[i]);
                int hHi = Math.min(r1, g.ohHi[i]);
                for (int j = 0; j < g.kw; j++, row++) {
                    int dst = row * rowLen;
                    int lo = g.owLo[j];
                    int hi = g.owHi[j];
                    if (hLo >= hHi || lo >= hi) {
                        Arrays.fill(col, dst, dst + rowLen, 0.0);
                        continue;
                    }
                    int shiftW = j * g.dw - g.pw;
                    Arrays.fill(col, dst, dst + (hLo - r0) * ow, 0.0);
                    if (block) {
                        int d0 = dst + (hLo - r0) * ow;
                        int s0 = xc + (hLo - g.ph + i * g.dh) * g.w + shiftW;
                        int rows = hHi - hLo;
                        System.arraycopy(x, s0 + lo, col, d0 + lo, (rows - 1) * ow + hi - lo);
                        if (lo > 0 || hi < ow) {
                            for (int r = 0; r < rows; r++) {
                                int d = d0 + r * ow;
                                for (int q = 0; q < lo; q++) {
                                    col[d + q] = 0.0;
                                }
                                for (int q = hi; q < ow; q++) {
                                    col[d + q] = 0.0;
                                }
                            }
                        }
                    } else {
                        for (int r = hLo; r < hHi; r++) {
                            int d = dst + (r - r0) * ow;
                            int src = xc + (r * g.sh - g.ph + i * g.dh) * g.w + shiftW;
                            for (int q = 0; q < lo; q++) {
                                col[d + q] = 0.0;
                            }
                            if (sw == 1) {
                                System.arraycopy(x, src + lo, col, d + lo, hi - lo);
                            } else {
                                for (int q = lo; q < hi; q++) {
                                    col[d + q] = x[src + q * sw];
                                }
                            }
                            for (int q = hi; q < ow; q++) {
                                col[d + q] = 0.0;
                            }
                        }
                    }
                    Arrays.fill(col, dst + (hHi - r0) * ow, dst + rowLen, 0.0);
                }
            }
        }
    }

    @Override
    void col2im(ConvGeometry g, double[] col, int r0, int r1, double[] x, int xOff) {
        final int ow = g.ow;
        final int sw = g.sw;
        final int rowLen = (r1 - r0) * ow;
        // see im2col: for "same" stride-1 convolutions a band is one contiguous sweep, once the entries
        // that fall into the padding are zeroed (they would otherwise wrap into the neighbouring rows)
        final boolean block = g.sh == 1 && sw == 1 && ow == g.w;
        int row = 0;
        for (int c = 0; c < g.cinG; c++) {
            int xc = xOff + c * g.hw;
            for (int i = 0; i < g.kh; i++) {
                int hLo = Math.max(r0, g.ohLo[i]);
                int hHi = Math.min(r1, g.ohHi[i]);
                for (int j = 0; j < g.kw; j++, row++) {
                    int dst = row * rowLen;
                    int lo = g.owLo[j];
                    int hi = g.owHi[j];
                    if (hLo >= hHi || lo >= hi) {
                        continue;
                    }
                    int shiftW = j * g.dw - g.pw;
                    if (block) {
                        int d0 = dst + (hLo - r0) * ow;
                        int s0 = xc + (hLo - g.ph + i * g.dh) * g.w + shiftW;
                        int rows = hHi - hLo;
                        if (lo > 0 || hi < ow) {
                            for (int r = 0; r < rows; r++) {
                                int d = d0 + r * ow;
                                for (int q = 0; q < lo; q++) {
                                    col[d + q] = 0.0;
                                }
                                for (int q = hi; q < ow; q++) {
                                    col[d + q] = 0.0;
                                }
                            }
                        }
                        axpy((rows - 1) * ow + hi - lo, 1.0, col, d0 + lo, x, s0 + lo);
                    } else {
                        for (int r = hLo; r < hHi; r++) {
                            int d = dst + (r - r0) * ow;
                            int src = xc + (r * g.sh - g.ph + i * g.dh) * g.w + shiftW;
                            if (sw == 1) {
                                axpy(hi - lo, 1.0, col, d + lo, x, src + lo);
                            } else {
                                for (int q = lo; q < hi; q++) {
                                    x[src + q * sw] += col[d + q];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    void addBias(double[] out, int oOff, int planes, int len, double[] bias, int bOff) {
        for (int c = 0; c < planes; c++) {
            addScalar(out, oOff + c * len, bias[bOff + c], len);
        }
    }

    @Override
    void addTo(double[] src, int sOff, double[] dst, int dOff, int len) {
        axpy(len, 1.0, src, sOff, dst, dOff);
    }

    @Override
    void sumPlanes(double[] g, int gOff, int planes, int len, double[] out, int oOff) {
        for (int c = 0; c < planes; c++) {
            out[oOff + c] += sum(g, gOff + c * len, len);
        }
    }

    @Override
    void depthwiseForward(ConvGeometry g, double[] x, int xOff, double[] w, int wOff, double[] out, int oOff) {
        final int sw = g.sw;
        for (int i = 0; i < g.kh; i++) {
            for (int j = 0; j < g.kw; j++) {
                double wv = w[wOff + i * g.kw + j];
                int lo = g.owLo[j];
                int hi = g.owHi[j];
                int shiftW = j * g.dw - g.pw;
                for (int r = g.ohLo[i]; r < g.ohHi[i]; r++) {
                    int src = xOff + (r * g.sh - g.ph + i * g.dh) * g.w + shiftW;
                    int d = oOff + r * g.ow;
                    if (sw == 1) {
                        axpy(hi - lo, wv, x, src + lo, out, d + lo);
                    } else {
                        for (int q = lo; q < hi; q++) {
                            out[d + q] += wv * x[src + q * sw];
                        }
                    }
                }
            }
        }
    }

    @Override
    void depthwiseBackwardInput(ConvGeometry g, double[] gout, int gOff, double[] w, int wOff, double[] gin,
            int giOff) {
        final int sw = g.sw;
        for (int i = 0; i < g.kh; i++) {
            for (int j = 0; j < g.kw; j++) {
                double wv = w[wOff + i * g.kw + j];
                int lo = g.owLo[j];
                int hi = g.owHi[j];
                int shiftW = j * g.dw - g.pw;
                for (int r = g.ohLo[i]; r < g.ohHi[i]; r++) {
                    int dst = giOff + (r * g.sh - g.ph + i * g.dh) * g.w + shiftW;
                    int s = gOff + r * g.ow;
                    if (sw == 1) {
                        axpy(hi - lo, wv, gout, s + lo, gin, dst + lo);
                    } else {
                        for (int q = lo; q < hi; q++) {
                            gin[dst + q * sw] += wv * gout[s + q];
                        }
                    }
                }
            }
        }
    }

    @Override
    void depthwiseBackwardWeight(ConvGeometry g, double[] gout, int gOff, double[] x, int xOff, double[] gw,
            int gwOff) {
        final int sw = g.sw;
        for (int i = 0; i < g.kh; i++) {
            for (int j = 0; j < g.kw; j++) {
                int lo = g.owLo[j];
                int hi = g.owHi[j];
                int shiftW = j * g.dw - g.pw;
                double acc = 0;
                for (int r = g.ohLo[i]; r < g.ohHi[i]; r++) {
                    int src = xOff + (r * g.sh - g.ph + i * g.dh) * g.w + shiftW;
                    int s = gOff + r * g.ow;
                    double rowAcc = 0;
                    if (sw == 1) {
                        rowAcc = dot(gout, s + lo, x, src + lo, hi - lo);
                    } else {
                        for (int q = lo; q < hi; q++) {
                            rowAcc += gout[s + q] * x[src + q * sw];
                        }
                    }
                    acc += rowAcc;
                }
                gw[gwOff + i * g.kw + j] += acc;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Vector primitives as plain loops (the SIMD kernels are single precision only)
    // ---------------------------------------------------------------------------------------------

    private static final Kernels K = KernelProvider.kernels();

    /** {@code y[yo + q] += a * x[xo + q]} for q in [0, n). */
    private static void axpy(int n, double a, double[] x, int xo, double[] y, int yo) {
        for (int q = 0; q < n; q++) {
            y[yo + q] += a * x[xo + q];
        }
    }

    /** {@code a[ao + q] += s} for q in [0, n). */
    private static void addScalar(double[] a, int ao, double s, int n) {
        for (int q = 0; q < n; q++) {
            a[ao + q] += s;
        }
    }

    private static double sum(double[] a, int ao, int n) {
        double s = 0;
        for (int q = 0; q < n; q++) {
            s += a[ao + q];
        }
        return s;
    }

    private static double dot(double[] a, int ao, double[] b, int bo, int n) {
        double s = 0;
        for (int q = 0; q < n; q++) {
            s += a[ao + q] * b[bo + q];
        }
        return s;
    }
}
