package io.jgrad.core;

/**
 * The sizes of one 2-D convolution, already validated: input (N, Cin, H, W), weight
 * (Cout, Cin/groups, kh, kw), output (N, Cout, oh, ow). 1-D convolutions use H = 1.
 *
 * <p>The output size is given explicitly rather than derived, because the transposed convolution
 * (lowered to the backward-input product) may pair an input whose last rows or columns are touched by no
 * window (output padding) with an output that is one size smaller than a plain convolution would give.
 * Every loop therefore clips by the input bounds, never assumes that windows tile the input exactly.
 */
final class ConvGeometry {
    final int n;
    final int cin;
    final int h;
    final int w;
    final int cout;
    final int kh;
    final int kw;
    final int sh;
    final int sw;
    final int ph;
    final int pw;
    final int dh;
    final int dw;
    final int groups;
    final int oh;
    final int ow;

    /** Input channels per group. */
    final int cinG;
    /** Output channels per group. */
    final int coutG;
    /** Rows of the im2col matrix of one group: cinG * kh * kw (the GEMM depth). */
    final int k;
    /** Output positions per plane: oh * ow. */
    final int p;
    /** Input positions per plane: h * w. */
    final int hw;

    /** For kernel column j: output columns {@code [owLo[j], owHi[j])} read an input column inside [0, w). */
    final int[] owLo;

    final int[] owHi;
    /** For kernel row i: output rows {@code [ohLo[i], ohHi[i])} read an input row inside [0, h). */
    final int[] ohLo;

    final int[] ohHi;

    ConvGeometry(
            int n,
            int cin,
            int h,
            int w,
            int cout,
            int kh,
            int kw,
            int sh,
            int sw,
            int ph,
            int pw,
            int dh,
            int dw,
            int groups,
            int oh,
            int ow) {
        this.n = n;
        this.cin = cin;
        this.h = h;
        this.w = w;
        this.cout = cout;
        this.kh = kh;
        this.kw = kw;
        this.sh = sh;
        this.sw = sw;
        this.ph = ph;
        this.pw = pw;
        this.dh = dh;
        this.dw = dw;
        this.groups = groups;
        this.oh = oh;
        this.ow = ow;
        this.cinG = cin / groups;
        this.coutG = cout / groups;
        this.k = cinG * kh * kw;
        this.p = oh * ow;
        this.hw = h * w;
        this.owLo = new int[kw];
        this.owHi = new int[kw];
        for (int j = 0; j < kw; j++) {
            validRange(j * dw - pw, sw, w, ow, owLo, owHi, j);
        }
        this.ohLo = new int[kh];
        this.ohHi = new int[kh];
        for (int i = 0; i < kh; i++) {
            validRange(i * dh - ph, sh, h, oh, ohLo, ohHi, i);
        }
    }

    /**
     * The output indices o in [0, outSize) with {@code 0 <= o * stride + shift < inSize}, stored as
     * {@code [lo[at], hi[at])} (empty ranges have lo == hi).
     */
    private static void validRange(int shift, int stride, int inSize, int outSize, int[] lo, int[] hi, int at) {
        // o * stride + shift >= 0  <=>  o >= ceil(-shift / stride)
        int l = shift >= 0 ? 0 : Math.floorDiv(-shift + stride - 1, stride);
        // o * stride + shift <= inSize - 1  <=>  o <= floor((inSize - 1 - shift) / stride)
        int u = Math.floorDiv(inSize - 1 - shift, stride) + 1;
        l = Math.min(Math.max(l, 0), outSize);
        u = Math.min(Math.max(u, l), outSize);
        lo[at] = l;
        hi[at] = u;
    }

    /** True when im2col is the identity: a 1x1 kernel with stride 1 and no padding reads the input as is. */
    boolean isPointwise() {
        return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 && oh == h && ow == w;
    }

    /** True when every output channel reads a single input channel (depthwise, possibly with a multiplier). */
    boolean isDepthwise() {
        return cinG == 1 && groups > 1;
    }

    /** Multiply-adds of the whole convolution (for parallel grain sizes). */
    long macs() {
        return (long) n * cout * k * p;
    }
}
