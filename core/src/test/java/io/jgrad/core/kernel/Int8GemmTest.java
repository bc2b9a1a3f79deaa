package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The int8 kernel of every implementation (plain Java, and the Vector API when the module is readable;
 * the core suite also runs once without it) against a naive loop in double, on lengths that hit every
 * vector tail and the four-row blocking, at odd offsets and strides.
 */
class Int8GemmTest {
    private static final int[] KS = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 129, 300};
    private static final int[] NS = {1, 2, 3, 4, 5, 7, 8, 9};

    @Test
    void matchesTheNaiveLoopOnEveryPath() {
        SplittableRandom r = new SplittableRandom(8);
        assertTrue(KernelSets.all().size() >= 1);
        for (Kernels kern : KernelSets.all()) {
            for (int m : new int[] {1, 2, 3}) {
                for (int n : NS) {
                    for (int k : KS) {
                        int lda = k + 3;
                        int ldw = k + 5;
                        int ldc = n + 2;
                        int aOff = 2;
                        int wOff = 3;
                        int cOff = 1;
                        int sOff = 4;
                        float[] a = new float[aOff + m * lda];
                        for (int i = 0; i < a.length; i++) {
                            a[i] = (float) (r.nextDouble() * 4 - 2);
                        }
                        byte[] w = new byte[wOff + n * ldw];
                        for (int i = 0; i < w.length; i++) {
                            w[i] = (byte) (r.nextInt(256) - 128); // the full range, -128 included
                        }
                        float[] scale = new float[sOff + n];
                        for (int j = 0; j < scale.length; j++) {
                            scale[j] = (float) (0.001 + r.nextDouble() * 0.05);
                        }
                        float[] c = new float[cOff + m * ldc + 1];
                        java.util.Arrays.fill(c, 42f);
                        kern.int8Gemm(m, n, k, a, aOff, lda, w, wOff, ldw, scale, sOff, c, cOff, ldc);
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double s = 0;
                                double mag = 0;
                                for (int p = 0; p < k; p++) {
                                    double prod = (double) a[aOff + i * lda + p] * w[wOff + j * ldw + p];
                                    s += prod;
                                    mag += Math.abs(prod);
                                }
                                double want = s * scale[sOff + j];
                                double tol = 4 * k * Math.ulp(1f) * mag * scale[sOff + j] + 1e-30;
                                assertEquals(
                                        want,
                                        c[cOff + i * ldc + j],
                                        tol,
                                        kern.name() + " m=" + m + " n=" + n + " k=" + k + " at (" + i + ", " + j + ")");
                            }
                            // the gaps between output rows are left alone
                            for (int j = n; j < ldc && cOff + i * ldc + j < c.length; j++) {
                                assertEquals(42f, c[cOff + i * ldc + j], kern.name() + " wrote outside row " + i);
                            }
                        }
                        assertEquals(42f, c[0], kern.name() + " wrote before the output");
                    }
                }
            }
        }
    }
}
