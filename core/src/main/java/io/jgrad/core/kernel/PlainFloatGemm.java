package io.jgrad.core.kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Packed, cache-blocked single-precision GEMM in plain Java: the fallback when the Vector API is not
 * available. Same structure as the SIMD version (pack alpha * op(A) into MR-row panels and op(B) into
 * NR-column panels, so all four transpose combinations read contiguous memory in the inner loop; block
 * for L2/L1; split large products over the thread pool) with a 4 x 4 scalar register tile, which C2
 * keeps in registers. C2 does not auto-vectorize a row update here (it cannot rule out that C and B
 * are the same array), so register reuse is what speeds this up over the naive loop.
 *
 * <p>Twin: {@code PlainDoubleGemm} is generated from this file at build time (execution {@code twins} in
 * core's pom), so this file is the only one to edit.
 */
final class PlainFloatGemm {
    static final int MR = 4;
    static final int NR = 4;
    static final int KC = 256;
    static final int MC = 128;
    static final int NC = 2048;
    /** Below this many multiply-adds the product runs on the calling thread. */
    static final long PARALLEL_THRESHOLD = 1L << 20;
    /** Tasks per thread when a product is split (claimed dynamically). */
    static final int TASKS_PER_THREAD = 4;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private PlainFloatGemm() {}

    /** Per-thread packing buffers, grown on demand and reused. */
    static final class Scratch {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }

    static void gemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float beta,
            float[] c,
            int cOff,
            int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0 || alpha == 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        long work = (long) m * n * k;
        int tilesM = (m + MR - 1) / MR;
        int tilesN = (n + NR - 1) / NR;
        int threads = Parallel.threads();
        if (work < PARALLEL_THRESHOLD || threads == 1 || Parallel.inPool() || (tilesM == 1 && tilesN == 1)) {
            block(transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // Split C along its longer side into whole register tiles, in tasks that the threads claim
        // dynamically: on a busy machine a descheduled thread then delays only its current task, not a
        // fixed share of the product. Each task packs its own panels (the threads share nothing but the
        // read-only inputs), so each task re-packs the whole other operand: relative to the arithmetic
        // that costs about 5 * tasks / (longer side), kept near 1% by Parallel.gemmTasks.
        boolean byCols = (long) tilesN * NR >= (long) tilesM * MR;
        int tiles = byCols ? tilesN : tilesM;
        int longer = byCols ? n : m;
        int tasks = Parallel.gemmTasks(tiles, longer, threads, TASKS_PER_THREAD);
        AtomicInteger next = new AtomicInteger();
        Parallel.forRange(threads, 1, (first, last) -> {
            for (int q = next.getAndIncrement(); q < tasks; q = next.getAndIncrement()) {
                int from = (int) ((long) tiles * q / tasks);
                int to = (int) ((long) tiles * (q + 1) / tasks);
                if (byCols) {
                    block(
                            transA,
                            transB,
                            0,
                            m,
                            from * NR,
                            Math.min(n, to * NR),
                            k,
                            alpha,
                            a,
                            aOff,
                            lda,
                            b,
                            bOff,
                            ldb,
                            beta,
                            c,
                            cOff,
                            ldc);
                } else {
                    block(
                            transA,
                            transB,
                            from * MR,
                            Math.min(m, to * MR),
                            0,
                            n,
                            k,
                            alpha,
                            a,
                            aOff,
                            lda,
                            b,
                            bOff,
                            ldb,
                            beta,
                            c,
                            cOff,
                            ldc);
                }
            }
        });
    }

    /** C = beta * C (beta == 0 overwrites, ignoring NaN). */
    static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            } else if (beta != 1) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
    }

    /** The serial blocked product for rows [m0, m1) and columns [n0, n1) of C. */
    static void block(
            boolean transA,
            boolean transB,
            int m0,
            int m1,
            int n0,
            int n1,
            int k,
            float alpha,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float beta,
            float[] c,
            int cOff,
            int ldc) {
        if (beta != 0 && beta != 1) {
            scale(m1 - m0, n1 - n0, beta, c, cOff + m0 * ldc + n0, ldc);
        }
        Scratch s = SCRATCH.get();
        int mcMax = Math.min(MC, roundUp(m1 - m0, MR));
        int kcMax = Math.min(KC, k);
        int ncMax = Math.min(NC, roundUp(n1 - n0, NR));
        float[] pa = s.a(mcMax * kcMax);
        float[] pb = s.b(ncMax * kcMax);
        float[] tile = s.tile;
        for (int jc = n0; jc < n1; jc += NC) {
            int nc = Math.min(NC, n1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, pb);
                // the first depth block overwrites C when beta == 0 (ignoring NaN there); later ones add
                boolean acc = pc > 0 || beta != 0;
                for (int ic = m0; ic < m1; ic += MC) {
                    int mc = Math.min(MC, m1 - ic);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, alpha, pa);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        int bIdx = jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir);
                            int cIdx = cOff + (ic + ir) * ldc + jc + jr;
                            if (rows == MR && cols == NR) {
                                kernel(kc, pa, ir * kc, pb, bIdx, c, cIdx, ldc, acc);
                            } else {
                                kernel(kc, pa, ir * kc, pb, bIdx, tile, 0, NR, false);
                                mergeTile(tile, rows, cols, c, cIdx, ldc, acc);
                            }
                        }
                    }
                }
            }
        }
    }

    static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /** Copies (or adds, when acc) the valid rows x cols corner of an edge tile into C. */
    private static void mergeTile(float[] tile, int rows, int cols, float[] c, int cIdx, int ldc, boolean acc) {
        for (int r = 0; r < rows; r++) {
            int ci = cIdx + r * ldc;
            int ti = r * NR;
            if (!acc) {
                System.arraycopy(tile, ti, c, ci, cols);
            } else {
                for (int j = 0; j < cols; j++) {
                    c[ci + j] += tile[ti + j];
                }
            }
        }
    }

    /**
     * Packs alpha * op(A)[i0 .. i0+mc, p0 .. p0+kc) into MR-row micro-panels: panel q holds, for each p,
     * the MR values of rows i0 + q*MR .. contiguous (zero past mc).
     */
    static void packA(
            boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float alpha, float[] pa) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int dst = ir * kc;
            if (!transA) {
                // A is m x k row-major: row r of the panel is contiguous along p
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (i0 + ir + r) * lda + p0;
                    int d = dst + r;
                    for (int p = 0; p < kc; p++) {
                        pa[d + p * MR] = alpha * a[src + p];
                    }
                }
            } else {
                // A is k x m row-major: for each p the MR values are contiguous
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + ir;
                    int d = dst + p * MR;
                    for (int r = 0; r < rows; r++) {
                        pa[d + r] = alpha * a[src + r];
                    }
                }
            }
            if (rows < MR) {
                for (int p = 0; p < kc; p++) {
                    for (int r = rows; r < MR; r++) {
                        pa[dst + p * MR + r] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs op(B)[p0 .. p0+kc, j0 .. j0+nc) into NR-column micro-panels: panel q holds, for each p, the
     * NR values of columns j0 + q*NR .. contiguous (zero past nc).
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] pb) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int dst = jr * kc;
            if (!transB) {
                // B is k x n row-major: the NR values of each p are contiguous
                int src = bOff + p0 * ldb + j0 + jr;
                for (int p = 0; p < kc; p++, src += ldb) {
                    int d = dst + p * NR;
                    for (int j = 0; j < cols; j++) {
                        pb[d + j] = b[src + j];
                    }
                    for (int j = cols; j < NR; j++) {
                        pb[d + j] = 0f;
                    }
                }
            } else {
                // B is n x k row-major: column j of op(B) is contiguous along p
                for (int j = 0; j < cols; j++) {
                    int src = bOff + (j0 + jr + j) * ldb + p0;
                    int d = dst + j;
                    for (int p = 0; p < kc; p++) {
                        pb[d + p * NR] = b[src + p];
                    }
                }
                for (int j = cols; j < NR; j++) {
                    for (int p = 0; p < kc; p++) {
                        pb[dst + p * NR + j] = 0f;
                    }
                }
            }
        }
    }

    /**
     * The 4 x 4 register tile in scalar code: {@code C[0..4, 0..4) (+)= A-panel * B-panel}, accumulating
     * into C when {@code acc}. Sixteen accumulators in registers: each loaded value is used four times.
     */
    static void kernel(int kc, float[] pa, int ai, float[] pb, int bi, float[] c, int ci, int ldc, boolean acc) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++, ai += 4, bi += 4) {
            float a0 = pa[ai], a1 = pa[ai + 1], a2 = pa[ai + 2], a3 = pa[ai + 3];
            float b0 = pb[bi], b1 = pb[bi + 1], b2 = pb[bi + 2], b3 = pb[bi + 3];
            c00 += a0 * b0;
            c01 += a0 * b1;
            c02 += a0 * b2;
            c03 += a0 * b3;
            c10 += a1 * b0;
            c11 += a1 * b1;
            c12 += a1 * b2;
            c13 += a1 * b3;
            c20 += a2 * b0;
            c21 += a2 * b1;
            c22 += a2 * b2;
            c23 += a2 * b3;
            c30 += a3 * b0;
            c31 += a3 * b1;
            c32 += a3 * b2;
            c33 += a3 * b3;
        }
        if (acc) {
            int r0 = ci;
            c[r0] += c00;
            c[r0 + 1] += c01;
            c[r0 + 2] += c02;
            c[r0 + 3] += c03;
            int r1 = ci + ldc;
            c[r1] += c10;
            c[r1 + 1] += c11;
            c[r1 + 2] += c12;
            c[r1 + 3] += c13;
            int r2 = ci + 2 * ldc;
            c[r2] += c20;
            c[r2 + 1] += c21;
            c[r2 + 2] += c22;
            c[r2 + 3] += c23;
            int r3 = ci + 3 * ldc;
            c[r3] += c30;
            c[r3 + 1] += c31;
            c[r3 + 2] += c32;
            c[r3 + 3] += c33;
        } else {
            int r0 = ci;
            c[r0] = c00;
            c[r0 + 1] = c01;
            c[r0 + 2] = c02;
            c[r0 + 3] = c03;
            int r1 = ci + ldc;
            c[r1] = c10;
            c[r1 + 1] = c11;
            c[r1 + 2] = c12;
            c[r1 + 3] = c13;
            int r2 = ci + 2 * ldc;
            c[r2] = c20;
            c[r2 + 1] = c21;
            c[r2 + 2] = c22;
            c[r2 + 3] = c23;
            int r3 = ci + 3 * ldc;
            c[r3] = c30;
            c[r3 + 1] = c31;
            c[r3 + 2] = c32;
            c[r3 + 3] = c33;
        }
    }
}
