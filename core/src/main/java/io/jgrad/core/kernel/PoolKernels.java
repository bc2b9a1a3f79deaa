package io.jgrad.core.kernel;

import io.jgrad.core.Tensor;

/** Index loops of pooling that the layers gather with: the argmax windows of adaptive max pooling. */
public final class PoolKernels {
    private PoolKernels() {}

    /**
     * The position of the first maximum of each window of adaptive max pooling (a NaN wins), PyTorch's
     * windows {@code [floor(i * in / out), ceil((i + 1) * in / out))} along each axis.
     *
     * @param x the input, viewed as {@code planes} planes of {@code (h, w)} row-major (any strides and
     *     floating point type; read as doubles)
     * @param h the input height (1 for 1-D pooling)
     * @param w the input width
     * @param oh the output height (1 for 1-D pooling)
     * @param ow the output width
     * @return for each plane and output cell, row-major {@code (planes, oh, ow)}, the index {@code a * w + b}
     *     of the maximum within its plane
     */
    public static int[] adaptiveMaxIndices(Tensor x, int h, int w, int oh, int ow) {
        double[] v = x.toDoubleArray();
        int planes = v.length / Math.max(1, h * w);
        int[] idx = new int[planes * oh * ow];
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int i = 0; i < oh; i++) {
                int h0 = start(i, h, oh);
                int h1 = end(i, h, oh);
                for (int j = 0; j < ow; j++) {
                    int w0 = start(j, w, ow);
                    int w1 = end(j, w, ow);
                    int best = h0 * w + w0;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int a = h0; a < h1; a++) {
                        for (int b = w0; b < w1; b++) {
                            double val = v[base + a * w + b];
                            if (val > max || Double.isNaN(val)) {
                                max = val;
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

    /** PyTorch's window start {@code floor(i * in / out)}. */
    private static int start(int i, int in, int out) {
        return (int) Math.floorDiv((long) i * in, out);
    }

    /** PyTorch's window end {@code ceil((i + 1) * in / out)}. */
    private static int end(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }
}
