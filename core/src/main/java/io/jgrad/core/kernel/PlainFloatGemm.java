package io.jgrad.core.kernel;

/**
 * The plain-Java register tile and packing for {@link FloatGemmDriver}: the fallback when the Vector API
 * is not available. A 4 x 4 scalar register tile, which C2 keeps in registers; packing alpha * op(A)
 * into MR-row panels and op(B) into NR-column panels lets all four transpose combinations read
 * contiguous memory in the inner loop. C2 does not auto-vectorize a row update here (it cannot rule
 * out that C and B are the same array), so register reuse is what speeds this up over the naive loop.
 *
 * The B panels are packed by the driver's scalar {@link FloatGemmDriver#packB}.
 *
 * <p>Twin: {@code PlainDoubleGemm} is generated from this file at build time (execution {@code twins} in
 * core's pom), so this file is the only one to edit.
 */
final class PlainFloatGemm extends FloatGemmDriver {
    static final int MR = 4;
    static final int NR = 4;

    /** The one instance. */
    static final PlainFloatGemm INSTANCE = new PlainFloatGemm();

    private PlainFloatGemm() {
        super(MR, NR, 256, 128, 2048, 1L << 20, 4);
    }

    /**
     * Packs alpha * op(A)[i0 .. i0+mc, p0 .. p0+kc) into MR-row micro-panels: panel q holds, for each p,
     * the MR values of rows i0 + q*MR .. contiguous (zero past mc).
     */
    @Override
    protected void packA(
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

    /** The packed A holds, for each depth, the MR values of a panel side by side. */
    @Override
    protected int packedAStep(int kc) {
        return MR;
    }

    /** Rows of a packed panel are adjacent at each depth. */
    @Override
    protected int packedARow(int kc) {
        return 1;
    }

    /**
     * The 4 x 4 register tile in scalar code: {@code C[0..4, 0..4) (+)= A-panel * B-panel}, accumulating
     * into C when {@code acc}. Sixteen accumulators in registers: each loaded value is used four times.
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
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        int o2 = 2 * aRow, o3 = 3 * aRow;
        for (int p = 0; p < kc; p++, ai += aStep, bi += 4) {
            float a0 = pa[ai], a1 = pa[ai + aRow], a2 = pa[ai + o2], a3 = pa[ai + o3];
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
