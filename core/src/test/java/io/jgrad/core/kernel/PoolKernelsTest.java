package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The argmax windows of adaptive max pooling ({@link PoolKernels}) against a naive search over windows
 * computed with floating point floor and ceil: shrinking, equal and growing sizes, ties (the first
 * wins) and NaN (the first NaN wins), a non-contiguous input.
 */
class PoolKernelsTest {
    private static int[] naive(double[] v, int planes, int h, int w, int oh, int ow) {
        int[] idx = new int[planes * oh * ow];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int h0 = (int) Math.floor(i * (double) h / oh);
                    int h1 = (int) Math.ceil((i + 1) * (double) h / oh);
                    int w0 = (int) Math.floor(j * (double) w / ow);
                    int w1 = (int) Math.ceil((j + 1) * (double) w / ow);
                    int best = -1;
                    for (int a = h0; a < h1 && (best < 0 || !Double.isNaN(v[p * h * w + best])); a++) {
                        for (int b = w0; b < w1; b++) {
                            double val = v[p * h * w + a * w + b];
                            if (Double.isNaN(val)) {
                                best = a * w + b;
                                break;
                            }
                            if (best < 0 || val > v[p * h * w + best]) {
                                best = a * w + b;
                            }
                        }
                    }
                    idx[(p * oh + i) * ow + j] = best;
                }
            }
        }
        return idx;
    }

    @Test
    void adaptiveMaxIndicesAgainstNaiveSearch() {
        Generator g = new Generator(12);
        int planes = 3;
        int[][] sizes = {{1, 1, 1, 1}, {5, 7, 2, 3}, {4, 4, 4, 4}, {3, 5, 6, 8}, {1, 9, 1, 4}, {6, 1, 4, 1}};
        for (int[] sz : sizes) {
            int h = sz[0];
            int w = sz[1];
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                // rounded to a few values so that ties occur, with a NaN in the first plane
                double[] r = Tensor.randn(g, DType.FLOAT64, w * h * planes).toDoubleArray();
                for (int k = 0; k < r.length; k++) {
                    r[k] = Math.rint(2 * r[k]);
                }
                Tensor x = Tensor.wrap(r, w, h, planes).to(dt);
                if (h * w > 2) {
                    x.set(Double.NaN, w - 1, h - 1, 0);
                }
                Tensor view = x.permute(2, 1, 0); // (planes, h, w), not contiguous
                int[] got = PoolKernels.adaptiveMaxIndices(view, h, w, sz[2], sz[3]);
                int[] want = naive(view.contiguous().toDoubleArray(), planes, h, w, sz[2], sz[3]);
                assertArrayEquals(want, got, dt + " " + java.util.Arrays.toString(sz));
            }
        }
    }

    /**
     * {@link Kernels#maxPool2x2} of every implementation against the scalar rule written out here (a later
     * value takes over when strictly greater or NaN, from minus infinity): widths around the 4- and
     * 8-cell chunks of 256- and 512-bit vectors and their moved-back last chunk, output sizes smaller
     * than the input allows, offsets, ties, signed zeros, infinities and NaNs, calls small and large;
     * the output's bits, the indices, and nothing written outside the output.
     */
    @Test
    void maxPool2x2AgainstTheScalarRule() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        float[] specials = {0f, -0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, 1f, -1f};
        int xOff = 3;
        int oOff = 2;
        for (Kernels k : KernelSets.all()) {
            for (int w = 2; w <= 37; w++) {
                // a few calls large enough for the vector kernels to time their first chunks (and maybe
                // go on with scalar code while the chunks are not compiled)
                int planes = w % 6 == 0 ? 40 : 3;
                for (int h : new int[] {2, 3, 5}) {
                    for (int[] o : new int[][] {{h / 2, w / 2}, {Math.max(1, h / 2 - 1), Math.max(1, w / 2 - 2)}}) {
                        int oh = o[0];
                        int ow = o[1];
                        float[] x = new float[xOff + planes * h * w + 1];
                        for (int i = 0; i < x.length; i++) {
                            double u = r.nextDouble();
                            // rounded values for ties; some special values; NaN in about 2% of the cells
                            x[i] = u < 0.1
                                    ? specials[r.nextInt(specials.length)]
                                    : (float) Math.rint(4 * r.nextGaussian());
                        }
                        int n = planes * oh * ow;
                        float[] out = new float[oOff + n + 1];
                        int[] ind = new int[oOff + n + 1];
                        java.util.Arrays.fill(out, 42f);
                        java.util.Arrays.fill(ind, -7);
                        k.maxPool2x2(x, xOff, h, w, out, ind, oOff, oh, ow, planes);
                        String at = k.name() + " h=" + h + " w=" + w + " oh=" + oh + " ow=" + ow;
                        for (int p = 0; p < planes; p++) {
                            for (int i = 0; i < oh; i++) {
                                for (int j = 0; j < ow; j++) {
                                    int best = 2 * i * w + 2 * j;
                                    float max = Float.NEGATIVE_INFINITY;
                                    for (int a = 2 * i; a < 2 * i + 2; a++) {
                                        for (int b = 2 * j; b < 2 * j + 2; b++) {
                                            float v = x[xOff + p * h * w + a * w + b];
                                            if (v > max || Float.isNaN(v)) {
                                                max = v;
                                                best = a * w + b;
                                            }
                                        }
                                    }
                                    int c = oOff + (p * oh + i) * ow + j;
                                    String cell = at + " plane " + p + " cell (" + i + ", " + j + ")";
                                    org.junit.jupiter.api.Assertions.assertEquals(best, ind[c], cell);
                                    org.junit.jupiter.api.Assertions.assertEquals(
                                            Float.floatToRawIntBits(max), Float.floatToRawIntBits(out[c]), cell);
                                }
                            }
                        }
                        for (int c : new int[] {0, oOff - 1, oOff + n}) {
                            org.junit.jupiter.api.Assertions.assertEquals(
                                    42f, out[c], at + " wrote outside the output");
                            org.junit.jupiter.api.Assertions.assertEquals(
                                    -7, ind[c], at + " wrote outside the indices");
                        }
                    }
                }
            }
        }
    }
}
