package io.jgrad.core;

/**
 * {@link PoolOps} on {@code float[]}.
 *
 * <p>Twin: {@code DoublePoolOps} is generated from this file at build time (execution {@code twins} in
 * core's pom), so this file is the only one to edit.
 * Max pooling in whole 2x2 windows at stride 2 goes to the kernel {@code maxPool2x2} (FLOAT32-only,
 * marked so; the twin takes the general loop).
 */
final class FloatPoolOps extends PoolOps<float[]> {
    static final FloatPoolOps INSTANCE = new FloatPoolOps();
    // FLOAT32-only {
    private static final io.jgrad.core.kernel.Kernels K = io.jgrad.core.kernel.KernelProvider.kernels();
    // } FLOAT32-only

    private FloatPoolOps() {}

    @Override
    float[] data(Tensor t) {
        return t.floatData();
    }

    @Override
    void maxForward(PoolWindows win, float[] x, int xOff, float[] out, int[] ind, int from, int to) {
        final int w = win.w;
        final int ow = win.ow;
        final int dh = win.dh;
        final int dw = win.dw;
        final int hw = win.h * w;
        final int ohw = win.oh * ow;
        // FLOAT32-only {
        if (win.pairs) {
            K.maxPool2x2(x, xOff + from * hw, win.h, w, out, ind, from * ohw, win.oh, ow, to - from);
            return;
        }
        // } FLOAT32-only
        for (int plane = from; plane < to; plane++) {
            int xb = xOff + plane * hw;
            int ob = plane * ohw;
            for (int r = 0; r < win.oh; r++) {
                int hs = win.hs[r];
                int he = win.he[r];
                for (int q = 0; q < ow; q++) {
                    int ws = win.ws[q];
                    int we = win.we[q];
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
