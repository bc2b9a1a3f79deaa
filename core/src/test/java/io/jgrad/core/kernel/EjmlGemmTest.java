package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.api.Test;

/** sgemm and dgemm against EJML's row-major products, all four transpose combinations. */
class EjmlGemmTest {
    private static final int[][] SHAPES = {{64, 64, 64}, {100, 37, 129}, {3, 300, 17}, {257, 65, 130}};

    @Test
    void sgemmMatchesEjml() {
        SplittableRandom r = new SplittableRandom(11);
        for (int[] s : SHAPES) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int tr = 0; tr < 4; tr++) {
                boolean ta = (tr & 1) != 0;
                boolean tb = (tr & 2) != 0;
                FMatrixRMaj a = new FMatrixRMaj(ta ? k : m, ta ? m : k);
                FMatrixRMaj b = new FMatrixRMaj(tb ? n : k, tb ? k : n);
                fill(r, a.data);
                fill(r, b.data);
                FMatrixRMaj want = new FMatrixRMaj(m, n);
                if (!ta && !tb) {
                    CommonOps_FDRM.mult(a, b, want);
                } else if (ta && !tb) {
                    CommonOps_FDRM.multTransA(a, b, want);
                } else if (!ta) {
                    CommonOps_FDRM.multTransB(a, b, want);
                } else {
                    CommonOps_FDRM.multTransAB(a, b, want);
                }
                for (Kernels kern : KernelSets.gemm()) {
                    float[] c = new float[m * n];
                    kern.sgemm(ta, tb, m, n, k, 1f, a.data, 0, a.numCols, b.data, 0, b.numCols, 0f, c, 0, n);
                    for (int i = 0; i < m * n; i++) {
                        // both accumulate k products of numbers in [-1, 1) in float
                        if (!(Math.abs(c[i] - want.data[i]) <= 4 * k * 0x1p-24 * Math.sqrt(k) + 1e-6)) {
                            fail(kern.name() + " " + m + "x" + n + "x" + k + " trans=" + ta + "," + tb + " element " + i
                                    + ": " + c[i] + " vs EJML " + want.data[i]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void dgemmMatchesEjml() {
        SplittableRandom r = new SplittableRandom(12);
        for (int[] s : SHAPES) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int tr = 0; tr < 4; tr++) {
                boolean ta = (tr & 1) != 0;
                boolean tb = (tr & 2) != 0;
                DMatrixRMaj a = new DMatrixRMaj(ta ? k : m, ta ? m : k);
                DMatrixRMaj b = new DMatrixRMaj(tb ? n : k, tb ? k : n);
                for (int i = 0; i < a.data.length; i++) {
                    a.data[i] = r.nextDouble() * 2 - 1;
                }
                for (int i = 0; i < b.data.length; i++) {
                    b.data[i] = r.nextDouble() * 2 - 1;
                }
                DMatrixRMaj want = new DMatrixRMaj(m, n);
                if (!ta && !tb) {
                    CommonOps_DDRM.mult(a, b, want);
                } else if (ta && !tb) {
                    CommonOps_DDRM.multTransA(a, b, want);
                } else if (!ta) {
                    CommonOps_DDRM.multTransB(a, b, want);
                } else {
                    CommonOps_DDRM.multTransAB(a, b, want);
                }
                for (Kernels kern : KernelSets.gemm()) {
                    double[] c = new double[m * n];
                    kern.dgemm(ta, tb, m, n, k, 1, a.data, 0, a.numCols, b.data, 0, b.numCols, 0, c, 0, n);
                    for (int i = 0; i < m * n; i++) {
                        if (!(Math.abs(c[i] - want.data[i]) <= 4 * k * 0x1p-53 * Math.sqrt(k) + 1e-15)) {
                            fail(kern.name() + " " + m + "x" + n + "x" + k + " trans=" + ta + "," + tb + " element " + i
                                    + ": " + c[i] + " vs EJML " + want.data[i]);
                        }
                    }
                }
            }
        }
    }

    private static void fill(SplittableRandom r, float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
    }
}
