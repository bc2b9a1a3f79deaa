package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tensor creation: constant fills, ranges (bit for bit against PyTorch), identity, Java arrays. */
class CreationTest {
    private static void assertAll(Tensor t, DType dt, int[] shape, double value) {
        assertEquals(dt, t.dtype());
        assertArrayEquals(shape, t.shape());
        for (double v : Ref.values(t)) {
            assertEquals(value, v);
        }
    }

    @Test
    void constantFills() {
        assertAll(Tensor.zeros(2, 3), DType.FLOAT32, new int[] {2, 3}, 0);
        assertAll(Tensor.zeros(DType.INT32, 4), DType.INT32, new int[] {4}, 0);
        assertAll(Tensor.ones(3, 1, 2), DType.FLOAT32, new int[] {3, 1, 2}, 1);
        assertAll(Tensor.ones(DType.FLOAT64, 2), DType.FLOAT64, new int[] {2}, 1);
        assertAll(Tensor.full(2.5, 2, 2), DType.FLOAT32, new int[] {2, 2}, 2.5);
        assertAll(Tensor.full(DType.FLOAT64, -0.1, 3), DType.FLOAT64, new int[] {3}, -0.1);
        assertAll(Tensor.full(DType.INT32, 7, 2, 0), DType.INT32, new int[] {2, 0}, 7);
        assertAll(Tensor.scalar(3), DType.FLOAT32, new int[0], 3);
        assertAll(Tensor.scalar(DType.INT32, -4), DType.INT32, new int[0], -4);
        assertAll(Tensor.zeros(), DType.FLOAT32, new int[0], 0);
        Tensor like = Tensor.zeros(DType.FLOAT64, 2, 5).t();
        assertAll(Tensor.zerosLike(like), DType.FLOAT64, new int[] {5, 2}, 0);
        assertAll(Tensor.onesLike(like), DType.FLOAT64, new int[] {5, 2}, 1);
        assertTrue(Tensor.onesLike(like).isContiguous());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1 << 16, 1 << 16));
    }

    @Test
    void linspaceMatchesPyTorchBitForBit() {
        for (String[] c : TorchReference.cases("linspace")) {
            DType dt = TorchReference.dtype(c[0]);
            double start = TorchReference.number(c[1]);
            double end = TorchReference.number(c[2]);
            int steps = Integer.parseInt(c[3]);
            double[] want = TorchReference.numbers(c[4]);
            Tensor t = Tensor.linspace(dt, start, end, steps);
            String what = "linspace(" + start + ", " + end + ", " + steps + ") " + dt;
            assertEquals(dt, t.dtype(), what);
            assertArrayEquals(new int[] {steps}, t.shape(), what);
            assertArrayEquals(want, Ref.values(t), 0.0, what);
        }
        // the FLOAT32 default
        assertArrayEquals(Ref.values(Tensor.linspace(DType.FLOAT32, 0, 1, 7)), Ref.values(Tensor.linspace(0, 1, 7)), 0);
        assertThrows(IllegalArgumentException.class, () -> Tensor.linspace(0, 1, -1));
    }

    @Test
    void linspaceLongRangesAreEvenAndHitBothEnds() {
        for (DType dt : Ref.FLOATS) {
            Tensor t = Tensor.linspace(dt, -2.5, 7.25, 1001);
            double[] v = Ref.values(t);
            assertEquals(-2.5, v[0]);
            assertEquals(7.25, v[1000]);
            for (int k = 0; k < 1001; k++) {
                assertEquals(-2.5 + k * 9.75 / 1000, v[k], dt == DType.FLOAT32 ? 2e-6 : 1e-14, "element " + k);
            }
        }
    }

    @Test
    void arangeMatchesPyTorch() {
        for (String[] c : TorchReference.cases("arange")) {
            DType dt = TorchReference.dtype(c[0]);
            double start = TorchReference.number(c[1]);
            double end = TorchReference.number(c[2]);
            double step = TorchReference.number(c[3]);
            double[] want = TorchReference.numbers(c[4]);
            Tensor t = Tensor.arange(dt, start, end, step);
            String what = "arange(" + start + ", " + end + ", " + step + ") " + dt;
            assertEquals(dt, t.dtype(), what);
            assertArrayEquals(want, Ref.values(t), 0.0, what);
        }
        Tensor a = Tensor.arange(5);
        assertEquals(DType.INT32, a.dtype());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, a.intData());
        assertEquals(0, Tensor.arange(0).numel());
        assertEquals(0, Tensor.arange(DType.FLOAT32, 3, 1, 1).numel(), "empty when the range runs backwards");
        assertArrayEquals(
                new float[] {0.5f, 1.0f, 1.5f}, Tensor.arange(0.5, 2, 0.5).floatData());
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 1e12, 1));
    }

    @Test
    void eye() {
        Tensor i = Tensor.eye(3);
        assertEquals(DType.FLOAT32, i.dtype());
        double[] v = Ref.values(i);
        for (int q = 0; q < 9; q++) {
            assertEquals(q / 3 == q % 3 ? 1 : 0, v[q]);
        }
        for (DType dt : DType.values()) {
            for (int[] nm : new int[][] {{2, 4}, {4, 2}, {1, 1}, {0, 3}}) {
                Tensor e = Tensor.eye(dt, nm[0], nm[1]);
                assertEquals(dt, e.dtype());
                assertArrayEquals(nm, e.shape());
                for (int q = 0; q < nm[0] * nm[1]; q++) {
                    assertEquals(q / nm[1] == q % nm[1] ? 1 : 0, Ref.values(e)[q]);
                }
            }
        }
    }

    @Test
    void fromAndToJavaArrays() {
        float[] f = {1, 2, 3, 4, 5, 6};
        Tensor copy = Tensor.of(f, 2, 3);
        Tensor shared = Tensor.wrap(f, 3, 2);
        f[0] = 100;
        assertEquals(1, copy.getDouble(0, 0), "of() copies");
        assertEquals(100, shared.getDouble(0, 0), "wrap() shares");
        assertArrayEquals(new int[] {6}, Tensor.of(f).shape(), "no shape means 1-D");
        Tensor d = Tensor.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        assertEquals(DType.FLOAT64, d.dtype());
        assertArrayEquals(new int[] {3, 2}, d.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, d.toDoubleArray(), 0);
        Tensor ff = Tensor.of(new float[][] {{1, 2, 3}});
        assertArrayEquals(new int[] {1, 3}, ff.shape());
        assertArrayEquals(new float[] {1, 2, 3}, ff.toFloatArray());
        Tensor ints = Tensor.of(new int[] {3, -1, 4, 1}, 2, 2);
        assertEquals(DType.INT32, ints.dtype());
        assertArrayEquals(new int[] {3, 4, -1, 1}, ints.t().toIntArray());
        assertArrayEquals(new float[] {3, 4, -1, 1}, ints.t().toFloatArray());
        int[] raw = {1, 2};
        Tensor.wrap(raw).add_(Tensor.of(new int[] {10, 20}));
        assertArrayEquals(new int[] {11, 22}, raw, "in-place ops on a wrapped array write the array");
        assertEquals(0, Tensor.of(new float[0][]).numel());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[] {1, 2, 3}, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(new int[] {1, 2}, 3));
        assertFalse(Tensor.of(f).sharesStorage(Tensor.of(f)));
    }

    /**
     * Zeros made in a backward pass (a view's gradient embedded into zeros, a scatter's base) take a
     * recycled array and clear it; outside a pass they are new arrays and leave the pool alone.
     */
    @Test
    void zerosInABackwardPassTakeARecycledArrayAndClearIt() {
        float[] dirty = new float[6 * 7];
        java.util.Arrays.fill(dirty, Float.NaN);
        double[] dirtyDoubles = new double[6 * 7];
        java.util.Arrays.fill(dirtyDoubles, Double.NaN);
        io.jgrad.core.kernel.ScratchPool.give(dirty);
        io.jgrad.core.kernel.ScratchPool.give(dirtyDoubles);
        try {
            Tensor outside = Tensor.zeros(6, 7);
            assertFalse(outside.floatData() == dirty, "outside a backward pass zeros are a new array");
            Tensor z;
            Tensor zd;
            try (Recycling.Run run = Recycling.begin()) {
                z = Tensor.zeros(6, 7);
                zd = Tensor.zeros(DType.FLOAT64, 7, 6);
                if (Recycling.enabled()) {
                    assertTrue(z.floatData() == dirty, "the recycled float array was taken");
                    assertTrue(zd.doubleData() == dirtyDoubles, "the recycled double array was taken");
                    assertTrue(Recycling.bornIn(z, run), "born in the pass, so the engine may recycle it");
                }
            }
            assertAll(z, DType.FLOAT32, new int[] {6, 7}, 0);
            assertAll(zd, DType.FLOAT64, new int[] {7, 6}, 0);
        } finally {
            io.jgrad.core.kernel.ScratchPool.clear();
        }
    }
}
