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
}
