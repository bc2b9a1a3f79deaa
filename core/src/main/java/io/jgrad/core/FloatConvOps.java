package io.jgrad.core;

import io.jgrad.core.kernel.FloatGemmDriver;
import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Kernels;
import java.util.Arrays;

/**
 * {@link ConvOps} on {@code float[]}.
 *
 * <p>Twin: {@code DoubleConvOps} is generated from this file at build time (execution {@code twins} in
 * core's pom), so this file is the only one to edit.
 */
@SuppressWarnings("cast") // the casts to float are redundant casts to double in the FLOAT64 twin
final class FloatConvOps extends ConvOps<float[]> {
    static final FloatConvOps INSTANCE = new FloatConvOps();

    private FloatConvOps() {}

    @Override
    float[] data(Tensor t) {
        return t.floatData();
    }

    @Override
    float[] alloc(int len) {
        return new float[len];
    }

    /** Scratch arrays up to this many bytes are kept per thread; larger ones are left to the GC. */
    private static final int MAX_CACHED_BYTES = 16 << 20;

    private static final ThreadLocal<float[]> SCRATCH = new ThreadLocal<>();

    @Override
    float[] scratch(int len) {
        float[] s = SCRATCH.get();
        if (s == null || s.length < len) {
            s = new float[len];
            if ((long) len * Float.BYTES <= MAX_CACHED_BYTES) {
                SCRATCH.set(s);
            }
        }
        return s;
    }

    @Override
    int bytes() {
        return Float.BYTES;
    }

    @Override
    void gemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            boolean accumulate,
            float[] c,
            int cOff,
            int ldc) {
        K.sgemm(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, accumulate ? 1f : 0f, c, cOff, ldc);
    }

    @Override
    void im2col(ConvGeometry g, float[] x, int xOff, int r0, int r1, float[] col) {
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
                        Arrays.fill(col, dst, dst + rowLen, 0f);
                        continue;
                    }
                    int shiftW = j * g.dw - g.pw;
                    Arrays.fill(col, dst, dst + (hLo - r0) * ow, 0f);
                    if (block) {
                        int d0 = dst + (hLo - r0) * ow;
                        int s0 = xc + (hLo - g.ph + i * g.dh) * g.w + shiftW;
                        int rows = hHi - hLo;
                        System.arraycopy(x, s0 + lo, col, d0 + lo, (rows - 1) * ow + hi - lo);
                        // the copy wrapped neighbouring rows' values into the padded columns
                        zeroPadColumns(col, d0, rows, ow, lo, hi);
                    } else {
                        for (int r = hLo; r < hHi; r++) {
                            int d = dst + (r - r0) * ow;
                            int src = xc + (r * g.sh - g.ph + i * g.dh) * g.w + shiftW;
                            for (int q = 0; q < lo; q++) {
                                col[d + q] = 0f;
                            }
                            if (sw == 1) {
                                System.arraycopy(x, src + lo, col, d + lo, hi - lo);
                            } else {
                                for (int q = lo; q < hi; q++) {
                                    col[d + q] = x[src + q * sw];
                                }
                            }
                            for (int q = hi; q < ow; q++) {
                                col[d + q] = 0f;
                            }
                        }
                    }
                    Arrays.fill(col, dst + (hHi - r0) * ow, dst + rowLen, 0f);
                }
            }
        }
    }

    @Override
    void col2im(ConvGeometry g, float[] col, int r0, int r1, float[] x, int xOff) {
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
                        // the sweep would add the padded columns' entries into the neighbouring rows
                        zeroPadColumns(col, d0, rows, ow, lo, hi);
                        axpy((rows - 1) * ow + hi - lo, 1f, col, d0 + lo, x, s0 + lo);
                    } else {
                        for (int r = hLo; r < hHi; r++) {
                            int d = dst + (r - r0) * ow;
                            int src = xc + (r * g.sh - g.ph + i * g.dh) * g.w + shiftW;
                            if (sw == 1) {
                                axpy(hi - lo, 1f, col, d + lo, x, src + lo);
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

    /**
     * Zeroes columns {@code [0, lo)} and {@code [hi, ow)} of {@code rows} rows of ow values from d0: the
     * entries of a band that fall into the padding. Column by column, so that each loop runs over all the
     * rows, a trip count the branch predictor learns (row by row, loops of 0, 1 or 2 steps mispredicted:
     * the cnn workload's second layer's im2col took 22.7 us per image, 15.8 us this way).
     */
    private static void zeroPadColumns(float[] col, int d0, int rows, int ow, int lo, int hi) {
        for (int q = 0; q < lo; q++) {
            for (int r = 0, d = d0 + q; r < rows; r++, d += ow) {
                col[d] = 0f;
            }
        }
        for (int q = hi; q < ow; q++) {
            for (int r = 0, d = d0 + q; r < rows; r++, d += ow) {
                col[d] = 0f;
            }
        }
    }

    @Override
    void addBias(float[] out, int oOff, int planes, int len, float[] bias, int bOff) {
        for (int c = 0; c < planes; c++) {
            addScalar(out, oOff + c * len, bias[bOff + c], len);
        }
    }

    @Override
    void addTo(float[] src, int sOff, float[] dst, int dOff, int len) {
        axpy(len, 1f, src, sOff, dst, dOff);
    }

    @Override
    void zero(float[] a, int off, int len) {
        Arrays.fill(a, off, off + len, 0f);
    }

    @Override
    void addTransposed(float[] src, int sOff, int rows, int cols, float[] dst, int dOff) {
        for (int c = 0; c < cols; c++) {
            int d = dOff + c * rows;
            for (int r = 0, s = sOff + c; r < rows; r++, s += cols) {
                dst[d + r] += src[s];
            }
        }
    }

    @Override
    Object packFilters(float[] w, int wOff, int coutG, int k) {
        return K.floatGemm().pack(true, k, coutG, w, wOff, k);
    }

    @Override
    void releasePacked(Object packed) {
        ((FloatGemmDriver.PackedB) packed).recycle();
    }

    @Override
    void gemmFilters(int t, float[] col, int colOff, int ldCol, Object packed, float[] ct, int ctOff) {
        FloatGemmDriver.PackedB pw = (FloatGemmDriver.PackedB) packed;
        K.floatGemm().gemm(true, t, 1f, col, colOff, ldCol, pw, 0f, ct, ctOff, pw.columns());
    }

    @Override
    void transposeTo(float[] src, int sOff, int rows, int cols, float[] dst, int dOff, int ld) {
        // each destination row written front to back; the source, read at a stride of cols, stays in L1
        for (int c = 0; c < cols; c++) {
            int d = dOff + c * ld;
            for (int r = 0, s = sOff + c; r < rows; r++, s += cols) {
                dst[d + r] = src[s];
            }
        }
    }

    @Override
    void sumPlanes(float[] g, int gOff, int planes, int len, float[] out, int oOff) {
        for (int c = 0; c < planes; c++) {
            out[oOff + c] += sum(g, gOff + c * len, len);
        }
    }

    @Override
    void depthwiseForward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] out, int oOff) {
        final int sw = g.sw;
        for (int i = 0; i < g.kh; i++) {
            for (int j = 0; j < g.kw; j++) {
                float wv = w[wOff + i * g.kw + j];
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
    void depthwiseBackwardInput(ConvGeometry g, float[] gout, int gOff, float[] w, int wOff, float[] gin, int giOff) {
        final int sw = g.sw;
        for (int i = 0; i < g.kh; i++) {
            for (int j = 0; j < g.kw; j++) {
                float wv = w[wOff + i * g.kw + j];
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
    void depthwiseBackwardWeight(ConvGeometry g, float[] gout, int gOff, float[] x, int xOff, float[] gw, int gwOff) {
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
                    float rowAcc = 0;
                    if (sw == 1) {
                        rowAcc = dot(gout, s + lo, x, src + lo, hi - lo);
                    } else {
                        for (int q = lo; q < hi; q++) {
                            rowAcc += gout[s + q] * x[src + q * sw];
                        }
                    }
                    acc += rowAcc;
                }
                gw[gwOff + i * g.kw + j] += (float) acc;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Vector primitives: the active kernels (SIMD when enabled; their FLOAT64 overloads are plain loops).
    // ---------------------------------------------------------------------------------------------

    private static final Kernels K = KernelProvider.kernels();

    // empty ranges never reach the kernels: their offsets may then point outside the arrays

    /** {@code y[yo + q] += a * x[xo + q]} for q in [0, n). */
    private static void axpy(int n, float a, float[] x, int xo, float[] y, int yo) {
        if (n > 0) {
            K.axpy(n, a, x, xo, y, yo);
        }
    }

    /** {@code a[ao + q] += s} for q in [0, n). */
    private static void addScalar(float[] a, int ao, float s, int n) {
        K.addScalar(a, ao, s, a, ao, n);
    }

    private static float sum(float[] a, int ao, int n) {
        return K.sum(a, ao, n);
    }

    private static float dot(float[] a, int ao, float[] b, int bo, int n) {
        return n > 0 ? K.dot(a, ao, b, bo, n) : 0f;
    }
}
