package io.jgrad.core;

/**
 * The pooling windows of one op, computed once per call and shared by every plane: output row r reads
 * input rows {@code hs[r], hs[r] + dh, ... < he[r]} (clipped to the input), output column q likewise.
 * Average pooling divides by {@code hDiv[r] * wDiv[q]}.
 */
final class PoolWindows {
    final int h;
    final int w;
    final int oh;
    final int ow;
    final int dh;
    final int dw;
    final int[] hs;
    final int[] he;
    final int[] ws;
    final int[] we;
    /** Divisor factors for average pooling (null for max pooling). */
    final int[] hDiv;

    final int[] wDiv;
    /**
     * Whether these are max pooling's 2 x 2 windows at stride 2, without padding or dilation, each inside
     * the input (the kernels' {@code maxPool2x2}).
     */
    final boolean pairs;

    private PoolWindows(
            int h,
            int w,
            int oh,
            int ow,
            int dh,
            int dw,
            int[] hs,
            int[] he,
            int[] ws,
            int[] we,
            int[] hDiv,
            int[] wDiv,
            boolean pairs) {
        this.h = h;
        this.w = w;
        this.oh = oh;
        this.ow = ow;
        this.dh = dh;
        this.dw = dw;
        this.hs = hs;
        this.he = he;
        this.ws = ws;
        this.we = we;
        this.hDiv = hDiv;
        this.wDiv = wDiv;
        this.pairs = pairs;
    }

    /** Max pooling windows, as PyTorch's CPU kernel: the start moves past the padding in steps of dilation. */
    static PoolWindows max(
            int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        int[] hs = new int[oh];
        int[] he = new int[oh];
        int[] ws = new int[ow];
        int[] we = new int[ow];
        maxAxis(h, kh, sh, ph, dh, hs, he);
        maxAxis(w, kw, sw, pw, dw, ws, we);
        boolean pairs = kh == 2
                && kw == 2
                && sh == 2
                && sw == 2
                && ph == 0
                && pw == 0
                && dh == 1
                && dw == 1
                && 2 * oh <= h
                && 2 * ow <= w;
        return new PoolWindows(h, w, oh, ow, dh, dw, hs, he, ws, we, null, null, pairs);
    }

    private static void maxAxis(int in, int k, int s, int p, int d, int[] start, int[] end) {
        for (int o = 0; o < start.length; o++) {
            int i0 = o * s - p;
            int i1 = Math.min(i0 + (k - 1) * d + 1, in);
            while (i0 < 0) {
                i0 += d;
            }
            start[o] = i0;
            end[o] = i1;
        }
    }

    /**
     * Average pooling windows, as PyTorch: the divisor counts the padding (but not the part of a ceil-mode
     * window beyond it) when {@code countIncludePad}, else only the input elements.
     */
    static PoolWindows avg(
            int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw, boolean countIncludePad) {
        int[] hs = new int[oh];
        int[] he = new int[oh];
        int[] hDiv = new int[oh];
        int[] ws = new int[ow];
        int[] we = new int[ow];
        int[] wDiv = new int[ow];
        avgAxis(h, kh, sh, ph, countIncludePad, hs, he, hDiv);
        avgAxis(w, kw, sw, pw, countIncludePad, ws, we, wDiv);
        return new PoolWindows(h, w, oh, ow, 1, 1, hs, he, ws, we, hDiv, wDiv, false);
    }

    private static void avgAxis(int in, int k, int s, int p, boolean includePad, int[] start, int[] end, int[] div) {
        for (int o = 0; o < start.length; o++) {
            int i0 = o * s - p;
            int i1 = Math.min(i0 + k, in + p);
            int padded = i1 - i0;
            i0 = Math.max(i0, 0);
            i1 = Math.min(i1, in);
            start[o] = i0;
            end[o] = Math.max(i1, i0);
            div[o] = includePad ? padded : end[o] - i0;
        }
    }

    /** Adaptive average pooling windows: {@code [floor(o * in / out), ceil((o + 1) * in / out))}. */
    static PoolWindows adaptive(int h, int w, int oh, int ow) {
        int[] hs = new int[oh];
        int[] he = new int[oh];
        int[] hDiv = new int[oh];
        int[] ws = new int[ow];
        int[] we = new int[ow];
        int[] wDiv = new int[ow];
        adaptiveAxis(h, hs, he, hDiv);
        adaptiveAxis(w, ws, we, wDiv);
        return new PoolWindows(h, w, oh, ow, 1, 1, hs, he, ws, we, hDiv, wDiv, false);
    }

    private static void adaptiveAxis(int in, int[] start, int[] end, int[] div) {
        int out = start.length;
        for (int o = 0; o < out; o++) {
            start[o] = (int) ((long) o * in / out);
            end[o] = (int) (((long) (o + 1) * in + out - 1) / out);
            div[o] = end[o] - start[o];
        }
    }

    /** Multiply-adds of one plane (for parallel grain sizes). */
    long workPerPlane() {
        long sum = 0;
        long wsum = 0;
        for (int q = 0; q < ow; q++) {
            wsum += Math.max(0, we[q] - ws[q]) / dw + 1;
        }
        for (int r = 0; r < oh; r++) {
            sum += (long) (Math.max(0, he[r] - hs[r]) / dh + 1) * wsum;
        }
        return Math.max(1, sum);
    }
}
