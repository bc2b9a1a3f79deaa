package io.jgrad.core;

import static io.jgrad.core.ConvolutionTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Pooling against the naive loops of {@link ConvReference}, in FLOAT64 and FLOAT32. */
class PoolingTest {
    private static final DType F64 = DType.FLOAT64;
    private static final DType F32 = DType.FLOAT32;

    /** One pooling configuration on input (n, c, h, w). */
    record PCfg(
            int n,
            int c,
            int h,
            int w,
            int kh,
            int kw,
            int sh,
            int sw,
            int ph,
            int pw,
            int dh,
            int dw,
            boolean ceil,
            boolean includePad,
            boolean contiguous) {
        int[] xs() {
            return new int[] {n, c, h, w};
        }

        int[] k() {
            return new int[] {kh, kw};
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

        int[] maxShape() {
            return new int[] {
                n,
                c,
                ConvReference.poolOutSize(h, kh, sh, ph, dh, ceil),
                ConvReference.poolOutSize(w, kw, sw, pw, dw, ceil)
            };
        }

        int[] avgShape() {
            return new int[] {
                n,
                c,
                ConvReference.poolOutSize(h, kh, sh, ph, 1, ceil),
                ConvReference.poolOutSize(w, kw, sw, pw, 1, ceil)
            };
        }
    }

    static Stream<PCfg> configs() {
        List<PCfg> c = new ArrayList<>();
        c.add(new PCfg(2, 3, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1, false, true, true)); // the CNN's 2x2 pool
        c.add(new PCfg(2, 3, 7, 7, 2, 2, 2, 2, 0, 0, 1, 1, true, true, false)); // ceil adds a partial window
        c.add(new PCfg(2, 2, 5, 8, 3, 3, 3, 3, 1, 1, 1, 1, true, true, true)); // ceil: last window dropped
        c.add(new PCfg(2, 2, 5, 8, 3, 3, 3, 3, 1, 1, 1, 1, true, false, false));
        c.add(new PCfg(1, 2, 9, 10, 2, 3, 2, 3, 1, 1, 2, 1, true, true, true)); // dilation, ceil
        c.add(new PCfg(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, false, true, true));
        c.add(new PCfg(2, 4, 13, 11, 3, 3, 1, 1, 1, 1, 1, 1, false, false, false)); // overlapping windows
        c.add(new PCfg(64, 8, 12, 12, 2, 2, 2, 2, 0, 0, 1, 1, false, true, true)); // parallel over planes
        Random rnd = new Random(3);
        while (c.size() < 40) {
            int kh = 1 + rnd.nextInt(4);
            int kw = 1 + rnd.nextInt(4);
            PCfg p = new PCfg(
                    1 + rnd.nextInt(2),
                    1 + rnd.nextInt(3),
                    1 + rnd.nextInt(10),
                    1 + rnd.nextInt(10),
                    kh,
                    kw,
                    1 + rnd.nextInt(3),
                    1 + rnd.nextInt(3),
                    rnd.nextInt(kh / 2 + 1),
                    rnd.nextInt(kw / 2 + 1),
                    1 + rnd.nextInt(2),
                    1 + rnd.nextInt(2),
                    rnd.nextBoolean(),
                    rnd.nextBoolean(),
                    rnd.nextBoolean());
            if (p.maxShape()[2] >= 1 && p.maxShape()[3] >= 1 && p.avgShape()[2] >= 1 && p.avgShape()[3] >= 1) {
                c.add(p);
            }
        }
        return c.stream();
    }

    /** Max pooling's input gradient by the definition: each output gradient lands on its argmax. */
    static double[] maxBackwardRef(double[] g, double[] idx, int[] xs) {
        int plane = xs[2] * xs[3];
        int outPlane = g.length / (xs[0] * xs[1]);
        double[] gx = new double[xs[0] * xs[1] * plane];
        for (int pl = 0; pl < xs[0] * xs[1]; pl++) {
            for (int o = 0; o < outPlane; o++) {
                gx[pl * plane + (int) idx[pl * outPlane + o]] += g[pl * outPlane + o];
            }
        }
        return gx;
    }

    @ParameterizedTest
    @MethodSource("configs")
    void maxPool2dMatchesReference(PCfg c) {
        for (DType dtype : new DType[] {F64, F32}) {
            Generator gen = new Generator(c.hashCode());
            Tensor x = ConvolutionTest.randn(gen, dtype, c.contiguous(), c.xs());
            double[][] ref = ConvReference.maxPool2d(x.toDoubleArray(), c.xs(), c.k(), c.s(), c.p(), c.d(), c.ceil());
            Pooling.MaxResult r = Pooling.maxPool2d(x, c.k(), c.s(), c.p(), c.d(), c.ceil());
            assertEquals(dtype, r.values().dtype());
            assertEquals(DType.INT32, r.indices().dtype());
            assertClose("maxPool2d " + c, c.maxShape(), ref[0], r.values(), 0);
            assertClose("maxPool2d indices " + c, c.maxShape(), ref[1], r.indices(), 0);
            Tensor g = ConvolutionTest.randn(gen, dtype, c.contiguous(), c.maxShape());
            Tensor gx = Pooling.maxPool2dBackward(g, r.indices(), c.xs());
            assertClose(
                    "maxPool2dBackward " + c,
                    c.xs(),
                    maxBackwardRef(g.toDoubleArray(), ref[1], c.xs()),
                    gx,
                    dtype == F64 ? 1e-15 : 1e-6);
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void avgPool2dMatchesReference(PCfg c) {
        for (DType dtype : new DType[] {F64, F32}) {
            double tol = dtype == F64 ? 1e-14 : 1e-6;
            Generator gen = new Generator(c.hashCode());
            Tensor x = ConvolutionTest.randn(gen, dtype, c.contiguous(), c.xs());
            Tensor y = Pooling.avgPool2d(x, c.k(), c.s(), c.p(), c.ceil(), c.includePad());
            assertClose(
                    "avgPool2d " + c,
                    c.avgShape(),
                    ConvReference.avgPool2d(x.toDoubleArray(), c.xs(), c.k(), c.s(), c.p(), c.ceil(), c.includePad()),
                    y,
                    tol);
            Tensor g = ConvolutionTest.randn(gen, dtype, c.contiguous(), c.avgShape());
            Tensor gx = Pooling.avgPool2dBackward(g, c.xs(), c.k(), c.s(), c.p(), c.ceil(), c.includePad());
            assertClose(
                    "avgPool2dBackward " + c,
                    c.xs(),
                    ConvReference.avgPool2dBackward(
                            g.toDoubleArray(), c.xs(), c.k(), c.s(), c.p(), c.ceil(), c.includePad()),
                    gx,
                    tol);
            // the backward is the adjoint of the forward
            if (dtype == F64) {
                double lhs = ConvolutionTest.dot(y.toDoubleArray(), g.toDoubleArray());
                double rhs = ConvolutionTest.dot(x.toDoubleArray(), gx.toDoubleArray());
                assertEquals(lhs, rhs, 1e-12 * (1 + Math.abs(lhs)));
            }
        }
    }

    @Test
    void adaptiveAvgPool2dMatchesReference() {
        Random rnd = new Random(5);
        for (int t = 0; t < 30; t++) {
            int[] xs = {1 + rnd.nextInt(2), 1 + rnd.nextInt(3), 1 + rnd.nextInt(12), 1 + rnd.nextInt(12)};
            int oh = 1 + rnd.nextInt(9);
            int ow = 1 + rnd.nextInt(9);
            for (DType dtype : new DType[] {F64, F32}) {
                double tol = dtype == F64 ? 1e-14 : 1e-6;
                Generator gen = new Generator(t);
                Tensor x = ConvolutionTest.randn(gen, dtype, t % 2 == 0, xs);
                Tensor y = Pooling.adaptiveAvgPool2d(x, oh, ow);
                int[] ys = {xs[0], xs[1], oh, ow};
                String what = "adaptiveAvgPool2d " + Shape.format(xs) + " -> " + oh + "x" + ow;
                assertClose(what, ys, ConvReference.adaptiveAvgPool2d(x.toDoubleArray(), xs, oh, ow), y, tol);
                // the backward is the adjoint of the forward, checked through one-hot output gradients
                Tensor g = Tensor.randn(gen, dtype, ys);
                Tensor gx = Pooling.adaptiveAvgPool2dBackward(g, xs);
                assertArrayEquals(xs, gx.shape());
                double lhs = ConvolutionTest.dot(y.toDoubleArray(), g.toDoubleArray());
                double rhs = ConvolutionTest.dot(x.toDoubleArray(), gx.toDoubleArray());
                assertEquals(lhs, rhs, (dtype == F64 ? 1e-12 : 1e-4) * (1 + Math.abs(lhs)), what);
            }
        }
    }

    @Test
    void adaptiveBackwardSpreadsEachGradientOverItsWindow() {
        int[] xs = {1, 1, 5, 3};
        Tensor g = Tensor.zeros(F64, 1, 1, 3, 2).set(1.0, 0, 0, 1, 1);
        // row window 1 of 3 over 5: [1, 4); column window 1 of 2 over 3: [1, 3) -> 6 cells
        double[] expected = new double[15];
        for (int r = 1; r < 4; r++) {
            for (int q = 1; q < 3; q++) {
                expected[r * 3 + q] = 1.0 / 6;
            }
        }
        assertClose("adaptive backward", xs, expected, Pooling.adaptiveAvgPool2dBackward(g, xs), 1e-15);
    }

    @Test
    void maxPoolTieAndNanRules() {
        // ties: the first maximum wins; NaN wins over everything; an all -inf window picks its first element
        float inf = Float.NEGATIVE_INFINITY;
        Tensor x = Tensor.of(new float[] {1, 3, 3, Float.NaN, 3, 0, 2, 5, inf, inf, 0, 0, inf, inf, 0, 0}, 1, 1, 4, 4);
        Pooling.MaxResult r = Pooling.maxPool2d(x, new int[] {2}, null, new int[] {0}, new int[] {1}, false);
        assertArrayEquals(new int[] {1, 1, 2, 2}, r.values().shape());
        assertArrayEquals(new int[] {1, 3, 8, 10}, r.indices().toIntArray());
        float[] v = r.values().toFloatArray();
        assertEquals(3f, v[0]);
        assertTrue(Float.isNaN(v[1]));
        assertEquals(inf, v[2]);
        assertEquals(0f, v[3]);
    }

    @Test
    void maxPoolTwoByTwoWindowsFollowTheGeneralRule() {
        // 2x2 windows take an unrolled path: ties (the first maximum wins), NaN (the last NaN wins, as in
        // PyTorch's loop) and -inf must follow the general loop's rule
        float nan = Float.NaN;
        float inf = Float.NEGATIVE_INFINITY;
        Tensor x = Tensor.of(new float[] {nan, 1, 2, 2, 4, nan, 2, 2, inf, inf, 5, 7, inf, -1, 7, 6}, 1, 1, 4, 4);
        Pooling.MaxResult r = Pooling.maxPool2d(x, new int[] {2}, null, new int[] {0}, new int[] {1}, false);
        assertArrayEquals(new int[] {5, 2, 13, 11}, r.indices().toIntArray());
        float[] v = r.values().toFloatArray();
        assertTrue(Float.isNaN(v[0]));
        assertEquals(2f, v[1]);
        assertEquals(-1f, v[2]);
        assertEquals(7f, v[3]);
        // signed zeros tie (the first wins, its sign kept); negative values order as floats do
        Tensor z = Tensor.of(new float[] {-0f, 0f, -3f, -2.5f, 0f, -0f, -2f, -7f}, 1, 1, 2, 4);
        Pooling.MaxResult zr = Pooling.maxPool2d(z, new int[] {2}, null, new int[] {0}, new int[] {1}, false);
        assertArrayEquals(new int[] {0, 6}, zr.indices().toIntArray());
        float[] zv = zr.values().toFloatArray();
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(zv[0]));
        assertEquals(-2f, zv[1]);
        // random data with many ties: the unrolled path against the naive reference of this test class
        Generator gen = new Generator(21);
        Tensor t = Tensor.randint(gen, 0, 3, 3, 4, 10, 12).to(DType.FLOAT32);
        Pooling.MaxResult fast = Pooling.maxPool2d(t, new int[] {2}, null, new int[] {0}, new int[] {1}, false);
        float[] xs = t.toFloatArray();
        int[] ind = fast.indices().toIntArray();
        float[] vals = fast.values().toFloatArray();
        for (int plane = 0; plane < 12; plane++) {
            for (int r0 = 0; r0 < 5; r0++) {
                for (int q = 0; q < 6; q++) {
                    int best = -1;
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            int i = (2 * r0 + dy) * 12 + 2 * q + dx;
                            if (best < 0 || xs[plane * 120 + i] > xs[plane * 120 + best]) {
                                best = i;
                            }
                        }
                    }
                    int o = plane * 30 + r0 * 6 + q;
                    assertEquals(best, ind[o], "plane " + plane + " window " + r0 + "," + q);
                    assertEquals(xs[plane * 120 + best], vals[o]);
                }
            }
        }
    }

    @Test
    void unbatchedAndOneDimensional() {
        Generator gen = new Generator(8);
        Tensor x = Tensor.randn(gen, F64, 3, 5, 7);
        Pooling.MaxResult r3 =
                Pooling.maxPool2d(x, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1}, true);
        Pooling.MaxResult r4 = Pooling.maxPool2d(
                x.unsqueeze(0), new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1}, true);
        assertTrue(r3.values().equal(r4.values().squeeze(0)));
        assertTrue(r3.indices().equal(r4.indices().squeeze(0)));
        Tensor g3 = Tensor.randn(gen, F64, r3.values().shape());
        assertTrue(Pooling.maxPool2dBackward(g3, r3.indices(), x.shape())
                .equal(Pooling.maxPool2dBackward(g3.unsqueeze(0), r4.indices(), new int[] {1, 3, 5, 7})
                        .squeeze(0)));
        assertTrue(Pooling.avgPool2d(x, new int[] {2}, null, new int[] {1}, true, false)
                .equal(Pooling.avgPool2d(x.unsqueeze(0), new int[] {2}, null, new int[] {1}, true, false)
                        .squeeze(0)));
        assertTrue(Pooling.adaptiveAvgPool2d(x, 2, 3)
                .equal(Pooling.adaptiveAvgPool2d(x.unsqueeze(0), 2, 3).squeeze(0)));

        // 1-D pooling is 2-D pooling with a height of 1
        Tensor l = Tensor.randn(gen, F64, 2, 3, 11);
        Tensor l4 = l.unsqueeze(2);
        Pooling.MaxResult m1 = Pooling.maxPool1d(l, 3, 2, 1, 2, true);
        Pooling.MaxResult m2 =
                Pooling.maxPool2d(l4, new int[] {1, 3}, new int[] {1, 2}, new int[] {0, 1}, new int[] {1, 2}, true);
        assertTrue(m1.values().equal(m2.values().squeeze(2)));
        assertTrue(m1.indices().equal(m2.indices().squeeze(2)));
        Tensor g1 = Tensor.randn(gen, F64, m1.values().shape());
        assertTrue(Pooling.maxPool1dBackward(g1, m1.indices(), l.shape())
                .equal(Pooling.maxPool2dBackward(g1.unsqueeze(2), m2.indices(), l4.shape())
                        .squeeze(2)));
        Tensor a1 = Pooling.avgPool1d(l, 4, 3, 2, true, true);
        assertTrue(a1.equal(Pooling.avgPool2d(l4, new int[] {1, 4}, new int[] {1, 3}, new int[] {0, 2}, true, true)
                .squeeze(2)));
        Tensor ga = Tensor.randn(gen, F64, a1.shape());
        assertTrue(Pooling.avgPool1dBackward(ga, l.shape(), 4, 3, 2, true, true)
                .equal(Pooling.avgPool2dBackward(
                                ga.unsqueeze(2),
                                l4.shape(),
                                new int[] {1, 4},
                                new int[] {1, 3},
                                new int[] {0, 2},
                                true,
                                true)
                        .squeeze(2)));
        Tensor ad = Pooling.adaptiveAvgPool1d(l, 4);
        assertTrue(ad.equal(Pooling.adaptiveAvgPool2d(l4, 1, 4).squeeze(2)));
        Tensor gad = Tensor.randn(gen, F64, ad.shape());
        assertTrue(Pooling.adaptiveAvgPool1dBackward(gad, l.shape())
                .equal(Pooling.adaptiveAvgPool2dBackward(gad.unsqueeze(2), l4.shape())
                        .squeeze(2)));
        // unbatched 1-D
        assertTrue(Pooling.maxPool1d(l.select(0, 1), 3, 2, 1, 2, true)
                .values()
                .equal(m1.values().select(0, 1)));
    }

    /**
     * In a backward pass max pooling's input gradient takes a recycled array, whatever it holds (here
     * NaN), and clears each plane before scattering into it: the same values as outside a pass.
     */
    @Test
    void maxPoolBackwardClearsARecycledArray() {
        Random r = new Random(4);
        int[] xs = {2, 3, 6, 8};
        Tensor x = Tensor.randn(new Generator(3), DType.FLOAT32, xs);
        for (boolean overlap : new boolean[] {false, true}) {
            int[] stride = overlap ? new int[] {1, 1} : new int[] {2, 2};
            Pooling.MaxResult m =
                    Pooling.maxPool2d(x, new int[] {2, 2}, stride, new int[] {0, 0}, new int[] {1, 1}, false);
            Tensor g = Tensor.randn(
                    new Generator(r.nextInt()), DType.FLOAT32, m.values().shape());
            Tensor want = Pooling.maxPool2dBackward(g, m.indices(), xs);
            float[] dirty = new float[2 * 3 * 6 * 8];
            java.util.Arrays.fill(dirty, Float.NaN);
            io.jgrad.core.kernel.ScratchPool.give(dirty);
            Tensor got;
            try (Recycling.Run run = Recycling.begin()) {
                got = Pooling.maxPool2dBackward(g, m.indices(), xs);
            }
            if (Recycling.enabled()) {
                assertTrue(got.floatData() == dirty, "the recycled array was taken");
            }
            assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 0, "overlap=" + overlap);
            io.jgrad.core.kernel.ScratchPool.clear();
        }
    }
    /** As for max pooling: average pooling's input gradient clears a recycled array plane by plane. */
    @Test
    void avgPoolBackwardClearsARecycledArray() {
        int[] xs = {2, 3, 7, 8};
        Tensor x = Tensor.randn(new Generator(5), DType.FLOAT32, xs);
        // windows that skip columns (stride 3 > kernel 2), overlapping padded ones, and adaptive ones
        int[][] kernelStridePadding = {{2, 3, 0}, {3, 2, 1}, {0, 0, 0}};
        for (int[] ksp : kernelStridePadding) {
            boolean adaptive = ksp[0] == 0;
            int[] k = {ksp[0], ksp[0]};
            int[] st = {ksp[1], ksp[1]};
            int[] pd = {ksp[2], ksp[2]};
            Tensor y = adaptive ? Pooling.adaptiveAvgPool2d(x, 3, 5) : Pooling.avgPool2d(x, k, st, pd, false, true);
            Tensor g = Tensor.randn(new Generator(6), DType.FLOAT32, y.shape());
            java.util.function.Supplier<Tensor> backward = () -> adaptive
                    ? Pooling.adaptiveAvgPool2dBackward(g, xs)
                    : Pooling.avgPool2dBackward(g, xs, k, st, pd, false, true);
            Tensor want = backward.get();
            float[] dirty = new float[2 * 3 * 7 * 8];
            java.util.Arrays.fill(dirty, Float.NaN);
            io.jgrad.core.kernel.ScratchPool.give(dirty);
            Tensor got;
            try (Recycling.Run run = Recycling.begin()) {
                got = backward.get();
            }
            String at = java.util.Arrays.toString(ksp);
            if (Recycling.enabled()) {
                assertTrue(got.floatData() == dirty, at + ": the recycled array was taken");
            }
            assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 0, at);
            io.jgrad.core.kernel.ScratchPool.clear();
        }
    }
}
