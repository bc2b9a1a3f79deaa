package io.jgrad.core;

/**
 * {@link PoolOps} on {@code float[]}.
 *
 * <p>Twin: {@code DoublePoolOps} is generated from this file at build time (execution {@code twins} in
 * core's pom), so this file is the only one to edit.
 * The unrolled 2x2 max-pooling path is FLOAT32-only (marked so; the twin takes the general loop).
 */
final class FloatPoolOps extends PoolOps<float[]> {
    static final FloatPoolOps INSTANCE = new FloatPoolOps();

    private FloatPoolOps() {}

    @Override
    float[] data(Tensor t) {
        return t.floatData();
    }

    @Override
    @SuppressWarnings("ShortCircuitBoolean") // the 2x2 path tests four NaNs without branches on purpose
    void maxForward(PoolWindows win, float[] x, int xOff, float[] out, int[] ind, int from, int to) {
        // FLOAT32-only {
        if (win.pairs) {
            io.jgrad.core.kernel.KernelProvider.kernels()
                    .maxPool2x2(x, xOff, win.h, win.w, win.oh, win.ow, out, ind, from, to);
            return;
        }
        // } FLOAT32-only
        final int w = win.w;
        final int ow = win.ow;
        final int dh = win.dh;
        final int dw = win.dw;
        final int hw = win.h * w;
        final int ohw = win.oh * ow;
        for (int plane = from; plane < to; plane++) {
            int xb = xOff + plane * hw;
            int ob = plane * ohw;
            for (int r = 0; r < win.oh; r++) {
                int hs = win.hs[r];
                int he = win.he[r];
                for (int q = 0; q < ow; q++) {
                    int ws = win.ws[q];
                    int we = win.we[q];
                    // FLOAT32-only {
                    if (he - hs == 2 && we - ws == 2 && dh == 1 && dw == 1) {
                        // the common 2x2 window, unrolled and without unpredictable branches: the values
                        // are compared as order-preserving ints (x86 has conditional moves for ints, not
                        // floats), the same rule as the loop below; a window holding NaN takes that loop
                        int i0 = hs * w + ws;
                        int i2 = i0 + w;
                        float v0 = x[xb + i0];
                        float v1 = x[xb + i0 + 1];
                        float v2 = x[xb + i2];
                        float v3 = x[xb + i2 + 1];
                        if (!(Float.isNaN(v0) | Float.isNaN(v1) | Float.isNaN(v2) | Float.isNaN(v3))) {
                            int mi = io.jgrad.core.kernel.PoolKernels.firstMax(v0, v1, v2, v3, i0, i2);
                            out[ob + r * ow + q] = x[xb + mi];
                            ind[ob + r * ow + q] = mi;
                            continue;
                        }
                    }
                    // } FLOAT32-only
                    // PyTorch's rule: the first strict maximum wins, and a NaN always takes over
                    int maxIdx = hs * w + ws;
                    float maxVal = Float.NEGATIVE_INFINITY;
                    for (int ih = hs; ih < he; ih += dh) {
                        int row = ih * w;
                        for (int iw = ws; iw < we; iw += dw) {
                            float v = x[xb + row + iw];
                            if (v > maxVal || Float.isNaN(v)) {
                                maxVal = v;
                                maxIdx = row + iw;
                            }
                        }
                    }
                    out[ob + r * ow + q] = maxVal;
                    ind[ob + r * ow + q] = maxIdx;
                }
            }
        }
    }

    @Override
    void maxBackward(PoolWindows win, float[] g, int gOff, int[] ind, int iOff, float[] gin, int from, int to) {
        final int hw = win.h * win.w;
        final int ohw = win.oh * win.ow;
        for (int plane = from; plane < to; plane++) {
            int xb = plane * hw;
            int gb = gOff + plane * ohw;
            int ib = iOff + plane * ohw;
            // the plane is cleared here, while it is in cache: gin may hold anything (a recycled array)
            java.util.Arrays.fill(gin, xb, xb + hw, 0f);
            for (int o = 0; o < ohw; o++) {
                gin[xb + ind[ib + o]] += g[gb + o];
            }
        }
    }

    @Override
    void avgForward(PoolWindows win, float[] x, int xOff, float[] out, int from, int to) {
        final int w = win.w;
        final int ow = win.ow;
        final int hw = win.h * w;
        final int ohw = win.oh * ow;
        for (int plane = from; plane < to; plane++) {
            int xb = xOff + plane * hw;
            int ob = plane * ohw;
            for (int r = 0; r < win.oh; r++) {
                int hs = win.hs[r];
                int he = win.he[r];
                for (int q = 0; q < ow; q++) {
                    int ws = win.ws[q];
                    int we = win.we[q];
                    if (hs >= he || ws >= we) {
                        out[ob + r * ow + q] = 0;
                        continue;
                    }
                    float sum = 0;
                    for (int ih = hs; ih < he; ih++) {
                        int row = xb + ih * w;
                        for (int iw = ws; iw < we; iw++) {
                            sum += x[row + iw];
                        }
                    }
                    out[ob + r * ow + q] = sum / (win.hDiv[r] * win.wDiv[q]);
                }
            }
        }
    }

    @Override
    void avgBackward(PoolWindows win, float[] g, int gOff, float[] gin, int from, int to) {
        final int w = win.w;
        final int ow = win.ow;
        final int hw = win.h * w;
        final int ohw = win.oh * ow;
        for (int plane = from; plane < to; plane++) {
            int xb = plane * hw;
            int gb = gOff + plane * ohw;
            // the plane is cleared here, while it is in cache: gin may hold anything (a recycled array)
            java.util.Arrays.fill(gin, xb, xb + hw, 0f);
            for (int r = 0; r < win.oh; r++) {
                int hs = win.hs[r];
                int he = win.he[r];
                for (int q = 0; q < ow; q++) {
                    int ws = win.ws[q];
                    int we = win.we[q];
                    if (hs >= he || ws >= we) {
                        continue;
                    }
                    float gv = g[gb + r * ow + q] / (win.hDiv[r] * win.wDiv[q]);
                    for (int ih = hs; ih < he; ih++) {
                        int row = xb + ih * w;
                        for (int iw = ws; iw < we; iw++) {
                            gin[row + iw] += gv;
                        }
                    }
                }
            }
        }
    }
}
