package io.jgrad.core.kernel;

import io.jgrad.core.Tensor;

/**
 * Index loops of pooling: the argmax windows of adaptive max pooling that the layers gather with, and
 * the plain 2 x 2 max pooling loop.
 */
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

    /**
     * {@link Kernels#maxPool2x2} in plain Java: the plain kernels' implementation, and the vector kernels'
     * while their own code is not compiled yet.
     *
     * @param x the input planes
     * @param xo where plane 0 starts
     * @param h plane height
     * @param w plane width
     * @param oh output height, at most {@code h / 2}
     * @param ow output width, at most {@code w / 2}
     * @param out the maxima
     * @param ind the maxima's in-plane indices
     * @param from first plane
     * @param to end of the planes
     */
    @SuppressWarnings("ShortCircuitBoolean") // four NaN tests without branches on purpose
    public static void maxPool2x2(
            float[] x, int xo, int h, int w, int oh, int ow, float[] out, int[] ind, int from, int to) {
        int hw = h * w;
        int ohw = oh * ow;
        for (int plane = from; plane < to; plane++) {
            int xb = xo + plane * hw;
            int ob = plane * ohw;
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    int i0 = 2 * r * w + 2 * q;
                    int i2 = i0 + w;
                    float v0 = x[xb + i0];
                    float v1 = x[xb + i0 + 1];
                    float v2 = x[xb + i2];
                    float v3 = x[xb + i2 + 1];
                    int mi;
                    if (!(Float.isNaN(v0) | Float.isNaN(v1) | Float.isNaN(v2) | Float.isNaN(v3))) {
                        mi = firstMax(v0, v1, v2, v3, i0, i2);
                    } else {
                        // the last NaN
                        mi = Float.isNaN(v3) ? i2 + 1 : Float.isNaN(v2) ? i2 : Float.isNaN(v1) ? i0 + 1 : i0;
                    }
                    out[ob + r * ow + q] = x[xb + mi];
                    ind[ob + r * ow + q] = mi;
                }
            }
        }
    }

    /**
     * The index of the first maximum of a 2 x 2 window without NaN: values {@code v0, v1} at {@code i0,
     * i0 + 1}, {@code v2, v3} at {@code i2, i2 + 1}. The values are compared as order-preserving ints,
     * which x86 selects with conditional moves (a float compare here is a branch, mispredicted on random
     * data).
     *
     * @param v0 top left
     * @param v1 top right
     * @param v2 bottom left
     * @param v3 bottom right
     * @param i0 top left's index
     * @param i2 bottom left's index
     * @return the index of the first of the largest values
     */
    public static int firstMax(float v0, float v1, float v2, float v3, int i0, int i2) {
        int m = orderKey(v0);
        int mi = i0;
        int k = orderKey(v1);
        mi = k > m ? i0 + 1 : mi;
        m = Math.max(m, k);
        k = orderKey(v2);
        mi = k > m ? i2 : mi;
        m = Math.max(m, k);
        k = orderKey(v3);
        return k > m ? i2 + 1 : mi;
    }

    /**
     * An int that orders as the float does (not NaN): the bits of a non-negative float already do, and
     * flipping all but the sign bit of a negative one reverses its order. Adding 0 first makes -0 equal
     * to +0, as the float comparison has it.
     */
    private static int orderKey(float v) {
        int b = Float.floatToRawIntBits(v + 0f);
        return b ^ ((b >> 31) & 0x7fffffff);
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
