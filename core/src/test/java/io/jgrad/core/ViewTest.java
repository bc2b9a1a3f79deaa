package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Views copy nothing and alias their base; reshape copies only when it must. */
class ViewTest {
    /** A contiguous (2, 3, 4) tensor holding 0..23. */
    private static Tensor base(DType dt) {
        double[] v = new double[24];
        for (int k = 0; k < 24; k++) {
            v[k] = k;
        }
        return Ref.tensor(dt, v, 2, 3, 4);
    }

    /** Expected values of a view: {@code src.apply(outIndex)} is the base index it reads. */
    private static double[] expected(int[] outShape, Function<int[], int[]> src, Tensor base) {
        double[] e = new double[Ref.numel(outShape)];
        for (int q = 0; q < e.length; q++) {
            e[q] = Ref.at(base, src.apply(Ref.unravel(q, outShape)));
        }
        return e;
    }

    private static void checkView(String what, Tensor base, Tensor view, int[] shape, Function<int[], int[]> src) {
        assertTrue(view.sharesStorage(base), what + " must share storage");
        Ref.assertTensor(what, base.dtype(), shape, expected(shape, src, base), view, 0, 0);
        // writing through the view is seen in the base
        if (view.numel() > 0) {
            int[] last = Ref.unravel(view.numel() - 1, shape);
            view.set(-7, last);
            assertEquals(-7, Ref.at(base, src.apply(last)), what + ": write through the view");
        }
    }

    @Test
    void transposePermuteAndTAreViews() {
        for (DType dt : Ref.NUMERIC) {
            Tensor b = base(dt);
            checkView("transpose", b, b.transpose(0, 2), new int[] {4, 3, 2}, i -> new int[] {i[2], i[1], i[0]});
            b = base(dt);
            checkView("transpose negative dims", b, b.transpose(-1, -2), new int[] {2, 4, 3}, i ->
                    new int[] {i[0], i[2], i[1]});
            b = base(dt);
            checkView("permute", b, b.permute(1, 2, 0), new int[] {3, 4, 2}, i -> new int[] {i[2], i[0], i[1]});
            b = base(dt);
            Tensor m = b.select(0, 1);
            checkView("t", b, m.t(), new int[] {4, 3}, i -> new int[] {1, i[1], i[0]});
            b = base(dt);
            checkView("movedim", b, b.movedim(0, -1), new int[] {3, 4, 2}, i -> new int[] {i[2], i[0], i[1]});
            b = base(dt);
            checkView("movedim back", b, b.movedim(2, 0), new int[] {4, 2, 3}, i -> new int[] {i[1], i[2], i[0]});
        }
        Tensor v = Tensor.of(new float[] {1, 2, 3});
        assertSame(v, v.t(), "t() of a vector is the vector");
        Tensor s = Tensor.scalar(5);
        assertArrayEquals(new int[0], s.transpose(0, -1).shape(), "transpose of a 0-d tensor");
        assertThrows(IllegalArgumentException.class, () -> base(DType.FLOAT32).t());
    }

    @Test
    void narrowSliceSelect() {
        for (DType dt : Ref.NUMERIC) {
            Tensor b = base(dt);
            checkView("narrow", b, b.narrow(2, 1, 2), new int[] {2, 3, 2}, i -> new int[] {i[0], i[1], i[2] + 1});
            b = base(dt);
            checkView("narrow negative start", b, b.narrow(-2, -2, 2), new int[] {2, 2, 4}, i ->
                    new int[] {i[0], i[1] + 1, i[2]});
            b = base(dt);
            checkView("slice step 2", b, b.slice(2, 1, 4, 2), new int[] {2, 3, 2}, i ->
                    new int[] {i[0], i[1], 1 + 2 * i[2]});
            b = base(dt);
            checkView("slice step 3 from 0", b, b.slice(2, 0, 4, 3), new int[] {2, 3, 2}, i ->
                    new int[] {i[0], i[1], 3 * i[2]});
            b = base(dt);
            checkView("slice negative bounds", b, b.slice(1, -2, -1, 1), new int[] {2, 1, 4}, i ->
                    new int[] {i[0], 1, i[2]});
            b = base(dt);
            checkView("slice clamped end", b, b.slice(2, 2, 100, 1), new int[] {2, 3, 2}, i ->
                    new int[] {i[0], i[1], i[2] + 2});
            b = base(dt);
            checkView(
                    "slice of a slice",
                    b,
                    b.slice(2, 0, 4, 2).slice(1, 1, 3, 1).slice(2, 1, 2, 1),
                    new int[] {2, 2, 1},
                    i -> new int[] {i[0], i[1] + 1, 2});
            b = base(dt);
            checkView("select", b, b.select(1, 2), new int[] {2, 4}, i -> new int[] {i[0], 2, i[1]});
            b = base(dt);
            checkView("select negative", b, b.select(-1, -1), new int[] {2, 3}, i -> new int[] {i[0], i[1], 3});
            b = base(dt);
            checkView("select twice", b, b.select(0, 1).select(0, 0), new int[] {4}, i -> new int[] {1, 0, i[0]});
        }
        Tensor b = base(DType.FLOAT32);
        Tensor empty = b.slice(2, 3, 1, 1);
        assertArrayEquals(new int[] {2, 3, 0}, empty.shape(), "empty slice");
        assertEquals(0, empty.numel());
        Tensor s = b.select(0, 1).select(0, 2).select(0, 3);
        assertEquals(0, s.dim());
        assertEquals(23, s.item());
    }

    @Test
    void squeezeUnsqueezeExpand() {
        for (DType dt : Ref.NUMERIC) {
            Tensor b = base(dt);
            Tensor u = b.unsqueeze(1);
            checkView("unsqueeze(1)", b, u, new int[] {2, 1, 3, 4}, i -> new int[] {i[0], i[2], i[3]});
            b = base(dt);
            checkView("unsqueeze(-1)", b, b.unsqueeze(-1), new int[] {2, 3, 4, 1}, i -> new int[] {i[0], i[1], i[2]});
            b = base(dt);
            checkView("unsqueeze(0)", b, b.unsqueeze(0), new int[] {1, 2, 3, 4}, i -> new int[] {i[1], i[2], i[3]});
            b = base(dt);
            checkView("squeeze", b, b.unsqueeze(0).unsqueeze(3).squeeze(), new int[] {2, 3, 4}, i -> i.clone());
            b = base(dt);
            checkView("squeeze(dim)", b, b.unsqueeze(2).squeeze(2), new int[] {2, 3, 4}, i -> i.clone());
            b = base(dt);
            checkView("squeeze(dim) of a non-1 dim", b, b.squeeze(1), new int[] {2, 3, 4}, i -> i.clone());
            b = base(dt);
            Tensor col = b.select(2, 1).unsqueeze(-1); // (2, 3, 1)
            Tensor e = col.expand(2, 3, 5);
            assertEquals(0, e.strides()[2], "expanded dims have stride 0");
            checkView("expand", b, e, new int[] {2, 3, 5}, i -> new int[] {i[0], i[1], 1});
            b = base(dt);
            Tensor e2 = b.select(0, 0).select(0, 1).expand(2, 4, -1); // (4,) -> (2, 4, 4)
            assertEquals(0, e2.strides()[0]);
            assertEquals(0, e2.strides()[1]);
            checkView("expand with new dims and -1", b, e2, new int[] {2, 4, 4}, i -> new int[] {0, 1, i[2]});
            b = base(dt);
            checkView("expandAs", b, b.narrow(1, 0, 1).expandAs(Tensor.zeros(2, 3, 4)), new int[] {2, 3, 4}, i ->
                    new int[] {i[0], 0, i[2]});
        }
        assertArrayEquals(new int[] {1}, Tensor.scalar(3).unsqueeze(0).shape());
        assertArrayEquals(new int[0], Tensor.zeros(1, 1).squeeze().shape());
        assertThrows(IllegalArgumentException.class, () -> base(DType.FLOAT32).expand(2, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> base(DType.FLOAT32).expand(3, 4));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 1).expand(3, -2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1).expand(1 << 16, 1 << 16));
    }

    @Test
    void reshapeIsAViewWhenStridesAllowIt() {
        for (DType dt : Ref.NUMERIC) {
            Tensor b = base(dt);
            checkView(
                    "reshape contiguous",
                    b,
                    b.reshape(6, 4),
                    new int[] {6, 4},
                    i -> Ref.unravel(i[0] * 4 + i[1], new int[] {2, 3, 4}));
            b = base(dt);
            checkView(
                    "reshape -1",
                    b,
                    b.reshape(4, -1),
                    new int[] {4, 6},
                    i -> Ref.unravel(i[0] * 6 + i[1], new int[] {2, 3, 4}));
            b = base(dt);
            checkView("view", b, b.view(24), new int[] {24}, i -> Ref.unravel(i[0], new int[] {2, 3, 4}));
            b = base(dt);
            checkView("flatten", b, b.flatten(), new int[] {24}, i -> Ref.unravel(i[0], new int[] {2, 3, 4}));
            b = base(dt);
            checkView(
                    "flatten(1, 2)", b, b.flatten(1, 2), new int[] {2, 12}, i -> new int[] {i[0], i[1] / 4, i[1] % 4});
            b = base(dt);
            // narrowing dim 0 keeps rows contiguous: still a view
            checkView("reshape of a row range", b, b.narrow(0, 1, 1).reshape(3, 4), new int[] {3, 4}, i ->
                    new int[] {1, i[0], i[1]});
            b = base(dt);
            // (2, 3, 2) columns of stride 1 inside rows of 4: merging dims 0 and 1 is possible
            checkView("reshape of narrowed columns", b, b.narrow(2, 1, 2).reshape(6, 2), new int[] {6, 2}, i ->
                    new int[] {i[0] / 3, i[0] % 3, i[1] + 1});
            b = base(dt);
            // splitting the permuted dim only is possible too
            checkView(
                    "view of permuted tensor splitting a dim",
                    b,
                    b.permute(2, 0, 1).view(2, 2, 2, 3),
                    new int[] {2, 2, 2, 3},
                    i -> new int[] {i[2], i[3], i[0] * 2 + i[1]});
        }
        // a transposed matrix cannot be flattened in place: reshape copies, view refuses
        Tensor m = Ref.tensor(DType.FLOAT32, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor r = m.t().reshape(6);
        assertFalse(r.sharesStorage(m), "reshape of a transposed matrix copies");
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, Ref.values(r), 0);
        IllegalStateException ex = assertThrows(IllegalStateException.class, () -> m.t().view(6));
        assertTrue(ex.getMessage().startsWith("view: cannot view a tensor of shape (3, 2)"), ex.getMessage());
        assertFalse(m.t().flatten().sharesStorage(m));
        // expanded tensors are copied when flattened
        Tensor e = Tensor.of(new float[] {1, 2}).unsqueeze(1).expand(2, 3);
        assertArrayEquals(new double[] {1, 1, 1, 2, 2, 2}, Ref.values(e.reshape(-1)), 0);
        assertThrows(IllegalStateException.class, () -> e.view(6));
        // a 0-d tensor and back
        Tensor s = Tensor.of(new float[] {4}).reshape();
        assertEquals(0, s.dim());
        assertArrayEquals(new int[] {1, 1}, s.reshape(1, 1).shape());
        assertEquals(4, s.flatten().item());
        // size-0 reshape
        assertArrayEquals(new int[] {0, 5}, Tensor.zeros(5, 0).reshape(0, 5).shape());
        assertThrows(IllegalArgumentException.class, () -> base(DType.FLOAT32).reshape(5, -1));
        assertThrows(IllegalArgumentException.class, () -> base(DType.FLOAT32).reshape(-1, -1));
        assertThrows(IllegalArgumentException.class, () -> base(DType.FLOAT32).reshape(5, 5));
    }

    @Test
    void contiguousCloneAndTo() {
        Tensor m = Ref.tensor(DType.FLOAT64, Ref.uniform(1, 12, -1, 1), 3, 4);
        assertSame(m, m.contiguous(), "contiguous() of a contiguous tensor is the tensor");
        assertTrue(m.isContiguous());
        assertTrue(m.narrow(0, 1, 2).isContiguous(), "a row range is contiguous");
        assertFalse(m.narrow(1, 1, 2).isContiguous());
        assertTrue(m.select(1, 2).unsqueeze(1).narrow(0, 0, 1).isContiguous(), "size-1 dims ignore strides");
        for (Ref.Named n : Ref.layouts(DType.FLOAT32, Ref.uniform(2, 24, -3, 3), 2, 3, 4)) {
            Tensor c = n.t.contiguous();
            assertTrue(c.isContiguous(), n.name);
            assertArrayEquals(Ref.values(n.t), Ref.values(c), 0, n.name);
            assertArrayEquals(new int[] {12, 4, 1}, c.strides(), n.name);
            Tensor k = n.t.clone();
            assertFalse(k.sharesStorage(n.t), n.name);
            k.fill_(9);
            assertFalse(Ref.values(n.t)[0] == 9, "clone is independent");
        }
        // conversions: float -> int truncates toward zero; same dtype returns this
        Tensor f = Tensor.of(new float[] {1.7f, -1.7f, 2.5f, -0.2f, 3});
        assertSame(f, f.to(DType.FLOAT32));
        Tensor i = f.to(DType.INT32);
        assertEquals(DType.INT32, i.dtype());
        assertArrayEquals(new int[] {1, -1, 2, 0, 3}, i.intData());
        Tensor d = f.to(DType.FLOAT64);
        assertArrayEquals(Ref.values(f), d.doubleData(), 0);
        Tensor back = Tensor.of(new int[] {1, -2, 3}).to(DType.FLOAT32);
        assertArrayEquals(new float[] {1, -2, 3}, back.floatData());
        // conversion of a non-contiguous view
        Tensor t = Ref.tensor(DType.FLOAT64, new double[] {1, 2, 3, 4, 5, 6}, 2, 3)
                .t()
                .to(DType.FLOAT32);
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, Ref.values(t), 0);
    }

    @Test
    void elementAccess() {
        Tensor b = base(DType.FLOAT32);
        assertEquals(23, b.getDouble(1, 2, 3));
        assertEquals(23, b.getDouble(-1, -1, -1));
        assertEquals(6f, b.getFloat(0, 1, 2));
        assertEquals(13, b.transpose(0, 2).getInt(1, 0, 1));
        int v0 = b.version();
        b.set(100, 0, 2, 1);
        assertEquals(100, Ref.at(b, 0, 2, 1));
        assertTrue(b.version() > v0, "set bumps the version");
        assertEquals(100, b.transpose(1, 2).getDouble(0, 1, 2));
        assertArrayEquals(new float[] {0, 12, 4, 16, 8, 20}, b.select(2, 0).t().toFloatArray());
        assertArrayEquals(new int[] {0, 12, 4, 16, 8, 20}, b.select(2, 0).t().toIntArray());
        assertArrayEquals(new double[] {0, 12, 4, 16, 8, 20}, b.select(2, 0).t().toDoubleArray(), 0);
        assertEquals(4, Tensor.of(new double[] {4}).item());
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(2).item());
        assertThrows(IndexOutOfBoundsException.class, () -> b.getDouble(2, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> b.getDouble(0, -4, 0));
        assertThrows(IllegalArgumentException.class, () -> b.getDouble(0, 0));
        assertEquals(3, b.dim());
        assertEquals(24, b.numel());
        assertEquals(4, b.size(-1));
        assertEquals(2, b.size(0));
        assertArrayEquals(new int[] {12, 4, 1}, b.strides());
        assertThrows(IllegalStateException.class, () -> b.intData());
        assertThrows(IllegalStateException.class, () -> b.doubleData());
    }

    @Test
    void copyAndFillInPlace() {
        for (DType dt : Ref.NUMERIC) {
            Tensor b = base(dt);
            int v0 = b.version();
            // copy a broadcast row, converting dtype, into a strided view
            Tensor view = b.slice(2, 0, 4, 2); // (2, 3, 2)
            view.copy_(Tensor.of(new double[] {-1, -2}));
            for (int q = 0; q < 24; q++) {
                int[] i = Ref.unravel(q, new int[] {2, 3, 4});
                double want = i[2] % 2 == 1 ? q : i[2] == 0 ? -1 : -2;
                assertEquals(want, Ref.at(b, i), "copy_ into a strided view, " + dt);
            }
            assertTrue(b.version() > v0);
            b.select(1, 1).fill_(5);
            b.narrow(2, 3, 1).zero_();
            for (int q = 0; q < 24; q++) {
                int[] i = Ref.unravel(q, new int[] {2, 3, 4});
                if (i[2] == 3) {
                    assertEquals(0, Ref.at(b, i));
                } else if (i[1] == 1) {
                    assertEquals(5, Ref.at(b, i));
                }
            }
        }
        // overlapping copy: the source is read as it was before the copy
        Tensor sq = Ref.tensor(DType.FLOAT32, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3);
        sq.copy_(sq.t());
        assertArrayEquals(new double[] {1, 4, 7, 2, 5, 8, 3, 6, 9}, Ref.values(sq), 0);
        Tensor row = Ref.tensor(DType.FLOAT64, new double[] {1, 2, 3, 4, 5}, 5);
        row.narrow(0, 1, 4).copy_(row.narrow(0, 0, 4));
        assertArrayEquals(new double[] {1, 1, 2, 3, 4}, Ref.values(row), 0);
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).copy_(Tensor.zeros(3, 2)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).copy_(Tensor.zeros(2, 3)));
    }

    @Test
    void inPlaceArithmetic() {
        for (DType dt : Ref.FLOATS) {
            for (Ref.Named n : Ref.layouts(dt, Ref.uniform(3, 12, -2, 2), 3, 4)) {
                double[] x = Ref.values(n.t);
                double[] row = Ref.rounded(new double[] {0.5, -1, 2, 0.25}, dt);
                Tensor r = Ref.tensor(dt, row, 4);
                Tensor t = n.t;
                int v0 = t.version();
                t.add_(r);
                t.mul_(2);
                t.sub_(Ref.tensor(dt, new double[] {1, 2, 3}, 3, 1));
                t.div_(4);
                t.add_(r.unsqueeze(0), -3);
                t.add_(0.5);
                t.mul_(Tensor.scalar(dt, -1));
                t.div_(Tensor.full(dt, 2, 1, 4));
                double[] e = new double[12];
                for (int q = 0; q < 12; q++) {
                    int i = q / 4;
                    int j = q % 4;
                    double v = x[q];
                    v = dt == DType.FLOAT32 ? (float) (v + row[j]) : v + row[j];
                    v = v * 2;
                    v = v - (i + 1);
                    v = v / 4;
                    v = v - 3 * row[j];
                    v = v + 0.5;
                    v = -v;
                    v = v / 2;
                    e[q] = v;
                }
                Ref.assertTensor(
                        "in-place chain on " + n.name, dt, new int[] {3, 4}, e, t, Ref.rtol(dt) * 4, Ref.atol(dt) * 4);
                assertTrue(t.version() >= v0 + 8, "every in-place op bumps the version");
                t.clamp_(-0.5, 0.5);
                for (double v : Ref.values(t)) {
                    assertTrue(v >= -0.5 && v <= 0.5);
                }
            }
        }
        // int32 add_/mul_ are fine
        Tensor it = Tensor.of(new int[] {1, 2, 3});
        it.add_(2).mul_(3).sub_(Tensor.of(new int[] {1}));
        assertArrayEquals(new int[] {8, 11, 14}, it.intData());
        assertThrows(IllegalArgumentException.class, () -> it.div_(2));
        assertThrows(IllegalArgumentException.class, () -> it.mul_(2.5), "int32 times a non-integer scalar");
        assertThrows(IllegalArgumentException.class, () -> it.add_(0.5));
        assertArrayEquals(new int[] {8, 11, 14}, it.intData(), "failed in-place ops change nothing");
        assertThrows(
                IllegalArgumentException.class,
                () -> Tensor.zeros(3).add_(Tensor.zeros(2, 3)),
                "in-place target cannot grow");
        // a float64 operand is stored into a float32 target (PyTorch's in-place casting rule)
        Tensor f = Tensor.full(1, 3).add_(Tensor.full(DType.FLOAT64, 0.5, 3));
        assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f}, f.floatData());
        assertThrows(
                IllegalArgumentException.class,
                () -> Tensor.zeros(DType.INT32, 3).add_(Tensor.zeros(3)));
    }

    @Test
    void comparisonsOfWholeTensorsAndVersions() {
        Tensor a = Tensor.of(new double[] {1, 2, Double.NaN}, 3);
        Tensor b = Tensor.of(new double[] {1 + 1e-9, 2, Double.NaN}, 3);
        assertTrue(a.allClose(b, 1e-8, 0), "NaN equals NaN in allClose");
        assertFalse(a.allClose(b, 1e-10, 0));
        assertTrue(a.allClose(b, 0, 1e-8));
        assertFalse(a.allClose(b.unsqueeze(0), 1, 1), "shapes must match");
        assertTrue(a.equal(a.clone()));
        assertFalse(a.equal(b));
        assertFalse(a.equal(a.to(DType.FLOAT32)), "dtypes must match");
        assertTrue(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).t().equal(Tensor.of(new float[] {1, 3, 2, 4}, 2, 2)));
        // views share the storage's version counter
        Tensor base = Tensor.zeros(2, 2);
        Tensor v = base.t().select(0, 1);
        int v0 = base.version();
        v.fill_(1);
        assertEquals(v0 + 1, base.version());
        assertEquals(base.version(), v.version());
        assertEquals(v0 + 1, base.version(), "reads do not bump");
        base.add(1);
        base.contiguous();
        assertEquals(v0 + 1, base.version(), "out-of-place ops do not bump");
    }

    @Test
    void inPlaceWithOverlappingOperands() {
        // x -= x[0] reads x[0] once, before any write
        Tensor x = Tensor.of(new float[] {3, 4, 5});
        x.sub_(x.select(0, 0));
        assertArrayEquals(new float[] {0, 1, 2}, x.floatData());
        // a += a^T uses the old a on the right
        Tensor a = Ref.tensor(DType.FLOAT64, new double[] {1, 2, 3, 4}, 2, 2);
        a.add_(a.t());
        assertArrayEquals(new double[] {2, 5, 5, 8}, a.doubleData());
        Tensor b = Ref.tensor(DType.FLOAT32, new double[] {1, 2, 3, 4}, 2, 2);
        b.add_(b.t(), 2);
        assertArrayEquals(new float[] {3, 8, 7, 12}, b.floatData());
        // writing in place into an expanded tensor would write one element several times
        Tensor e = Tensor.zeros(1).expand(3);
        assertThrows(IllegalArgumentException.class, () -> e.add_(Tensor.of(new float[] {1, 2, 3})));
    }
}
