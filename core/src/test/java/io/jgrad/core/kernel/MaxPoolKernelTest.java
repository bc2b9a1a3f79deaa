package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#maxPool2x2} of every implementation against PyTorch's rule written as a plain loop
 * here: values and indices bit for bit, on data full of ties (zeros of both signs, repeated values) and
 * NaNs, on planes narrower and wider than a vector, odd sizes, an offset input, a range of planes in the
 * middle (nothing outside it written) and an input that ends with the last plane (its last rows read
 * up to the array's end).
 */
class MaxPoolKernelTest {
    /** {planes, h, w, oh, ow}. */
    private static final int[][] SHAPES = {
        {3, 4, 4, 2, 2},
        {2, 28, 28, 14, 14},
        {3, 14, 14, 7, 7},
        {2, 9, 7, 4, 3},
        {2, 6, 70, 3, 35},
        {4, 2, 2, 1, 1},
        {5, 8, 40, 4, 20},
        {2, 10, 10, 3, 4},
        {3, 4, 66, 2, 33}
    };

    private static final float[] VALUES = {0f, -0f, 1f, 2f, -1f, 0.5f, 2f, 1f};

    /** The first strict maximum in window order; a NaN takes over (so the last NaN wins). */
    private static void reference(
            float[] x, int xo, int h, int w, int oh, int ow, float[] out, int[] ind, int from, int to) {
        for (int p = from; p < to; p++) {
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    int best = 2 * r * w + 2 * q;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int a = 2 * r; a < 2 * r + 2; a++) {
                        for (int b = 2 * q; b < 2 * q + 2; b++) {
                            float v = x[xo + p * h * w + a * w + b];
                            if (v > max || Float.isNaN(v)) {
                                max = v;
                                best = a * w + b;
                            }
                        }
                    }
                    out[(p * oh + r) * ow + q] = max;
                    ind[(p * oh + r) * ow + q] = best;
                }
            }
        }
    }

    @Test
    void everyImplementationFollowsPyTorchsRuleBitForBit() {
        SplittableRandom rnd = new SplittableRandom(7);
        int checked = 0;
        for (Kernels k : KernelSets.all()) {
            for (int[] s : SHAPES) {
                int planes = s[0];
                int h = s[1];
                int w = s[2];
                int oh = s[3];
                int ow = s[4];
                for (int variant = 0; variant < 4; variant++) {
                    // variants: all planes from offset 0 / an offset input / the middle planes / random floats
                    int xo = variant == 1 ? 5 : 0;
                    int from = variant == 2 && planes > 2 ? 1 : 0;
                    int to = variant == 2 && planes > 2 ? planes - 1 : planes;
                    float[] x = new float[xo + planes * h * w]; // no slack: the last plane ends the array
                    for (int i = 0; i < x.length; i++) {
                        x[i] = variant == 3 ? (float) rnd.nextGaussian() : VALUES[rnd.nextInt(VALUES.length)];
                        if (rnd.nextInt(23) == 0) {
                            x[i] = Float.NaN;
                        }
                    }
                    int n = planes * oh * ow;
                    float[] out = new float[n];
                    int[] ind = new int[n];
                    float[] want = new float[n];
                    int[] wantInd = new int[n];
                    java.util.Arrays.fill(out, 42f);
                    java.util.Arrays.fill(ind, -7);
                    java.util.Arrays.fill(want, 42f);
                    java.util.Arrays.fill(wantInd, -7);
                    k.maxPool2x2(x, xo, h, w, oh, ow, out, ind, from, to);
                    reference(x, xo, h, w, oh, ow, want, wantInd, from, to);
                    for (int i = 0; i < n; i++) {
                        String where = k.name() + " planes=" + planes + " " + h + "x" + w + " -> " + oh + "x" + ow
                                + " variant " + variant + " output " + i;
                        assertEquals(wantInd[i], ind[i], where + " index");
                        assertEquals(
                                Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(out[i]), where + " value");
                        checked++;
                    }
                }
            }
        }
        assertEquals(true, checked > 0);
    }
}
