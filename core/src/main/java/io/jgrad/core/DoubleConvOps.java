package io.jgrad.core;

import io.jgrad.core.kernel.KernelProvider;
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

    @Override
    int bytes() {
        return Double.BYTES;
    }

    @Override
    void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda, double[] b,
            int bOff, int ldb, boolean accumulate, double[] c, int cOff, int ldc) {
        KernelProvider.kernels().dgemm(transA, transB, m, n, k, 1.0, a, aOff, lda, b, bOff, ldb, accumulate ? 1.0 : 0.0,
                c, cOff, ldc);
    }

    @Override
    void im2col(ConvGeometry g, double[] x, int xOff, int r0, int r1, double[] col) {
        final int ow = g.ow;
        final int sw = g.sw;
        final int rowLen = (r1 - r0) * ow;
        int row = 0;
        for (int c = 0; c < g.cinG; c++) {
            int xc = xOff + c * g.hw;
            for (int i = 0; i < g.kh; i++) {
                // output rows whose input row for tap i lies inside the image
                int hLo = Math.max(r0, g.ohLo[i]);
                int hHi = Math.min(r1, g.ohHi[i]);
                for (int j = 0; j < g.kw; j++, row++) {
                    int dst = row * rowLen;
                    if (hLo >= hHi) {
                        Arrays.fill(col, dst, dst + rowLen, 0.0);
                        continue;
                    }
                    int lo = g.owLo[j];
                    int hi = g.owHi[j];
                    int shiftW = j * g.dw - g.pw;
                    Arrays.fill(col, dst, dst + (hLo - r0) * ow, 0.0);
                    for (int r = hLo; r < hHi; r++) {
                        int d = dst + (r - r0) * ow;
                        int src = xc + (r * g.sh - g.ph + i * g.dh) * g.w + shiftW;
                        if (lo > 0) {
                            Arrays.fill(col, d, d + lo, 0.0);
                        }
                        if (sw == 1) {
                            if (hi > lo) {
                                System.arraycopy(x, src + lo, col, d + lo, hi - lo);
                            }
                        } else {
                            for (int q = lo; q < hi; q++) {
                                col[d + q] = x[src + q * sw];
                            }
                        }
                        if (hi < ow) {
                            Arrays.fill(col, d + hi, d + ow, 0.0);
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
                    int shiftW = j * g.dw - g.pw;
                    for (int r = hLo; r < hHi; r++) {
                        int d = dst + (r - r0) * ow;
                        int src = xc + (r * g.sh - g.ph + i * g.dh) * g.w + shiftW;
                        if (sw == 1) {
                            for (int q = lo; q < hi; q++) {
                                x[src + q] += col[d + q];
                            }
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

    @Override
    void addBias(double[] out, int oOff, int planes, int len, double[] bias, int bOff) {
        for (int c = 0; c < planes; c++) {
            double b = bias[bOff + c];
            int o = oOff + c * len;
            for (int q = 0; q < len; q++) {
                out[o + q] += b;
            }
        }
    }

    @Override
    void addTo(double[] src, int sOff, double[] dst, int dOff, int len) {
        for (int q = 0; q < len; q++) {
            dst[dOff + q] += src[sOff + q];
        }
    }

    @Override
    void sumPlanes(double[] g, int gOff, int planes, int len, double[] out, int oOff) {
        for (int c = 0; c < planes; c++) {
            int o = gOff + c * len;
            // four partial sums: fewer rounding steps in a row and independent adds for the CPU
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int q = 0;
            for (; q + 3 < len; q += 4) {
                s0 += g[o + q];
                s1 += g[o + q + 1];
                s2 += g[o + q + 2];
                s3 += g[o + q + 3];
            }
            for (; q < len; q++) {
                s0 += g[o + q];
            }
            out[oOff + c] += (s0 + s1) + (s2 + s3);
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
                        for (int q = lo; q < hi; q++) {
                            out[d + q] += wv * x[src + q];
                        }
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
                        for (int q = lo; q < hi; q++) {
                            gin[dst + q] += wv * gout[s + q];
                        }
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
                        for (int q = lo; q < hi; q++) {
                            rowAcc += gout[s + q] * x[src + q];
                        }
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
}
