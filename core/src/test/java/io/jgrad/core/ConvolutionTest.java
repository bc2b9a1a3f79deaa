package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Convolutions against the naive loops of {@link ConvReference}, in FLOAT64 and FLOAT32. */
class ConvolutionTest {
    private static final DType F64 = DType.FLOAT64;
    private static final DType F32 = DType.FLOAT32;

    /** One 2-D convolution: input (n, cin, h, w), weight (cout, cin/groups, kh, kw). */
    record Cfg(
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
            boolean bias,
            boolean contiguous) {
        int[] xs() {
            return new int[] {n, cin, h, w};
        }

        int[] ws() {
            return new int[] {cout, cin / groups, kh, kw};
        }

        int[] s() {
            return new int[] {sh, sw};
        }

        int[] p() {
            return new int[] {ph, pw};
        }

        int[] d() {
            return new int[] {dh, dw};
        }

        int oh() {
            return ConvReference.outSize(h, kh, sh, ph, dh);
        }

        int ow() {
            return ConvReference.outSize(w, kw, sw, pw, dw);
        }

        int[] ys() {
            return new int[] {n, cout, oh(), ow()};
        }
    }

    static Stream<Cfg> configs() {
        List<Cfg> c = new ArrayList<>();
        c.add(new Cfg(2, 3, 7, 6, 4, 3, 3, 1, 1, 0, 0, 1, 1, 1, true, true));
        c.add(new Cfg(2, 4, 9, 8, 6, 3, 3, 2, 2, 1, 1, 1, 1, 2, false, false));
        c.add(new Cfg(1, 4, 10, 9, 8, 3, 2, 3, 1, 2, 1, 2, 1, 4, true, false));
        c.add(new Cfg(2, 5, 6, 7, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1, true, true)); // pointwise: no im2col
        c.add(new Cfg(2, 4, 6, 6, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2, true, false)); // pointwise, grouped
        c.add(new Cfg(2, 4, 6, 6, 4, 1, 1, 2, 2, 0, 0, 1, 1, 2, false, true)); // 1x1 with stride: im2col
        c.add(new Cfg(2, 4, 5, 5, 6, 1, 1, 1, 1, 1, 1, 1, 1, 1, true, true)); // 1x1 with padding
        c.add(new Cfg(2, 3, 8, 7, 3, 3, 3, 1, 1, 1, 1, 1, 1, 3, true, false)); // depthwise
        c.add(new Cfg(2, 3, 9, 8, 6, 3, 3, 2, 1, 1, 2, 2, 1, 3, false, true)); // depthwise, multiplier 2
        c.add(new Cfg(2, 4, 7, 9, 4, 5, 3, 3, 2, 2, 1, 1, 2, 4, true, false)); // depthwise, stride 3
        c.add(new Cfg(3, 1, 11, 9, 5, 5, 5, 1, 1, 2, 2, 1, 1, 1, true, true)); // 5x5 "same"
        c.add(new Cfg(1, 2, 5, 13, 3, 2, 4, 1, 3, 0, 2, 1, 2, 1, true, false)); // non-square everything
        c.add(new Cfg(2, 4, 4, 4, 4, 4, 4, 1, 1, 0, 0, 1, 1, 2, false, true)); // kernel covers the input
        c.add(new Cfg(2, 2, 3, 3, 2, 3, 3, 2, 2, 2, 2, 2, 2, 1, true, false)); // padding and dilation 2
        c.add(new Cfg(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, true, true)); // 1x1x1x1
        c.add(new Cfg(2, 3, 7, 8, 4, 3, 3, 1, 1, 2, 2, 2, 2, 1, true, false)); // "same" with dilation 2
        c.add(new Cfg(1, 2, 6, 9, 3, 3, 5, 1, 1, 1, 2, 1, 1, 1, false, true)); // "same", non-square kernel
        c.add(new Cfg(1, 2, 2, 2, 3, 5, 5, 1, 1, 2, 2, 1, 1, 1, true, true)); // "same", kernel wider than input
        c.add(new Cfg(2, 16, 16, 16, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, true, false)); // parallel over images
        c.add(new Cfg(2, 48, 20, 20, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, false, true)); // several im2col bands
        Random rnd = new Random(42);
        while (c.size() < 45) {
            int groups = new int[] {1, 1, 2, 4}[rnd.nextInt(4)];
            int cin = groups * (1 + rnd.nextInt(3));
            int cout = groups * (1 + rnd.nextInt(3));
            int kh = 1 + rnd.nextInt(4);
            int kw = 1 + rnd.nextInt(4);
            int sh = 1 + rnd.nextInt(3);
            int sw = 1 + rnd.nextInt(3);
            int ph = rnd.nextInt(3);
            int pw = rnd.nextInt(3);
            int dh = 1 + rnd.nextInt(2);
            int dw = 1 + rnd.nextInt(2);
            int h = 1 + rnd.nextInt(9);
            int w = 1 + rnd.nextInt(9);
            Cfg cfg = new Cfg(
                    1 + rnd.nextInt(3),
                    cin,
                    h,
                    w,
                    cout,
                    kh,
                    kw,
                    sh,
                    sw,
                    ph,
                    pw,
                    dh,
                    dw,
                    groups,
                    rnd.nextBoolean(),
                    rnd.nextBoolean());
            if (cfg.oh() >= 1 && cfg.ow() >= 1) {
                c.add(cfg);
            }
        }
        return c.stream();
    }

    /** A random tensor of {@code shape}; when not contiguous, a permuted view with a stepped last dim. */
    static Tensor randn(Generator g, DType dtype, boolean contiguous, int... shape) {
        if (contiguous || shape.length < 2) {
            return Tensor.randn(g, dtype, shape);
        }
        int r = shape.length;
        int[] big = shape.clone();
        big[0] = shape[r - 2];
        big[r - 2] = shape[0];
        big[r - 1] = 2 * shape[r - 1];
        int[] perm = new int[r];
        for (int k = 0; k < r; k++) {
            perm[k] = k;
        }
        perm[0] = r - 2;
        perm[r - 2] = 0;
        Tensor t = Tensor.randn(g, dtype, big).permute(perm).slice(r - 1, 1, 2 * shape[r - 1], 2);
        assertArrayEquals(shape, t.shape());
        assertFalse(t.isContiguous());
        return t;
    }

    /** |actual - expected| <= tol * max(1, max |expected|) elementwise, with the shape checked too. */
    static void assertClose(String what, int[] shape, double[] expected, Tensor actual, double tol) {
        assertArrayEquals(shape, actual.shape(), what + ": shape");
        double[] a = actual.toDoubleArray();
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int k = 0; k < a.length; k++) {
            if (!(Math.abs(a[k] - expected[k]) <= tol * scale)) {
                throw new AssertionError(what + ": element " + k + " is " + a[k] + ", expected " + expected[k]
                        + " (tolerance " + tol * scale + ")");
            }
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    static double[] biasGrad(double[] g, int[] gs) {
        int plane = gs[2] * gs[3];
        double[] out = new double[gs[1]];
        for (int n = 0; n < gs[0]; n++) {
            for (int c = 0; c < gs[1]; c++) {
                for (int e = 0; e < plane; e++) {
                    out[c] += g[(n * gs[1] + c) * plane + e];
                }
            }
        }
        return out;
    }

    private static void checkConfig(Cfg c, DType dtype, double tol) {
        Generator gen = new Generator(c.hashCode());
        Tensor x = randn(gen, dtype, c.contiguous(), c.xs());
        Tensor w = randn(gen, dtype, c.contiguous(), c.ws());
        Tensor b = c.bias() ? Tensor.randn(gen, dtype, c.cout()) : null;
        Tensor g = randn(gen, dtype, c.contiguous(), c.ys());
        double[] xd = x.toDoubleArray();
        double[] wd = w.toDoubleArray();
        double[] gd = g.toDoubleArray();

        Tensor y = Convolution.conv2d(x, w, b, c.s(), c.p(), c.d(), c.groups());
        assertEquals(dtype, y.dtype());
        assertClose(
                "conv2d " + c,
                c.ys(),
                ConvReference.conv2d(
                        xd, c.xs(), wd, c.ws(), b == null ? null : b.toDoubleArray(), c.s(), c.p(), c.d(), c.groups()),
                y,
                tol);

        Tensor gx = Convolution.conv2dBackwardInput(g, w, c.xs(), c.s(), c.p(), c.d(), c.groups());
        assertClose(
                "conv2dBackwardInput " + c,
                c.xs(),
                ConvReference.conv2dBackwardInput(gd, c.ys(), wd, c.ws(), c.xs(), c.s(), c.p(), c.d(), c.groups()),
                gx,
                tol);

        Tensor gw = Convolution.conv2dBackwardWeight(g, x, c.ws(), c.s(), c.p(), c.d(), c.groups());
        assertClose(
                "conv2dBackwardWeight " + c,
                c.ws(),
                ConvReference.conv2dBackwardWeight(gd, c.ys(), xd, c.xs(), c.ws(), c.s(), c.p(), c.d(), c.groups()),
                gw,
                tol);

        assertClose("biasBackward " + c, new int[] {c.cout()}, biasGrad(gd, c.ys()), Convolution.biasBackward(g), tol);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void conv2dMatchesReferenceFloat64(Cfg c) {
        checkConfig(c, F64, 1e-12);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void conv2dMatchesReferenceFloat32(Cfg c) {
        checkConfig(c, F32, 2e-5);
    }

    /**
     * The backward products are the adjoints of the forward:
     * {@code <conv(x, w), g> = <x, backwardInput(g, w)> = <w, backwardWeight(g, x)>}.
     */
    @ParameterizedTest
    @MethodSource("configs")
    void backwardProductsAreAdjoints(Cfg c) {
        Generator gen = new Generator(7 + c.hashCode());
        Tensor x = Tensor.randn(gen, F64, c.xs());
        Tensor w = Tensor.randn(gen, F64, c.ws());
        Tensor g = Tensor.randn(gen, F64, c.ys());
        double lhs = dot(
                Convolution.conv2d(x, w, null, c.s(), c.p(), c.d(), c.groups()).toDoubleArray(), g.toDoubleArray());
        double viaInput = dot(
                x.toDoubleArray(),
                Convolution.conv2dBackwardInput(g, w, c.xs(), c.s(), c.p(), c.d(), c.groups())
                        .toDoubleArray());
        double viaWeight = dot(
                w.toDoubleArray(),
                Convolution.conv2dBackwardWeight(g, x, c.ws(), c.s(), c.p(), c.d(), c.groups())
                        .toDoubleArray());
        double scale = 1 + Math.abs(lhs);
        assertEquals(lhs, viaInput, 1e-10 * scale, c.toString());
        assertEquals(lhs, viaWeight, 1e-10 * scale, c.toString());
    }

    /** Central differences of L = sum(conv2d(x, w, b) * g) against the backward products. */
    /**
     * With more than two chunks of images, the order in which the chunks' weight gradients are added
     * matters in the last bits: they are added in the order of the chunks, whichever finishes first.
     * 3 images on 3 threads are one image per chunk, so the result must be ((image 0 + image 1) + image 2)
     * of the images' own gradients, on every run, in both float types.
     */
    @Test
    void weightGradientAddsTheChunksInTheirOrder() {
        int before = io.jgrad.core.kernel.Parallel.threads();
        try {
            for (DType dt : new DType[] {F32, F64}) {
                Generator r = new Generator(17);
                Tensor x = Tensor.randn(r, 3, 16, 14, 14).to(dt);
                int[] ws = {8, 16, 5, 5};
                int[] one = {1};
                int[] pad = {2};
                Tensor go = Tensor.randn(r, 3, 8, 14, 14).to(dt);
                io.jgrad.core.kernel.Parallel.setThreads(1);
                Tensor want = null;
                for (int img = 0; img < 3; img++) {
                    Tensor part = Convolution.conv2dBackwardWeight(
                            go.narrow(0, img, 1), x.narrow(0, img, 1), ws, one, pad, one, 1);
                    want = want == null ? part : want.add(part);
                }
                io.jgrad.core.kernel.Parallel.setThreads(3);
                double[] expected = want.toDoubleArray();
                for (int run = 0; run < 10; run++) {
                    double[] got = Convolution.conv2dBackwardWeight(go, x, ws, one, pad, one, 1)
                            .toDoubleArray();
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(
                                Double.doubleToLongBits(expected[i]),
                                Double.doubleToLongBits(got[i]),
                                dt + " run " + run + " value " + i);
                    }
                }
            }
        } finally {
            io.jgrad.core.kernel.Parallel.setThreads(before);
        }
    }

    /**
     * With more input channels than output channels per group, the weight gradient runs the transposed
     * product (gw^T = x gout^T, see ConvEngine.backwardWeight); each value must still be the same chain
     * of multiply-adds as gout x^T, to the bit. A pointwise convolution's gradient is that plain product.
     */
    @Test
    void wideWeightGradientIsThePlainProductToTheBit() {
        int before = io.jgrad.core.kernel.Parallel.threads();
        try {
            io.jgrad.core.kernel.Parallel.setThreads(1);
            for (DType dt : new DType[] {F32, F64}) {
                for (int groups : new int[] {1, 2}) {
                    Generator r = new Generator(23);
                    int cin = 40;
                    int cout = 6 * groups;
                    Tensor x = Tensor.randn(r, 1, cin, 9, 11).to(dt);
                    Tensor go = Tensor.randn(r, 1, cout, 9, 11).to(dt);
                    int[] ws = {cout, cin / groups, 1, 1};
                    int[] one = {1};
                    int[] zero = {0};
                    double[] got = Convolution.conv2dBackwardWeight(go, x, ws, one, zero, one, groups)
                            .toDoubleArray();
                    int cinG = cin / groups;
                    int coutG = cout / groups;
                    for (int gr = 0; gr < groups; gr++) {
                        Tensor gg = go.reshape(cout, 99).narrow(0, gr * coutG, coutG);
                        Tensor xg = x.reshape(cin, 99).narrow(0, gr * cinG, cinG);
                        double[] want = gg.matmul(xg.t()).toDoubleArray();
                        for (int i = 0; i < want.length; i++) {
                            assertEquals(
                                    Double.doubleToLongBits(want[i]),
                                    Double.doubleToLongBits(got[gr * coutG * cinG + i]),
                                    dt + " groups " + groups + " value " + i);
                        }
                    }
                }
            }
        } finally {
            io.jgrad.core.kernel.Parallel.setThreads(before);
        }
    }

    /**
     * The filters packed as B serve one forward call; it gives them back to the scratch pool, and the next
     * call takes them again (the same bits).
     */
    @Test
    void filtersAsBRecycleTheirPacking() {
        for (DType dt : new DType[] {F32, F64}) {
            for (int groups : new int[] {1, 2}) {
                int cinG = 32;
                int coutG = 4;
                int k = cinG * 3 * 3;
                io.jgrad.core.kernel.Kernels kern = io.jgrad.core.kernel.KernelProvider.kernels();
                long length = dt == F32
                        ? kern.floatGemm()
                                .pack(true, k, coutG, new float[k * coutG], 0, k)
                                .length()
                        : kern.doubleGemm()
                                .pack(true, k, coutG, new double[k * coutG], 0, k)
                                .length();
                Generator r = new Generator(41 + groups);
                Tensor x = Tensor.randn(r, 3, cinG * groups, 9, 10).to(dt);
                Tensor w = Tensor.randn(r, coutG * groups, cinG, 3, 3).to(dt);
                int[] one = {1, 1};
                String at = dt + " groups " + groups;
                try {
                    io.jgrad.core.kernel.ScratchPool.clear();
                    double[] first = Convolution.conv2d(x, w, null, one, one, one, groups)
                            .toDoubleArray();
                    assertEquals(
                            groups * length * (dt == F32 ? 4 : 8),
                            io.jgrad.core.kernel.ScratchPool.pooledBytes(),
                            at + ": each group's packing given back");
                    long[] before = io.jgrad.core.kernel.ScratchPool.counts();
                    double[] second = Convolution.conv2d(x, w, null, one, one, one, groups)
                            .toDoubleArray();
                    long[] after = io.jgrad.core.kernel.ScratchPool.counts();
                    assertEquals(groups, after[1] - before[1], at + ": taken again");
                    assertArrayEquals(first, second, 0, at);
                } finally {
                    io.jgrad.core.kernel.ScratchPool.clear();
                }
            }
        }
    }

    /**
     * With more than one image and a patch matrix much larger than the output band, the forward multiplies
     * out^T = col^T W^T with the filters packed once (ConvEngine.filtersAsB); each value must still be the
     * same chain of multiply-adds as W col, to the bit: an image's output in a batch equals its output
     * computed alone, which goes the usual way.
     */
    @Test
    void filtersAsBGivesTheBitsOfTheUsualProduct() {
        // 9 x 10 inputs (output bands of 90 or 20 positions), and 2 x 2 ones: 4 positions at stride 1 (the
        // GEMM's smallest tiled product), 1 at stride 2 (a matrix-vector product)
        int[][] sizes = {{9, 10}, {2, 2}};
        for (DType dt : new DType[] {F32, F64}) {
            for (int groups : new int[] {1, 2}) {
                for (int stride : new int[] {1, 2}) {
                    for (int[] hw : sizes) {
                        Generator r = new Generator(31 + groups + stride);
                        int cinG = 32;
                        int coutG = 4; // k = 32 * 3 * 3 = 288 >= 4 * coutG: two depth blocks of the GEMM
                        Tensor x =
                                Tensor.randn(r, 3, cinG * groups, hw[0], hw[1]).to(dt);
                        Tensor w = Tensor.randn(r, coutG * groups, cinG, 3, 3).to(dt);
                        Tensor b = Tensor.randn(r, coutG * groups).to(dt);
                        int[] s = {stride, stride};
                        int[] p = {1, 1};
                        int[] d = {1, 1};
                        Tensor batch = Convolution.conv2d(x, w, b, s, p, d, groups);
                        for (int i = 0; i < 3; i++) {
                            double[] alone = Convolution.conv2d(
                                            x.narrow(0, i, 1).contiguous(), w, b, s, p, d, groups)
                                    .toDoubleArray();
                            double[] inBatch =
                                    batch.narrow(0, i, 1).contiguous().toDoubleArray();
                            for (int e = 0; e < alone.length; e++) {
                                assertEquals(
                                        Double.doubleToLongBits(alone[e]),
                                        Double.doubleToLongBits(inBatch[e]),
                                        dt + " groups " + groups + " stride " + stride + " size " + hw[0] + " image "
                                                + i + " value " + e);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Cfg c = new Cfg(2, 4, 6, 5, 4, 3, 2, 2, 1, 1, 1, 1, 2, 2, true, true);
        Generator gen = new Generator(99);
        Tensor x = Tensor.randn(gen, F64, c.xs());
        Tensor w = Tensor.randn(gen, F64, c.ws());
        Tensor b = Tensor.randn(gen, F64, c.cout());
        Tensor g = Tensor.randn(gen, F64, c.ys());
        double[] gx = Convolution.conv2dBackwardInput(g, w, c.xs(), c.s(), c.p(), c.d(), c.groups())
                .toDoubleArray();
        double[] gw = Convolution.conv2dBackwardWeight(g, x, c.ws(), c.s(), c.p(), c.d(), c.groups())
                .toDoubleArray();
        double[] gb = Convolution.biasBackward(g).toDoubleArray();
        double eps = 1e-5;
        Tensor[] params = {x, w, b};
        double[][] analytic = {gx, gw, gb};
        for (int t = 0; t < 3; t++) {
            Tensor p = params[t];
            double[] base = p.toDoubleArray();
            for (int k = 0; k < base.length; k += Math.max(1, base.length / 17)) {
                double[] plus = base.clone();
                double[] minus = base.clone();
                plus[k] += eps;
                minus[k] -= eps;
                params[t] = Tensor.of(plus, p.shape());
                double lp = loss(params, g, c);
                params[t] = Tensor.of(minus, p.shape());
                double lm = loss(params, g, c);
                params[t] = p;
                assertEquals((lp - lm) / (2 * eps), analytic[t][k], 1e-7, "parameter " + t + " element " + k);
            }
        }
    }

    private static double loss(Tensor[] xwb, Tensor g, Cfg c) {
        return dot(
                Convolution.conv2d(xwb[0], xwb[1], xwb[2], c.s(), c.p(), c.d(), c.groups())
                        .toDoubleArray(),
                g.toDoubleArray());
    }

    /** The "several im2col bands" configuration above must really be cut into bands in both dtypes. */
    @Test
    void largeConfigSpansSeveralBands() {
        ConvGeometry g = new ConvGeometry(2, 48, 20, 20, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 20, 20);
        assertTrue(ConvEngine.bandRows(g, Double.BYTES) < g.oh);
        assertTrue(ConvEngine.bandRows(g, Float.BYTES) < g.oh);
    }

    @Test
    void unbatchedInputGivesUnbatchedOutput() {
        Cfg c = new Cfg(1, 4, 7, 6, 6, 3, 3, 2, 1, 1, 1, 1, 1, 2, true, true);
        Generator gen = new Generator(5);
        Tensor x = Tensor.randn(gen, F64, 4, 7, 6);
        Tensor w = Tensor.randn(gen, F64, c.ws());
        Tensor b = Tensor.randn(gen, F64, 6);
        Tensor y = Convolution.conv2d(x, w, b, c.s(), c.p(), c.d(), c.groups());
        int[] ys = {6, c.oh(), c.ow()};
        assertClose(
                "unbatched conv2d",
                ys,
                ConvReference.conv2d(
                        x.toDoubleArray(),
                        c.xs(),
                        w.toDoubleArray(),
                        c.ws(),
                        b.toDoubleArray(),
                        c.s(),
                        c.p(),
                        c.d(),
                        c.groups()),
                y,
                1e-12);
        Tensor g = Tensor.randn(gen, F64, ys);
        Tensor gx = Convolution.conv2dBackwardInput(g, w, new int[] {4, 7, 6}, c.s(), c.p(), c.d(), c.groups());
        assertClose(
                "unbatched backward input",
                new int[] {4, 7, 6},
                ConvReference.conv2dBackwardInput(
                        g.toDoubleArray(), c.ys(), w.toDoubleArray(), c.ws(), c.xs(), c.s(), c.p(), c.d(), c.groups()),
                gx,
                1e-12);
        Tensor gw = Convolution.conv2dBackwardWeight(g, x, c.ws(), c.s(), c.p(), c.d(), c.groups());
        assertClose(
                "unbatched backward weight",
                c.ws(),
                ConvReference.conv2dBackwardWeight(
                        g.toDoubleArray(), c.ys(), x.toDoubleArray(), c.xs(), c.ws(), c.s(), c.p(), c.d(), c.groups()),
                gw,
                1e-12);
    }

    @Test
    void singleValuesApplyToBothDimensions() {
        Generator gen = new Generator(6);
        Tensor x = Tensor.randn(gen, F64, 2, 3, 8, 7);
        Tensor w = Tensor.randn(gen, F64, 4, 3, 3, 3);
        Tensor a = Convolution.conv2d(x, w, null, new int[] {2}, new int[] {1}, new int[] {2}, 1);
        Tensor b = Convolution.conv2d(x, w, null, new int[] {2, 2}, new int[] {1, 1}, new int[] {2, 2}, 1);
        assertTrue(a.equal(b));
    }

    // ------------------------------------------------------------------------------------------ 1-D

    static Stream<Cfg> configs1d() {
        List<Cfg> c = new ArrayList<>();
        Random rnd = new Random(7);
        while (c.size() < 20) {
            int groups = new int[] {1, 2, 3}[rnd.nextInt(3)];
            int cin = groups * (1 + rnd.nextInt(3));
            int cout = groups * (1 + rnd.nextInt(3));
            int k = 1 + rnd.nextInt(5);
            Cfg cfg = new Cfg(
                    1 + rnd.nextInt(3),
                    cin,
                    1,
                    1 + rnd.nextInt(14),
                    cout,
                    1,
                    k,
                    1,
                    1 + rnd.nextInt(3),
                    0,
                    rnd.nextInt(3),
                    1,
                    1 + rnd.nextInt(2),
                    groups,
                    rnd.nextBoolean(),
                    rnd.nextBoolean());
            if (cfg.ow() >= 1) {
                c.add(cfg);
            }
        }
        return c.stream();
    }

    @ParameterizedTest
    @MethodSource("configs1d")
    void conv1dMatchesReference(Cfg c) {
        Generator gen = new Generator(c.hashCode());
        int[] xs = {c.n(), c.cin(), c.w()};
        int[] ws = {c.cout(), c.cin() / c.groups(), c.kw()};
        int[] ys = {c.n(), c.cout(), c.ow()};
        Tensor x = randn(gen, F64, c.contiguous(), xs);
        Tensor w = randn(gen, F64, c.contiguous(), ws);
        Tensor b = c.bias() ? Tensor.randn(gen, F64, c.cout()) : null;
        Tensor g = randn(gen, F64, c.contiguous(), ys);
        Tensor y = Convolution.conv1d(x, w, b, c.sw(), c.pw(), c.dw(), c.groups());
        assertClose(
                "conv1d " + c,
                ys,
                ConvReference.conv2d(
                        x.toDoubleArray(),
                        c.xs(),
                        w.toDoubleArray(),
                        c.ws(),
                        b == null ? null : b.toDoubleArray(),
                        c.s(),
                        c.p(),
                        c.d(),
                        c.groups()),
                y,
                1e-12);
        Tensor gx = Convolution.conv1dBackwardInput(g, w, xs, c.sw(), c.pw(), c.dw(), c.groups());
        assertClose(
                "conv1dBackwardInput " + c,
                xs,
                ConvReference.conv2dBackwardInput(
                        g.toDoubleArray(), c.ys(), w.toDoubleArray(), c.ws(), c.xs(), c.s(), c.p(), c.d(), c.groups()),
                gx,
                1e-12);
        Tensor gw = Convolution.conv1dBackwardWeight(g, x, ws, c.sw(), c.pw(), c.dw(), c.groups());
        assertClose(
                "conv1dBackwardWeight " + c,
                ws,
                ConvReference.conv2dBackwardWeight(
                        g.toDoubleArray(), c.ys(), x.toDoubleArray(), c.xs(), c.ws(), c.s(), c.p(), c.d(), c.groups()),
                gw,
                1e-12);
        // unbatched (C, L)
        Tensor y0 = Convolution.conv1d(x.select(0, 0), w, b, c.sw(), c.pw(), c.dw(), c.groups());
        assertTrue(y0.allClose(y.select(0, 0), 0, 1e-12), "unbatched conv1d " + c);
    }

    // ------------------------------------------------------------------------------------------ transposed

    /** Transposed convolution: input (n, cin, h, w), weight (cin, coutG, kh, kw), output padding (oph, opw). */
    record TCfg(
            int n,
            int cin,
            int h,
            int w,
            int coutG,
            int kh,
            int kw,
            int sh,
            int sw,
            int ph,
            int pw,
            int oph,
            int opw,
            int dh,
            int dw,
            int groups,
            boolean bias,
            boolean contiguous) {
        int[] xs() {
            return new int[] {n, cin, h, w};
        }

        int[] ws() {
            return new int[] {cin, coutG, kh, kw};
        }

        int[] ys() {
            return new int[] {
                n,
                coutG * groups,
                ConvReference.transposedOutSize(h, kh, sh, ph, oph, dh),
                ConvReference.transposedOutSize(w, kw, sw, pw, opw, dw)
            };
        }

        int[] s() {
            return new int[] {sh, sw};
        }

        int[] p() {
            return new int[] {ph, pw};
        }

        int[] op() {
            return new int[] {oph, opw};
        }

        int[] d() {
            return new int[] {dh, dw};
        }
    }

    static Stream<TCfg> transposedConfigs() {
        List<TCfg> c = new ArrayList<>();
        c.add(new TCfg(2, 4, 4, 5, 3, 3, 2, 2, 3, 1, 0, 1, 2, 1, 1, 2, true, true));
        c.add(new TCfg(1, 3, 5, 4, 2, 2, 3, 1, 2, 0, 1, 1, 1, 2, 2, 1, false, false)); // output padding >= stride
        c.add(new TCfg(2, 4, 3, 3, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 4, true, false)); // depthwise
        c.add(new TCfg(2, 6, 4, 4, 2, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 2, true, true)); // pointwise
        c.add(new TCfg(2, 8, 7, 7, 4, 4, 4, 2, 2, 1, 1, 0, 0, 1, 1, 1, true, true)); // DCGAN-style upsampling
        Random rnd = new Random(11);
        while (c.size() < 30) {
            int groups = new int[] {1, 2, 3}[rnd.nextInt(3)];
            int sh = 1 + rnd.nextInt(3);
            int sw = 1 + rnd.nextInt(3);
            int dh = 1 + rnd.nextInt(2);
            int dw = 1 + rnd.nextInt(2);
            TCfg t = new TCfg(
                    1 + rnd.nextInt(2),
                    groups * (1 + rnd.nextInt(2)),
                    1 + rnd.nextInt(6),
                    1 + rnd.nextInt(6),
                    1 + rnd.nextInt(3),
                    1 + rnd.nextInt(4),
                    1 + rnd.nextInt(4),
                    sh,
                    sw,
                    rnd.nextInt(3),
                    rnd.nextInt(3),
                    rnd.nextInt(Math.max(sh, dh)),
                    rnd.nextInt(Math.max(sw, dw)),
                    dh,
                    dw,
                    groups,
                    rnd.nextBoolean(),
                    rnd.nextBoolean());
            if (t.ys()[2] >= 1 && t.ys()[3] >= 1) {
                c.add(t);
            }
        }
        return c.stream();
    }

    @ParameterizedTest
    @MethodSource("transposedConfigs")
    void convTranspose2dMatchesReference(TCfg c) {
        for (DType dtype : new DType[] {F64, F32}) {
            double tol = dtype == F64 ? 1e-12 : 2e-5;
            Generator gen = new Generator(c.hashCode());
            Tensor x = randn(gen, dtype, c.contiguous(), c.xs());
            Tensor w = randn(gen, dtype, c.contiguous(), c.ws());
            Tensor b = c.bias() ? Tensor.randn(gen, dtype, c.coutG() * c.groups()) : null;
            Tensor g = randn(gen, dtype, c.contiguous(), c.ys());
            Tensor y = Convolution.convTranspose2d(x, w, b, c.s(), c.p(), c.op(), c.d(), c.groups());
            assertClose(
                    "convTranspose2d " + c,
                    c.ys(),
                    ConvReference.convTranspose2d(
                            x.toDoubleArray(),
                            c.xs(),
                            w.toDoubleArray(),
                            c.ws(),
                            b == null ? null : b.toDoubleArray(),
                            c.s(),
                            c.p(),
                            c.op(),
                            c.d(),
                            c.groups()),
                    y,
                    tol);
            double[] gxRef = ConvReference.convTranspose2dBackwardInput(
                    g.toDoubleArray(), c.ys(), w.toDoubleArray(), c.ws(), c.xs(), c.s(), c.p(), c.d(), c.groups());
            Tensor gx = Convolution.convTranspose2dBackwardInput(g, w, c.xs(), c.s(), c.p(), c.d(), c.groups());
            assertClose("convTranspose2dBackwardInput " + c, c.xs(), gxRef, gx, tol);
            if (c.oph() < c.sh() && c.opw() < c.sw()) {
                Tensor gx2 = Convolution.convTranspose2dBackwardInput(g, w, c.s(), c.p(), c.d(), c.groups());
                assertClose("convTranspose2dBackwardInput " + c, c.xs(), gxRef, gx2, tol);
            }
            Tensor gw = Convolution.convTranspose2dBackwardWeight(g, x, c.ws(), c.s(), c.p(), c.d(), c.groups());
            assertClose(
                    "convTranspose2dBackwardWeight " + c,
                    c.ws(),
                    ConvReference.convTranspose2dBackwardWeight(
                            g.toDoubleArray(),
                            c.ys(),
                            x.toDoubleArray(),
                            c.xs(),
                            c.ws(),
                            c.s(),
                            c.p(),
                            c.d(),
                            c.groups()),
                    gw,
                    tol);
            assertClose(
                    "biasBackward " + c,
                    new int[] {c.ys()[1]},
                    biasGrad(g.toDoubleArray(), c.ys()),
                    Convolution.biasBackward(g),
                    tol);
        }
    }

    @Test
    void convTranspose2dUnbatched() {
        TCfg c = new TCfg(1, 4, 3, 4, 3, 3, 2, 2, 1, 1, 0, 1, 0, 1, 1, 2, true, true);
        Generator gen = new Generator(3);
        Tensor x = Tensor.randn(gen, F64, 4, 3, 4);
        Tensor w = Tensor.randn(gen, F64, c.ws());
        Tensor b = Tensor.randn(gen, F64, 6);
        Tensor y = Convolution.convTranspose2d(x, w, b, c.s(), c.p(), c.op(), c.d(), c.groups());
        int[] ys = c.ys();
        assertClose(
                "unbatched convTranspose2d",
                new int[] {ys[1], ys[2], ys[3]},
                ConvReference.convTranspose2d(
                        x.toDoubleArray(),
                        c.xs(),
                        w.toDoubleArray(),
                        c.ws(),
                        b.toDoubleArray(),
                        c.s(),
                        c.p(),
                        c.op(),
                        c.d(),
                        c.groups()),
                y,
                1e-12);
    }
    /**
     * In a backward pass the input gradient takes a recycled array (here one filled with NaN) and clears
     * each image (or depthwise plane) before gathering into it: the same values as a fresh zeroed array,
     * also where no output reads an input (strides and dilations that skip positions).
     */
    @Test
    void inputGradientClearsARecycledArray() {
        int[][] cases = { // N, Cin, H, W, Cout, kh, kw, stride, padding, dilation, groups
            {2, 3, 6, 7, 4, 3, 3, 1, 1, 1, 1}, // padded "same"
            {2, 4, 7, 6, 6, 3, 2, 2, 0, 1, 2}, // strided, grouped
            {2, 3, 5, 5, 6, 3, 3, 2, 1, 1, 3}, // depthwise with a multiplier
            {2, 3, 4, 5, 5, 1, 1, 1, 0, 1, 1}, // pointwise
            {1, 2, 7, 7, 2, 2, 2, 3, 0, 2, 1} // positions no output reads
        };
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] c : cases) {
                int[] xs = {c[0], c[1], c[2], c[3]};
                int[] s = {c[7], c[7]};
                int[] p = {c[8], c[8]};
                int[] d = {c[9], c[9]};
                Tensor x = Tensor.randn(new Generator(5), dt, xs);
                Tensor w = Tensor.randn(new Generator(6), dt, c[4], c[1] / c[10], c[5], c[6]);
                Tensor y = Convolution.conv2d(x, w, null, s, p, d, c[10]);
                Tensor g = Tensor.randn(new Generator(7), dt, y.shape());
                Tensor want = Convolution.conv2dBackwardInput(g, w, xs, s, p, d, c[10]);
                int numel = c[0] * c[1] * c[2] * c[3];
                Object dirty;
                if (dt == DType.FLOAT32) {
                    float[] a = new float[numel];
                    java.util.Arrays.fill(a, Float.NaN);
                    dirty = a;
                } else {
                    double[] a = new double[numel];
                    java.util.Arrays.fill(a, Double.NaN);
                    dirty = a;
                }
                io.jgrad.core.kernel.ScratchPool.give(dirty);
                Tensor got;
                try (Recycling.Run run = Recycling.begin()) {
                    got = Convolution.conv2dBackwardInput(g, w, xs, s, p, d, c[10]);
                }
                String at = dt + " " + java.util.Arrays.toString(c);
                if (Recycling.enabled()) {
                    Object data = dt == DType.FLOAT32 ? got.floatData() : got.doubleData();
                    assertTrue(data == dirty, at + ": the recycled array was taken");
                }
                assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 0, at);
                io.jgrad.core.kernel.ScratchPool.clear();
            }
        }
    }
}
