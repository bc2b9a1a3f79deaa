package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The single-precision erf and GELU kernels (plain and vector) against the double-precision series. */
class ErfKernelsTest {
    /** A grid over every range of {@link Erf}, both signs, with a length that leaves a scalar tail. */
    private static float[] grid() {
        int n = 400_003;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (-14 + 28.0 * i / (n - 1));
        }
        return x;
    }

    private static double phi(double x) {
        double y = x / Math.sqrt(2);
        return y < 0 ? 0.5 * Erf.erfc(-y) : 1 - 0.5 * Erf.erfc(y);
    }

    @Test
    void erfIsWithinTwoUlpsEverywhere() {
        float[] x = grid();
        for (Kernels k : KernelSets.all()) {
            float[] out = new float[x.length];
            k.erf(x, 0, out, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                double want = Erf.erf((double) x[i]);
                double ulps = Math.abs(out[i] - want) / Math.ulp((float) want);
                assertTrue(
                        ulps <= 2,
                        k.name() + ": erf(" + x[i] + ") = " + out[i] + ", expected " + want + " (" + ulps + " ulp)");
            }
        }
    }

    @Test
    void geluKeepsItsRelativeAccuracyInTheNegativeTail() {
        float[] x = grid();
        for (Kernels k : KernelSets.all()) {
            float[] out = new float[x.length];
            k.gelu(x, 0, out, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                double p = phi(x[i]);
                double want = x[i] * p;
                if (p < Float.MIN_NORMAL) {
                    // below x = -13.1 Phi(x) is subnormal in single precision: only absolute accuracy is left
                    assertEquals(
                            want, out[i], 16 * Math.abs(x[i]) * Float.MIN_VALUE, k.name() + ": gelu(" + x[i] + ")");
                    continue;
                }
                double ulps = Math.abs(out[i] - want) / Math.ulp((float) want);
                // Phi = 1/2 + y P(y^2)/2 cancels a few bits just below y = -1
                assertTrue(
                        ulps <= 10,
                        k.name() + ": gelu(" + x[i] + ") = " + out[i] + ", expected " + want + " (" + ulps + " ulp)");
            }
        }
    }

    @Test
    void geluBackwardIsTheDerivativeTimesTheGradient() {
        float[] x = grid();
        float[] g = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            g[i] = (i % 7) * 0.5f - 1.25f;
        }
        for (Kernels k : KernelSets.all()) {
            float[] out = new float[x.length];
            k.geluBackward(x, 0, g, 0, out, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                double xi = x[i];
                double density = Math.exp(-xi * xi / 2) / Math.sqrt(2 * Math.PI);
                double want = g[i] * (phi(xi) + xi * density);
                // Phi + x phi cancels near x = -0.75 (where it is 0): bound the error by the terms' size
                double scale = Math.abs(g[i]) * (phi(xi) + Math.abs(xi) * density);
                assertEquals(
                        want,
                        out[i],
                        8 * Math.ulp((float) scale) + 16 * Float.MIN_VALUE,
                        k.name() + ": gelu'(" + xi + ") * " + g[i]);
            }
        }
    }

    @Test
    void specialValues() {
        float[] x = {
            0f,
            -0f,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.NaN,
            1f,
            -1f,
            2.5f,
            4f,
            -4f,
            1e-30f,
            -1e-30f,
            3.9f,
            100f,
            -100f,
            0.5f
        };
        for (Kernels k : KernelSets.all()) {
            // twice: once as the first elements of a long array (vector lanes), once alone (scalar tail)
            float[] wide = new float[64];
            System.arraycopy(x, 0, wide, 0, x.length);
            for (int rep = 0; rep < 2; rep++) {
                float[] e = new float[x.length];
                float[] g = new float[x.length];
                if (rep == 0) {
                    float[] ew = new float[64];
                    float[] gw = new float[64];
                    k.erf(wide, 0, ew, 0, 64);
                    k.gelu(wide, 0, gw, 0, 64);
                    System.arraycopy(ew, 0, e, 0, x.length);
                    System.arraycopy(gw, 0, g, 0, x.length);
                } else {
                    for (int i = 0; i < x.length; i++) {
                        k.erf(x, i, e, i, 1);
                        k.gelu(x, i, g, i, 1);
                    }
                }
                String where = k.name() + (rep == 0 ? " (vector lanes)" : " (one at a time)");
                assertEquals(0f, e[0], where);
                assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(e[1]), where + ": erf(-0) is -0");
                assertEquals(1f, e[2], where);
                assertEquals(-1f, e[3], where);
                assertTrue(Float.isNaN(e[4]) && Float.isNaN(g[4]), where + ": NaN stays NaN");
                assertEquals(Float.POSITIVE_INFINITY, g[2], where);
                assertEquals(1f, e[13], where);
                assertEquals(-1f, e[14], where);
                assertEquals(100f, g[13], where);
                assertEquals(0f, Math.abs(g[14]), where + ": gelu(-100) underflows to 0");
                // erf(x) = 2x / sqrt(pi) near 0, to full relative precision
                assertEquals((float) (2e-30 / Math.sqrt(Math.PI)), e[10], Math.ulp(e[10]) * 2, where);
                assertEquals((float) (-2e-30 / Math.sqrt(Math.PI)), e[11], Math.ulp(e[11]) * 2, where);
            }
        }
    }

    /** erf, GELU and GELU's backward of x: three outputs, one after the other. */
    private static float[] erfFamily(Kernels k, float[] x, float[] g) {
        int n = x.length;
        float[] out = new float[3 * n];
        float[] tmp = new float[n];
        k.erf(x, 0, tmp, 0, n);
        System.arraycopy(tmp, 0, out, 0, n);
        k.gelu(x, 0, tmp, 0, n);
        System.arraycopy(tmp, 0, out, n, n);
        k.geluBackward(x, 0, g, 0, tmp, 0, n);
        System.arraycopy(tmp, 0, out, 2 * n, n);
        return out;
    }

    /**
     * The vector kernels skip, per block of values, the ranges that none of its values reaches: a block
     * whose values all lie below |y| = 1, 2.5 or 4 gives the same bits as the same block with one value
     * far out (which runs every range), and a NaN among them still gives NaN.
     */
    @Test
    void blocksThatReachFewerRangesGiveTheSameBits() {
        int n = 2048; // several blocks, each bounded as below
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (i % 5) * 0.25f - 0.5f;
        }
        for (float bound : new float[] {0.95f, 1.3f, 2.4f, 3.3f, 3.9f, 5.5f}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = bound * (float) Math.sin(i * 0.37); // |x| < bound: |y| < bound for erf, bound / sqrt(2) for GELU
            }
            for (Kernels k : KernelSets.all()) {
                float[] plain = erfFamily(k, x, g);
                for (float far : new float[] {-30f, 30f, Float.NaN}) {
                    for (int at : new int[] {7, 600, 2047}) {
                        float[] y = x.clone();
                        y[at] = far;
                        float[] got = erfFamily(k, y, g);
                        for (int m = 0; m < 3; m++) {
                            for (int i = 0; i < n; i++) {
                                int j = m * n + i;
                                String where = k.name() + ", bound " + bound + ", " + far + " at " + at + ", output "
                                        + m + ", x[" + i + "] = " + y[i];
                                if (i == at) {
                                    assertEquals(Float.isNaN(far), Float.isNaN(got[j]), where);
                                } else {
                                    assertEquals(Float.floatToIntBits(plain[j]), Float.floatToIntBits(got[j]), where);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
