package io.jgrad.core.kernel.simd;

import io.jgrad.core.kernel.FloatGemmDriver;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API's register tiles and packing for {@link FloatGemmDriver}, which does the blocking,
 * the edge tiles and the threading. The micro-kernel is a small method called many times so that C2
 * compiles it normally (not only by on-stack replacement of a long loop nest, which can leave Vector API
 * calls boxed).
 *
 * <p>Twin: {@code DoubleGemm} is generated from this file at build time (execution {@code twins} in
 * core's pom), so this file is the only one to edit.
 */
final class FloatGemm extends FloatGemmDriver {
    static final VectorSpecies<Float> S = VectorKernels.FLOAT_SPECIES;
    static final int V = S.length();

    static final int TILE_6X2 = 0;
    static final int TILE_8X2 = 1;
    static final int TILE_4X3 = 2;
    /**
     * The register tile: 4 rows x 3 vectors (12 accumulators) on x86-64 (AVX-512 and AVX2), 8 rows x 2
     * vectors (16 accumulators) on AArch64's 32 registers, and 6 x 2 (12 accumulators) with 128-bit
     * vectors. On a Zen 4 AVX-512 core, 4x3 runs 3 FMAs per broadcast of A where 8x2 runs 2, and its
     * register tile alone reached 98% of the FMA peak against 75-86% for 8x2; a whole sgemm1024 on 2
     * threads went from 150-169 to 182-194 GFLOPS, and the products of a dense layer's training step
     * (JMH {@code TrainingGemmBench}) took 10-18% less time, but for one within noise. Larger tiles
     * (8x3) were too large for C2, which then boxed their vectors. With AVX2's 16 registers 4x3 uses all
     * of them (12 accumulators, 3 vectors of B, one broadcast of A) where 6x2, the classic choice, leaves
     * one free; yet on a Zen 3 AVX2 core the 4x3 tile alone ran at up to 84 GFLOPS against 66 for 6x2,
     * and sgemm1024 on 2 threads went from 60 to 71 GFLOPS (medians of 6 alternated runs), the LSTM and
     * transformer-layer workloads 12% faster: 4 rows also waste less of a last row tile (a 64-row product
     * is 16 whole 4-row tiles, but 10 of 6 rows and a 4-row edge tile). A Zen 5 core (AMD family 26),
     * whose AVX-512 units are full width, runs 8x2 instead: there the two tiles reach the same speed on
     * products whose columns both fill (960 and 768 square), but 8x2's 32-column panels fit the
     * workloads' widths (256, 512, 1024) where 4x3's 48 leave a 16-column edge: its training workloads
     * ran 5-9% faster (mlp, lstm, transformer layer; cnn level).
     */
    static final int TILE = VectorKernels.tile();
    /** Rows of the register tile. */
    static final int MR = TILE == TILE_8X2 ? 8 : TILE == TILE_4X3 ? 4 : 6;
    /** Columns of the register tile: whole vectors. */
    static final int NR = (TILE == TILE_4X3 ? 3 : 2) * V;

    /** The one instance, with this machine's register tile and blocking. */
    static final FloatGemm INSTANCE = new FloatGemm();

    private FloatGemm() {
        super(
                MR,
                NR,
                // depth of a packed block; a KC x NR B micro-panel should fill about half of L1
                VectorKernels.gemmParam("kc", 256),
                // rows of a packed A block (MC x KC values, in L2)
                VectorKernels.gemmParam("mc", 120),
                // columns of a packed B block (KC x NC values, in L3)
                VectorKernels.gemmParam("nc", 4096),
                VectorKernels.gemmParam("parallel", 1 << 21),
                VectorKernels.gemmParam("tasks", 4));
    }

    /**
     * Packs alpha * op(A)[i0 .. i0+mc, p0 .. p0+kc) into MR-row micro-panels of MR * kc values each: a
     * panel holds its MR rows one after the other, kc values each (zero rows past mc), and the
     * micro-kernel reads the MR values of one depth p at stride kc. Measured against the classic
     * layout (for each p the MR values together), the micro-kernel is about 4% faster and, when A is
     * stored m x k, the packing is a straight vector copy of row segments instead of a scatter.
     */
    @Override
    protected void packA(
            boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float alpha, float[] pa) {
        if (transA) {
            packTransposedA(a, aOff, lda, i0, mc, p0, kc, alpha, pa);
            return;
        }
        int vecEnd = kc - kc % V;
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            for (int r = 0; r < rows; r++) {
                int src = aOff + (i0 + ir + r) * lda + p0;
                int d = (ir + r) * kc;
                int p = 0;
                for (; p < vecEnd; p += V) {
                    FloatVector.fromArray(S, a, src + p).mul(va).intoArray(pa, d + p);
                }
                for (; p < kc; p++) {
                    pa[d + p] = alpha * a[src + p];
                }
            }
            if (rows < MR) {
                java.util.Arrays.fill(pa, (ir + rows) * kc, (ir + MR) * kc, 0f);
            }
        }
    }

    /** Depth values per step of {@link #packTransposedA}: one cache line of a packed row. */
    private static final int TRANSPOSE_STEP = 16;

    /**
     * {@link #packA} when A is stored k x m (op(A) = A^T): row p0 + p of the storage holds the mc values
     * of this block contiguously, and packed row i takes one value from each. The walk goes over the
     * depth in steps of 16 (one cache line of a packed row), and in each step row by row: the 16 source
     * rows are read front to back and each packed line is written whole. Walking the whole depth for one
     * source row at a time wrote mc lines at a stride of kc floats, which for kc = 256 (1 KB) fall in
     * four sets of a 64-set L1: every write missed it.
     */
    private static void packTransposedA(
            float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float alpha, float[] pa) {
        for (int pb = 0; pb < kc; pb += TRANSPOSE_STEP) {
            int pe = Math.min(kc, pb + TRANSPOSE_STEP);
            int src0 = aOff + (p0 + pb) * lda + i0;
            for (int i = 0; i < mc; i++) {
                int d = i * kc;
                for (int p = pb, src = src0 + i; p < pe; p++, src += lda) {
                    pa[d + p] = alpha * a[src];
                }
            }
        }
        int padded = (mc + MR - 1) / MR * MR;
        if (padded > mc) {
            java.util.Arrays.fill(pa, mc * kc, padded * kc, 0f);
        }
    }

    /**
     * Packs op(B)[p0 .. p0+kc, j0 .. j0+nc) into NR-column micro-panels (see the driver): full panels of
     * a k x n B as vector copies, the others by the driver's scalar {@link #packBPanel}.
     */
    @Override
    protected void packB(
            boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] pb, int at) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int dst = at + jr * kc;
            if (!transB && cols == NR) {
                // B is k x n row-major and the panel is full: the NR values of each p are whole vectors
                int src = bOff + p0 * ldb + j0 + jr;
                for (int p = 0; p < kc; p++, src += ldb) {
                    for (int v = 0; v < NR; v += V) {
                        FloatVector.fromArray(S, b, src + v).intoArray(pb, dst + p * NR + v);
                    }
                }
            } else if (!transB) {
                packPartialPanel(b, bOff, ldb, p0, kc, j0 + jr, cols, pb, dst);
            } else {
                packBPanel(transB, b, bOff, ldb, p0, kc, j0 + jr, cols, pb, dst);
            }
        }
    }

    /**
     * A last panel of fewer than NR columns of a k x n B: each row's values as whole vectors, the last
     * one blended with zeros past the panel's columns, then zero vectors up to NR; the rows whose last
     * vector would read past the end of b go to the driver's scalar {@link #packBPanel}. That scalar
     * copy had taken as much time for the 26-column last panel of the cnn workload's convolution bands
     * (154 columns) as the vector copies for the 128 columns before it.
     */
    private void packPartialPanel(float[] b, int bOff, int ldb, int p0, int kc, int j0, int cols, float[] pb, int dst) {
        int src = bOff + p0 * ldb + j0;
        int reach = (cols + V - 1) / V * V; // the values a row's vectors read
        int full = reach - V; // read by whole vectors before the last
        long room = (long) b.length - src - reach;
        int safe = room < 0 ? 0 : (int) Math.min(kc, room / Math.max(1, ldb) + 1);
        FloatVector zero = FloatVector.zero(S);
        VectorMask<Float> inside = S.indexInRange(full, cols);
        for (int p = 0; p < safe; p++, src += ldb) {
            int d = dst + p * NR;
            for (int v = 0; v < full; v += V) {
                FloatVector.fromArray(S, b, src + v).intoArray(pb, d + v);
            }
            zero.blend(FloatVector.fromArray(S, b, src + full), inside).intoArray(pb, d + full);
            for (int v = reach; v < NR; v += V) {
                zero.intoArray(pb, d + v);
            }
        }
        if (safe < kc) {
            packBPanel(false, b, bOff, ldb, p0 + safe, kc - safe, j0, cols, pb, dst + safe * NR);
        }
    }

    /**
     * Chains of fused multiply-adds (as the register tile's), eight columns at a time so that eight
     * independent chains keep both FMA units busy (matrix-vector products, see the driver).
     */
    @Override
    protected void dots(
            float[] x, int xo, float[] b, int bOff, int ldb, int k, float beta, float[] c, int ci, int j0, int j1) {
        int j = j0;
        for (; j + 8 <= j1; j += 8) {
            int r0 = bOff + j * ldb;
            int r1 = r0 + ldb;
            int r2 = r1 + ldb;
            int r3 = r2 + ldb;
            int r4 = r3 + ldb;
            int r5 = r4 + ldb;
            int r6 = r5 + ldb;
            int r7 = r6 + ldb;
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
            for (int p = 0; p < k; p++) {
                float xp = x[xo + p];
                s0 = Math.fma(xp, b[r0 + p], s0);
                s1 = Math.fma(xp, b[r1 + p], s1);
                s2 = Math.fma(xp, b[r2 + p], s2);
                s3 = Math.fma(xp, b[r3 + p], s3);
                s4 = Math.fma(xp, b[r4 + p], s4);
                s5 = Math.fma(xp, b[r5 + p], s5);
                s6 = Math.fma(xp, b[r6 + p], s6);
                s7 = Math.fma(xp, b[r7 + p], s7);
            }
            c[ci + j] = combine(s0, beta, c[ci + j]);
            c[ci + j + 1] = combine(s1, beta, c[ci + j + 1]);
            c[ci + j + 2] = combine(s2, beta, c[ci + j + 2]);
            c[ci + j + 3] = combine(s3, beta, c[ci + j + 3]);
            c[ci + j + 4] = combine(s4, beta, c[ci + j + 4]);
            c[ci + j + 5] = combine(s5, beta, c[ci + j + 5]);
            c[ci + j + 6] = combine(s6, beta, c[ci + j + 6]);
            c[ci + j + 7] = combine(s7, beta, c[ci + j + 7]);
        }
        for (; j < j1; j++) {
            int r = bOff + j * ldb;
            float sum = 0f;
            for (int p = 0; p < k; p++) {
                sum = Math.fma(x[xo + p], b[r + p], sum);
            }
            c[ci + j] = combine(sum, beta, c[ci + j]);
        }
    }

    /**
     * The row times B's rows, eight vectors of columns at a time held in registers over the whole depth,
     * each value one chain of fused multiply-adds as in the register tile (matrix-vector products, see the
     * driver).
     */
    @Override
    protected void scaledRows(float[] x, int xo, int depth, float[] b, int bOff, int ldb, float[] y, int w) {
        int j = 0;
        for (; j + 8 * V <= w; j += 8 * V) {
            FloatVector y0 = FloatVector.zero(S);
            FloatVector y1 = y0;
            FloatVector y2 = y0;
            FloatVector y3 = y0;
            FloatVector y4 = y0;
            FloatVector y5 = y0;
            FloatVector y6 = y0;
            FloatVector y7 = y0;
            for (int p = 0, r = bOff + j; p < depth; p++, r += ldb) {
                FloatVector s = FloatVector.broadcast(S, x[xo + p]);
                y0 = s.fma(FloatVector.fromArray(S, b, r), y0);
                y1 = s.fma(FloatVector.fromArray(S, b, r + V), y1);
                y2 = s.fma(FloatVector.fromArray(S, b, r + 2 * V), y2);
                y3 = s.fma(FloatVector.fromArray(S, b, r + 3 * V), y3);
                y4 = s.fma(FloatVector.fromArray(S, b, r + 4 * V), y4);
                y5 = s.fma(FloatVector.fromArray(S, b, r + 5 * V), y5);
                y6 = s.fma(FloatVector.fromArray(S, b, r + 6 * V), y6);
                y7 = s.fma(FloatVector.fromArray(S, b, r + 7 * V), y7);
            }
            y0.intoArray(y, j);
            y1.intoArray(y, j + V);
            y2.intoArray(y, j + 2 * V);
            y3.intoArray(y, j + 3 * V);
            y4.intoArray(y, j + 4 * V);
            y5.intoArray(y, j + 5 * V);
            y6.intoArray(y, j + 6 * V);
            y7.intoArray(y, j + 7 * V);
        }
        for (; j + V <= w; j += V) {
            FloatVector y0 = FloatVector.zero(S);
            for (int p = 0, r = bOff + j; p < depth; p++, r += ldb) {
                y0 = FloatVector.broadcast(S, x[xo + p]).fma(FloatVector.fromArray(S, b, r), y0);
            }
            y0.intoArray(y, j);
        }
        if (j < w) {
            // the last columns side by side, so that their chains overlap
            Arrays.fill(y, j, w, 0f);
            for (int p = 0, r = bOff; p < depth; p++, r += ldb) {
                float s = x[xo + p];
                for (int t = j; t < w; t++) {
                    y[t] = Math.fma(s, b[r + t], y[t]);
                }
            }
        }
    }

    /**
     * The MR x NR register tile: {@code C[0..MR, 0..NR) (+)= A-panel * B-panel}, accumulating into C when
     * {@code acc} and overwriting it otherwise. The A panel holds its MR rows one after
     * the other, kc values each (see {@link #packA}); pb holds kc groups of NR values.
     * Each shape is its own straight-line method: no helper calls take vectors as arguments, since a call
     * that C2 declines to inline would box every accumulator.
     */
    @Override
    protected void kernel(
            int kc,
            float[] pa,
            int ai,
            int aStep,
            int aRow,
            float[] pb,
            int bi,
            float[] c,
            int ci,
            int ldc,
            boolean acc) {
        switch (TILE) {
            case TILE_8X2:
                kernel8x2(kc, pa, ai, aStep, aRow, pb, bi, c, ci, ldc, acc);
                break;
            case TILE_4X3:
                kernel4x3(kc, pa, ai, aStep, aRow, pb, bi, c, ci, ldc, acc);
                break;
            default:
                kernel6x2(kc, pa, ai, aStep, aRow, pb, bi, c, ci, ldc, acc);
                break;
        }
    }

    /** The packed A holds its rows one after the other: a row's values at consecutive depths are adjacent. */
    @Override
    protected int packedAStep(int kc) {
        return 1;
    }

    /** Rows of the packed A are kc values apart. */
    @Override
    protected int packedARow(int kc) {
        return kc;
    }

    /** The 6 x 2-vector register tile; see {@link #kernel}. */
    private static void kernel6x2(
            int kc,
            float[] pa,
            int ai,
            int aStep,
            int aRow,
            float[] pb,
            int bi,
            float[] c,
            int ci,
            int ldc,
            boolean acc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int o1 = aRow, o2 = 2 * aRow, o3 = 3 * aRow, o4 = 4 * aRow, o5 = 5 * aRow;
        for (int p = 0; p < kc; p++, ai += aStep) {
            int bp = bi + p * (2 * V); // a multiple of the loop counter: C2 checks its range once
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + V);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai + o1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[ai + o2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[ai + o3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, pa[ai + o4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, pa[ai + o5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        if (acc) {
            c00.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
            c01.add(FloatVector.fromArray(S, c, ci + V)).intoArray(c, ci + V);
            c10.add(FloatVector.fromArray(S, c, ci + ldc)).intoArray(c, ci + ldc);
            c11.add(FloatVector.fromArray(S, c, ci + ldc + V)).intoArray(c, ci + ldc + V);
            c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc)).intoArray(c, ci + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + V)).intoArray(c, ci + 2 * ldc + V);
            c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc)).intoArray(c, ci + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + V)).intoArray(c, ci + 3 * ldc + V);
            c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc)).intoArray(c, ci + 4 * ldc);
            c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + V)).intoArray(c, ci + 4 * ldc + V);
            c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc)).intoArray(c, ci + 5 * ldc);
            c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + V)).intoArray(c, ci + 5 * ldc + V);
        } else {
            c00.intoArray(c, ci);
            c01.intoArray(c, ci + V);
            c10.intoArray(c, ci + ldc);
            c11.intoArray(c, ci + ldc + V);
            c20.intoArray(c, ci + 2 * ldc);
            c21.intoArray(c, ci + 2 * ldc + V);
            c30.intoArray(c, ci + 3 * ldc);
            c31.intoArray(c, ci + 3 * ldc + V);
            c40.intoArray(c, ci + 4 * ldc);
            c41.intoArray(c, ci + 4 * ldc + V);
            c50.intoArray(c, ci + 5 * ldc);
            c51.intoArray(c, ci + 5 * ldc + V);
        }
    }

    /** The 8 x 2-vector register tile; see {@link #kernel}. */
    private static void kernel8x2(
            int kc,
            float[] pa,
            int ai,
            int aStep,
            int aRow,
            float[] pb,
            int bi,
            float[] c,
            int ci,
            int ldc,
            boolean acc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int o1 = aRow, o2 = 2 * aRow, o3 = 3 * aRow, o4 = 4 * aRow, o5 = 5 * aRow, o6 = 6 * aRow, o7 = 7 * aRow;
        for (int p = 0; p < kc; p++, ai += aStep) {
            int bp = bi + p * (2 * V); // a multiple of the loop counter: C2 checks its range once
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + V);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai + o1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[ai + o2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[ai + o3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, pa[ai + o4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, pa[ai + o5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, pa[ai + o6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, pa[ai + o7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        if (acc) {
            c00.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
            c01.add(FloatVector.fromArray(S, c, ci + V)).intoArray(c, ci + V);
            c10.add(FloatVector.fromArray(S, c, ci + ldc)).intoArray(c, ci + ldc);
            c11.add(FloatVector.fromArray(S, c, ci + ldc + V)).intoArray(c, ci + ldc + V);
            c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc)).intoArray(c, ci + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + V)).intoArray(c, ci + 2 * ldc + V);
            c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc)).intoArray(c, ci + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + V)).intoArray(c, ci + 3 * ldc + V);
            c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc)).intoArray(c, ci + 4 * ldc);
            c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + V)).intoArray(c, ci + 4 * ldc + V);
            c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc)).intoArray(c, ci + 5 * ldc);
            c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + V)).intoArray(c, ci + 5 * ldc + V);
            c60.add(FloatVector.fromArray(S, c, ci + 6 * ldc)).intoArray(c, ci + 6 * ldc);
            c61.add(FloatVector.fromArray(S, c, ci + 6 * ldc + V)).intoArray(c, ci + 6 * ldc + V);
            c70.add(FloatVector.fromArray(S, c, ci + 7 * ldc)).intoArray(c, ci + 7 * ldc);
            c71.add(FloatVector.fromArray(S, c, ci + 7 * ldc + V)).intoArray(c, ci + 7 * ldc + V);
        } else {
            c00.intoArray(c, ci);
            c01.intoArray(c, ci + V);
            c10.intoArray(c, ci + ldc);
            c11.intoArray(c, ci + ldc + V);
            c20.intoArray(c, ci + 2 * ldc);
            c21.intoArray(c, ci + 2 * ldc + V);
            c30.intoArray(c, ci + 3 * ldc);
            c31.intoArray(c, ci + 3 * ldc + V);
            c40.intoArray(c, ci + 4 * ldc);
            c41.intoArray(c, ci + 4 * ldc + V);
            c50.intoArray(c, ci + 5 * ldc);
            c51.intoArray(c, ci + 5 * ldc + V);
            c60.intoArray(c, ci + 6 * ldc);
            c61.intoArray(c, ci + 6 * ldc + V);
            c70.intoArray(c, ci + 7 * ldc);
            c71.intoArray(c, ci + 7 * ldc + V);
        }
    }

    /**
     * The first vector of columns of the 8 x 2 tile's panel, into c (not accumulating, as the driver calls
     * every edge tile); see {@link #edgeKernel}.
     */
    private static void kernel8x2First(
            int kc, float[] pa, int ai, int aStep, int aRow, float[] pb, int bi, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        int o1 = aRow, o2 = 2 * aRow, o3 = 3 * aRow, o4 = 4 * aRow, o5 = 5 * aRow, o6 = 6 * aRow, o7 = 7 * aRow;
        for (int p = 0; p < kc; p++, ai += aStep) {
            FloatVector b0 = FloatVector.fromArray(S, pb, bi + p * (2 * V));
            c00 = FloatVector.broadcast(S, pa[ai]).fma(b0, c00);
            c10 = FloatVector.broadcast(S, pa[ai + o1]).fma(b0, c10);
            c20 = FloatVector.broadcast(S, pa[ai + o2]).fma(b0, c20);
            c30 = FloatVector.broadcast(S, pa[ai + o3]).fma(b0, c30);
            c40 = FloatVector.broadcast(S, pa[ai + o4]).fma(b0, c40);
            c50 = FloatVector.broadcast(S, pa[ai + o5]).fma(b0, c50);
            c60 = FloatVector.broadcast(S, pa[ai + o6]).fma(b0, c60);
            c70 = FloatVector.broadcast(S, pa[ai + o7]).fma(b0, c70);
        }
        c00.intoArray(c, ci);
        c10.intoArray(c, ci + ldc);
        c20.intoArray(c, ci + 2 * ldc);
        c30.intoArray(c, ci + 3 * ldc);
        c40.intoArray(c, ci + 4 * ldc);
        c50.intoArray(c, ci + 5 * ldc);
        c60.intoArray(c, ci + 6 * ldc);
        c70.intoArray(c, ci + 7 * ldc);
    }

    /** The 4 x 3-vector register tile; see {@link #kernel}. */
    private static void kernel4x3(
            int kc,
            float[] pa,
            int ai,
            int aStep,
            int aRow,
            float[] pb,
            int bi,
            float[] c,
            int ci,
            int ldc,
            boolean acc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        int o1 = aRow, o2 = 2 * aRow, o3 = 3 * aRow;
        for (int p = 0; p < kc; p++, ai += aStep) {
            int bp = bi + p * (3 * V); // a multiple of the loop counter: C2 checks its range once
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + V);
            FloatVector b2 = FloatVector.fromArray(S, pb, bp + 2 * V);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai + o1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(S, pa[ai + o2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(S, pa[ai + o3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
        }
        if (acc) {
            c00.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
            c01.add(FloatVector.fromArray(S, c, ci + V)).intoArray(c, ci + V);
            c02.add(FloatVector.fromArray(S, c, ci + 2 * V)).intoArray(c, ci + 2 * V);
            c10.add(FloatVector.fromArray(S, c, ci + ldc)).intoArray(c, ci + ldc);
            c11.add(FloatVector.fromArray(S, c, ci + ldc + V)).intoArray(c, ci + ldc + V);
            c12.add(FloatVector.fromArray(S, c, ci + ldc + 2 * V)).intoArray(c, ci + ldc + 2 * V);
            c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc)).intoArray(c, ci + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + V)).intoArray(c, ci + 2 * ldc + V);
            c22.add(FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * V)).intoArray(c, ci + 2 * ldc + 2 * V);
            c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc)).intoArray(c, ci + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + V)).intoArray(c, ci + 3 * ldc + V);
            c32.add(FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * V)).intoArray(c, ci + 3 * ldc + 2 * V);
        } else {
            c00.intoArray(c, ci);
            c01.intoArray(c, ci + V);
            c02.intoArray(c, ci + 2 * V);
            c10.intoArray(c, ci + ldc);
            c11.intoArray(c, ci + ldc + V);
            c12.intoArray(c, ci + ldc + 2 * V);
            c20.intoArray(c, ci + 2 * ldc);
            c21.intoArray(c, ci + 2 * ldc + V);
            c22.intoArray(c, ci + 2 * ldc + 2 * V);
            c30.intoArray(c, ci + 3 * ldc);
            c31.intoArray(c, ci + 3 * ldc + V);
            c32.intoArray(c, ci + 3 * ldc + 2 * V);
        }
    }

    /**
     * An edge tile whose micro-panel has at most {@code 2 * V} valid columns of the 4 x 3 tile's 3 * V, or
     * at most V of the 8 x 2 tile's 2 * V: only its first one or two vectors of columns are computed, into
     * the edge tile, with the same chain of fused multiply-adds per value as the full tile, so the values
     * are the same bits. A 256- or 64-column product (a recurrent layer's {@code dh W_hh}, an LSTM's
     * 64-wide input) otherwise spent a third or two thirds of its last panel's work on zero columns, and
     * on the 8 x 2 tile a convolution over 14 x 14 or 28 x 28 positions (196 = 6 x 32 + 4 columns, 784 =
     * 24 x 32 + 16) or a 10-class output half of it.
     */
    @Override
    protected void edgeKernel(
            int cols,
            int kc,
            float[] pa,
            int ai,
            int aStep,
            int aRow,
            float[] pb,
            int bi,
            float[] c,
            int ci,
            int ldc,
            boolean acc) {
        if (TILE == TILE_4X3 && cols <= V) {
            kernel4x1(kc, pa, ai, aStep, aRow, pb, bi, c, ci, ldc, acc);
        } else if (TILE == TILE_4X3 && cols <= 2 * V) {
            kernel4x2(kc, pa, ai, aStep, aRow, pb, bi, c, ci, ldc, acc);
        } else if (TILE == TILE_8X2 && cols <= V && !acc) {
            kernel8x2First(kc, pa, ai, aStep, aRow, pb, bi, c, ci, ldc);
        } else {
            kernel(kc, pa, ai, aStep, aRow, pb, bi, c, ci, ldc, acc);
        }
    }

    /**
     * Two row tiles of a last panel with at most {@code V} valid columns in one loop (8 rows): the 4 x 1
     * tile alone has 4 chains of dependent multiply-adds, half of what two FMA units with a latency of 4
     * cycles need to stay busy; 8 rows keep them busy. Each value is the same chain as in the full tile.
     */
    @Override
    protected void edgeKernelPair(
            int cols,
            int kc,
            float[] pa,
            int ai,
            int ai2,
            int aStep,
            int aRow,
            float[] pb,
            int bi,
            float[] c,
            int ci,
            int ldc) {
        if (TILE == TILE_4X3 && cols <= V) {
            kernel8x1(kc, pa, ai, ai2 - ai, aStep, aRow, pb, bi, c, ci, ldc);
        } else {
            super.edgeKernelPair(cols, kc, pa, ai, ai2, aStep, aRow, pb, bi, c, ci, ldc);
        }
    }

    /**
     * The first vector of columns of two 4 x 3 tiles' panel, into c (not accumulating); see
     * {@link #edgeKernelPair}.
     */
    private static void kernel8x1(
            int kc,
            float[] pa,
            int ai,
            int second,
            int aStep,
            int aRow,
            float[] pb,
            int bi,
            float[] c,
            int ci,
            int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        // rows 4 to 7 are the second tile's, second values after the first's in pa
        int o1 = aRow,
                o2 = 2 * aRow,
                o3 = 3 * aRow,
                o4 = second,
                o5 = second + aRow,
                o6 = second + o2,
                o7 = second + o3;
        for (int p = 0; p < kc; p++, ai += aStep) {
            int bp = bi + p * (3 * V); // a multiple of the loop counter: C2 checks its range once
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            c00 = FloatVector.broadcast(S, pa[ai]).fma(b0, c00);
            c10 = FloatVector.broadcast(S, pa[ai + o1]).fma(b0, c10);
            c20 = FloatVector.broadcast(S, pa[ai + o2]).fma(b0, c20);
            c30 = FloatVector.broadcast(S, pa[ai + o3]).fma(b0, c30);
            c40 = FloatVector.broadcast(S, pa[ai + o4]).fma(b0, c40);
            c50 = FloatVector.broadcast(S, pa[ai + o5]).fma(b0, c50);
            c60 = FloatVector.broadcast(S, pa[ai + o6]).fma(b0, c60);
            c70 = FloatVector.broadcast(S, pa[ai + o7]).fma(b0, c70);
        }
        c00.intoArray(c, ci);
        c10.intoArray(c, ci + ldc);
        c20.intoArray(c, ci + 2 * ldc);
        c30.intoArray(c, ci + 3 * ldc);
        c40.intoArray(c, ci + 4 * ldc);
        c50.intoArray(c, ci + 5 * ldc);
        c60.intoArray(c, ci + 6 * ldc);
        c70.intoArray(c, ci + 7 * ldc);
    }

    /** The first vector of columns of the 4 x 3 tile's panel; see {@link #edgeKernel}. */
    private static void kernel4x1(
            int kc,
            float[] pa,
            int ai,
            int aStep,
            int aRow,
            float[] pb,
            int bi,
            float[] c,
            int ci,
            int ldc,
            boolean acc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        int o1 = aRow, o2 = 2 * aRow, o3 = 3 * aRow;
        for (int p = 0; p < kc; p++, ai += aStep) {
            int bp = bi + p * (3 * V); // a multiple of the loop counter: C2 checks its range once
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            c00 = FloatVector.broadcast(S, pa[ai]).fma(b0, c00);
            c10 = FloatVector.broadcast(S, pa[ai + o1]).fma(b0, c10);
            c20 = FloatVector.broadcast(S, pa[ai + o2]).fma(b0, c20);
            c30 = FloatVector.broadcast(S, pa[ai + o3]).fma(b0, c30);
        }
        if (acc) {
            c00.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
            c10.add(FloatVector.fromArray(S, c, ci + ldc)).intoArray(c, ci + ldc);
            c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc)).intoArray(c, ci + 2 * ldc);
            c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc)).intoArray(c, ci + 3 * ldc);
        } else {
            c00.intoArray(c, ci);
            c10.intoArray(c, ci + ldc);
            c20.intoArray(c, ci + 2 * ldc);
            c30.intoArray(c, ci + 3 * ldc);
        }
    }

    /** The first two vectors of columns of the 4 x 3 tile's panel; see {@link #edgeKernel}. */
    private static void kernel4x2(
            int kc,
            float[] pa,
            int ai,
            int aStep,
            int aRow,
            float[] pb,
            int bi,
            float[] c,
            int ci,
            int ldc,
            boolean acc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int o1 = aRow, o2 = 2 * aRow, o3 = 3 * aRow;
        for (int p = 0; p < kc; p++, ai += aStep) {
            int bp = bi + p * (3 * V); // a multiple of the loop counter: C2 checks its range once
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + V);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai + o1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[ai + o2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[ai + o3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        if (acc) {
            c00.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
            c01.add(FloatVector.fromArray(S, c, ci + V)).intoArray(c, ci + V);
            c10.add(FloatVector.fromArray(S, c, ci + ldc)).intoArray(c, ci + ldc);
            c11.add(FloatVector.fromArray(S, c, ci + ldc + V)).intoArray(c, ci + ldc + V);
            c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc)).intoArray(c, ci + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + V)).intoArray(c, ci + 2 * ldc + V);
            c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc)).intoArray(c, ci + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + V)).intoArray(c, ci + 3 * ldc + V);
        } else {
            c00.intoArray(c, ci);
            c01.intoArray(c, ci + V);
            c10.intoArray(c, ci + ldc);
            c11.intoArray(c, ci + ldc + V);
            c20.intoArray(c, ci + 2 * ldc);
            c21.intoArray(c, ci + 2 * ldc + V);
            c30.intoArray(c, ci + 3 * ldc);
            c31.intoArray(c, ci + 3 * ldc + V);
        }
    }
}
