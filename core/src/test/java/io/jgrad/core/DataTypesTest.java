package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** INT64, BOOL and the 16-bit float storage types: creation, conversion, promotion, masks and errors. */
class DataTypesTest {
    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------ creation

    @Test
    void int64CreationAndAccessAreExact() {
        long big = (1L << 53) + 1; // not a double
        Tensor t = Tensor.of(new long[] {Long.MIN_VALUE, -1, big, Long.MAX_VALUE}, 2, 2);
        assertEquals(DType.INT64, t.dtype());
        assertEquals(Long.MIN_VALUE, t.getLong(0, 0));
        assertEquals(big, t.getLong(1, 0));
        assertEquals(Long.MAX_VALUE, t.select(1, 1).select(0, 1).itemLong());
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, big, Long.MAX_VALUE}, t.toLongArray());
        assertArrayEquals(
                new long[] {Long.MIN_VALUE, big, -1, Long.MAX_VALUE},
                t.t().contiguous().longData());
        assertEquals(big, Tensor.fullLong(DType.INT64, big, 3).getLong(2));
        t.setLong(big + 2, 0, 1);
        assertEquals(big + 2, t.getLong(0, 1));
        assertEquals(7, Tensor.full(DType.INT64, 7, 2).getLong(1));
        assertArrayEquals(
                new long[] {1, 0, 0, 0, 1, 0}, Tensor.eye(DType.INT64, 2, 3).toLongArray());
        assertArrayEquals(
                new long[] {2, 4, 6}, Tensor.arange(DType.INT64, 2, 7, 2).toLongArray());
        assertArrayEquals(new long[] {1, 1}, Tensor.ones(DType.INT64, 2).toLongArray());
        assertTrue(t.equal(t.clone()));
        assertFalse(Tensor.of(new long[] {big}).equal(Tensor.of(new long[] {big + 1})), "equal compares as longs");
        long[] shared = {1, 2};
        Tensor w = Tensor.wrap(shared);
        shared[0] = 5;
        assertEquals(5, w.getLong(0));
    }

    @Test
    void boolCreationAndAccess() {
        Tensor m = Tensor.of(new boolean[] {true, false, false, true}, 2, 2);
        assertEquals(DType.BOOL, m.dtype());
        assertTrue(m.getBool(0, 0));
        assertFalse(m.getBool(0, 1));
        assertTrue(m.select(0, 1).select(0, 1).itemBool());
        assertArrayEquals(new boolean[] {true, false, false, true}, m.t().toBooleanArray());
        assertArrayEquals(new byte[] {1, 1, 1}, Tensor.full(DType.BOOL, 2, 3).boolData(), "non-zero is true");
        assertArrayEquals(new byte[] {1, 1}, Tensor.ones(DType.BOOL, 2).boolData());
        assertArrayEquals(
                new byte[] {1, 0},
                Tensor.zeros(DType.BOOL, 2).fill_(Double.NaN).set(0, 1).boolData());
        assertEquals(1.0, m.getDouble(1, 1));
        assertEquals(0, m.getInt(1, 0));
    }

    // ---------------------------------------------------------------------------- conversion

    @Test
    void conversionsInEveryDirection() {
        double[] v = {-2.75, -1, 0, 0.5, 3};
        Tensor f64 = Tensor.of(v);
        for (DType from : DType.values()) {
            Tensor x = f64.to(from);
            for (DType to : DType.values()) {
                Tensor y = x.to(to);
                assertEquals(to, y.dtype(), from + " -> " + to);
                for (int k = 0; k < v.length; k++) {
                    double src = x.getDouble(k);
                    double want;
                    if (to == DType.BOOL) {
                        want = src != 0 ? 1 : 0;
                    } else if (to.isInteger()) {
                        want = (long) src; // truncation toward zero
                    } else {
                        want = src; // every value here is exact in every float type
                    }
                    assertEquals(want, y.getDouble(k), from + " -> " + to + " at " + k);
                }
            }
        }
        // INT64 to INT32 keeps the low 32 bits (a C cast), INT64 to FLOAT32 rounds once
        assertEquals(1, Tensor.of(new long[] {(1L << 32) + 1}).to(DType.INT32).getInt(0));
        long odd = (1L << 40) + (1L << 16) + 1; // above the midpoint between two floats
        assertEquals((float) odd, Tensor.of(new long[] {odd}).to(DType.FLOAT32).getFloat(0));
        assertEquals(
                -7, Tensor.of(new long[] {-7}).to(DType.FLOAT16).to(DType.INT64).getLong(0));
        // NaN is true as a bool; floats beyond the half range become infinities
        assertTrue(Tensor.of(new float[] {Float.NaN}).to(DType.BOOL).getBool(0));
        assertEquals(
                Double.POSITIVE_INFINITY,
                Tensor.of(new float[] {1e6f}).to(DType.FLOAT16).getDouble(0));
        assertEquals(1e6, Tensor.of(new float[] {1e6f}).to(DType.BFLOAT16).getDouble(0), 1e6 / 128);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void viewsCopiesAndJoinsWorkForEveryType(DType dt) {
        double[] v = dt == DType.BOOL ? new double[] {0, 1, 1, 0, 1, 0} : new double[] {0, 1, 2, 3, 4, 5};
        Tensor x = Tensor.of(v, 2, 3).to(dt);
        Tensor t = x.t();
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertEquals(x.getDouble(1, 2), t.getDouble(2, 1));
        Tensor c = t.contiguous();
        assertTrue(c.isContiguous());
        assertEquals(dt, c.dtype());
        assertTrue(c.equal(t.clone()));
        Tensor cat = Tensor.cat(0, x, x.narrow(0, 1, 1));
        assertEquals(dt, cat.dtype());
        assertEquals(x.getDouble(1, 0), cat.getDouble(2, 0));
        Tensor st = Tensor.stack(List.of(x, x), 0);
        assertArrayEquals(new int[] {2, 2, 3}, st.shape());
        assertEquals(x.getDouble(0, 2), st.getDouble(1, 0, 2));
        assertEquals(x.getDouble(1, 1), x.slice(1, 1, 3, 1).getDouble(1, 0));
        assertEquals(x.getDouble(1, 2), x.flatten().getDouble(5));
        Tensor picked = x.indexSelect(1, Tensor.of(new long[] {2, 0}));
        assertEquals(x.getDouble(1, 2), picked.getDouble(1, 0));
        Tensor gathered = x.gather(1, Tensor.of(new long[] {1, 1}, 2, 1));
        assertEquals(x.getDouble(1, 1), gathered.getDouble(1, 0));
        Tensor y = Tensor.zeros(dt, 2, 3);
        y.narrow(1, 1, 2).copy_(x.narrow(1, 0, 2));
        assertEquals(x.getDouble(1, 1), y.getDouble(1, 2));
        Tensor masked = x.maskedFill(Tensor.of(new boolean[] {true, false, false}), 1);
        assertEquals(1.0, masked.getDouble(1, 0));
        assertEquals(x.getDouble(1, 1), masked.getDouble(1, 1));
        Tensor w = Tensor.where(Tensor.of(new boolean[] {false, true}, 2, 1), x, Tensor.zeros(dt, 3));
        assertEquals(0.0, w.getDouble(0, 2));
        assertEquals(x.getDouble(1, 2), w.getDouble(1, 2));
        assertEquals(x.getDouble(0, 1), x.flip(0).getDouble(1, 1));
        assertEquals(x.getDouble(0, 1), x.repeat(2, 1).getDouble(2, 1));
    }

    // -------------------------------------------------------------------------------- promotion

    @Test
    void promotionTableFollowsPyTorch() {
        DType f32 = DType.FLOAT32;
        DType f64 = DType.FLOAT64;
        DType i32 = DType.INT32;
        DType i64 = DType.INT64;
        DType b = DType.BOOL;
        DType f16 = DType.FLOAT16;
        DType bf16 = DType.BFLOAT16;
        DType[][] table = { // a, b, result (torch.promote_types)
            {f32, f64, f64}, {i32, f32, f32}, {i64, f32, f32}, {i32, f64, f64}, {i32, i64, i64}, {b, i32, i32},
            {b, i64, i64}, {b, f32, f32}, {b, f64, f64}, {f16, f32, f32}, {bf16, f64, f64}, {f16, bf16, f32},
            {f16, i64, f16}, {bf16, b, bf16}, {b, b, b}, {i64, i64, i64}
        };
        for (DType[] row : table) {
            assertEquals(row[2], DType.promote(row[0], row[1]), row[0] + " with " + row[1]);
            assertEquals(row[2], DType.promote(row[1], row[0]), row[1] + " with " + row[0]);
        }
    }

    @Test
    void mixedArithmeticPromotes() {
        Tensor i32 = Tensor.of(new int[] {1, 2, 3});
        Tensor i64 = Tensor.of(new long[] {10, 20, 30});
        Tensor f32 = Tensor.of(new float[] {0.5f, 0.5f, 0.5f});
        Tensor f64 = Tensor.of(new double[] {0.25, 0.25, 0.25});
        Tensor mask = Tensor.of(new boolean[] {true, false, true});
        assertArrayEquals(new long[] {11, 22, 33}, i32.add(i64).longData());
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f}, i32.add(f32).floatData());
        assertArrayEquals(new double[] {10.25, 20.25, 30.25}, f64.add(i64).doubleData());
        assertArrayEquals(new double[] {0.75, 0.75, 0.75}, f32.add(f64).doubleData());
        assertArrayEquals(new float[] {0.5f, 0, 0.5f}, mask.mul(f32).floatData());
        assertArrayEquals(new int[] {2, 2, 4}, mask.add(i32).intData());
        assertArrayEquals(new long[] {11, 20, 31}, i64.add(mask).longData());
        assertEquals(DType.FLOAT32, i64.maximum(f32).dtype());
        assertEquals(DType.FLOAT32, Tensor.ones(DType.FLOAT16, 3).add(f32).dtype(), "a half with float32 computes");
        // bool arithmetic: + is or, * is and, - is refused as in PyTorch
        Tensor other = Tensor.of(new boolean[] {true, true, false});
        assertArrayEquals(new byte[] {1, 1, 1}, mask.add(other).boolData());
        assertArrayEquals(new byte[] {1, 0, 0}, mask.mul(other).boolData());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> mask.sub(other)), "sub", "bool", "logical");
        // scalars with a mask count as integers
        assertArrayEquals(new long[] {3, 2, 3}, mask.add(2).longData());
        assertArrayEquals(new byte[] {0, 0, 0}, mask.eq(2).boolData());
        assertArrayEquals(new float[] {1.5f, 0, 1.5f}, mask.mul(1.5).floatData());
        // in place: the result must fit the target's kind
        Tensor acc = Tensor.zeros(DType.INT64, 3);
        acc.add_(i32).add_(mask);
        assertArrayEquals(new long[] {2, 2, 4}, acc.longData());
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Tensor.zeros(DType.INT64, 3).add_(f32)),
                "add_",
                "float32",
                "int64");
        assertThrows(IllegalArgumentException.class, () -> mask.clone().add_(i32));
        // true division and powers of integers are refused, naming the op and types
        assertMessage(assertThrows(IllegalArgumentException.class, () -> i64.div(i64)), "div", "int64");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> i32.div(i64)), "div", "int64");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> i64.pow(2)), "pow", "int64");
    }

    @Test
    void int64ArithmeticIsExact() {
        long big = 1L << 60;
        Tensor a = Tensor.of(new long[] {big, -big, 3});
        Tensor b = Tensor.of(new long[] {1, 1, 5});
        assertArrayEquals(new long[] {big + 1, -big + 1, 8}, a.add(b).longData());
        assertArrayEquals(new long[] {big - 1, -big - 1, -2}, a.sub(b).longData());
        assertArrayEquals(new long[] {big, -big, 15}, a.mul(b).longData());
        assertArrayEquals(new long[] {2 * big, -2 * big, 6}, a.mul(2).longData());
        assertArrayEquals(new long[] {big, 1, 5}, a.maximum(b).longData());
        assertEquals(3, a.sum().itemLong());
        assertEquals(big + 1, Tensor.of(new long[] {big, 1}).sum().itemLong());
        assertEquals(big, a.max().itemLong());
        assertEquals(-big, a.min().itemLong());
        assertEquals(0, a.argmax().itemLong());
        assertArrayEquals(new long[] {big, 0, 3}, a.cumsum(0).longData());
        assertArrayEquals(new long[] {-big, big, -3}, a.neg().longData());
        assertArrayEquals(new long[] {big, big, 3}, a.abs().longData());
        assertArrayEquals(
                new long[] {0, -5, 3},
                a.clamp(-5, 0.5).add(Tensor.of(new long[] {0, 0, 3})).longData());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> a.mean()), "mean", "int64");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> a.exp()), "exp", "int64");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> a.add(0.5)), "0.5", "int64");
    }

    // ---------------------------------------------------------------------------- comparisons

    @Test
    void comparisonsReturnBoolMasks() {
        Tensor x = Tensor.of(new float[] {-1, 0, 2, Float.NaN});
        assertEquals(DType.BOOL, x.gt(0).dtype());
        assertArrayEquals(new byte[] {0, 0, 1, 0}, x.gt(0).boolData());
        assertArrayEquals(new byte[] {1, 1, 0, 0}, x.le(0).boolData());
        assertArrayEquals(new byte[] {0, 1, 0, 0}, x.eq(0).boolData());
        assertArrayEquals(new byte[] {1, 0, 1, 1}, x.ne(0).boolData(), "NaN != 0");
        assertArrayEquals(
                new byte[] {1, 0, 0, 0}, x.lt(Tensor.of(new int[] {0, 0, 2, 1})).boolData());
        assertArrayEquals(
                new byte[] {0, 1, 1, 0}, x.ge(Tensor.of(new long[] {0})).boolData());
        Tensor l = Tensor.of(new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 1});
        assertArrayEquals(
                new byte[] {1, 0}, l.eq(Tensor.of(new long[] {Long.MAX_VALUE})).boolData(), "exact");
        Tensor m = x.gt(0);
        assertEquals(1, m.sum().itemLong());
        assertEquals(DType.INT64, m.sum().dtype(), "a mask counts in int64, as in PyTorch");
        assertArrayEquals(new long[] {0, 0, 1, 1}, m.cumsum(0).longData());
        assertTrue(m.max().itemBool(), "max of a mask is any");
        assertFalse(m.min().itemBool(), "min of a mask is all");
        assertEquals(0.25, m.to(DType.FLOAT32).mean().item());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> m.mean()), "mean", "bool");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> m.neg()), "neg", "bool", "logicalNot");
    }

    @Test
    void logicalOps() {
        Tensor a = Tensor.of(new boolean[] {true, true, false, false});
        Tensor b = Tensor.of(new boolean[] {true, false, true, false});
        assertArrayEquals(new byte[] {1, 0, 0, 0}, a.logicalAnd(b).boolData());
        assertArrayEquals(new byte[] {1, 1, 1, 0}, a.logicalOr(b).boolData());
        assertArrayEquals(new byte[] {0, 1, 1, 0}, a.logicalXor(b).boolData());
        assertArrayEquals(new byte[] {0, 0, 1, 1}, a.logicalNot().boolData());
        assertArrayEquals(
                new byte[] {0, 1, 1, 0},
                a.t().logicalNot()
                        .logicalNot()
                        .logicalNot()
                        .logicalNot()
                        .logicalXor(b)
                        .boolData());
        // other types count non-zero as true; broadcasting applies
        Tensor f = Tensor.of(new float[] {0, 2.5f, Float.NaN, -1});
        assertArrayEquals(new byte[] {0, 1, 0, 0}, f.logicalAnd(a).boolData());
        assertArrayEquals(new byte[] {1, 0, 0, 0}, f.logicalNot().boolData());
        assertArrayEquals(
                new byte[] {0, 1, 1, 1},
                f.logicalOr(Tensor.of(new boolean[] {false})).boolData());
        assertThrows(IllegalArgumentException.class, () -> a.logicalAnd(Tensor.of(new boolean[] {true, false})));
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Tensor.zeros(DType.FLOAT16, 2).logicalNot()),
                "float16",
                "FLOAT32");
    }

    // ---------------------------------------------------------------------------------- indices

    @Test
    void int64IndicesWorkLikeInt32() {
        Tensor x = Tensor.arange(DType.FLOAT32, 0, 12, 1).reshape(3, 4);
        Tensor i32 = Tensor.of(new int[] {2, 0});
        Tensor i64 = Tensor.of(new long[] {2, 0});
        assertTrue(x.indexSelect(0, i32).equal(x.indexSelect(0, i64)));
        Tensor g32 = Tensor.of(new int[] {3, 1, 0, 0, 2, 2}, 3, 2);
        assertTrue(x.gather(1, g32).equal(x.gather(1, g32.to(DType.INT64))));
        Tensor src = Tensor.ones(3, 2);
        assertTrue(x.scatterAdd(1, g32, src).equal(x.scatterAdd(1, g32.to(DType.INT64), src)));
        assertTrue(i32.oneHot(3).equal(i64.oneHot(3)));
        IndexOutOfBoundsException e =
                assertThrows(IndexOutOfBoundsException.class, () -> x.indexSelect(0, Tensor.of(new long[] {1L << 32})));
        assertMessage(e, "indexSelect", "4294967296", "(3, 4)");
        assertThrows(IndexOutOfBoundsException.class, () -> x.indexSelect(0, Tensor.of(new long[] {3})));
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> x.indexSelect(0, Tensor.of(new float[] {1}))),
                "indexSelect",
                "int32 or int64");
        // scatterAdd of int64 values adds exactly
        Tensor acc = Tensor.zeros(DType.INT64, 2)
                .scatterAdd(0, Tensor.of(new long[] {1, 1}), Tensor.of(new long[] {1L << 40, 1}));
        assertArrayEquals(new long[] {0, (1L << 40) + 1}, acc.longData());
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Tensor.zeros(DType.BOOL, 2).scatterAdd(0, i64, Tensor.ones(DType.BOOL, 2))),
                "scatterAdd",
                "bool");
    }

    // ------------------------------------------------------------------------------ storage only

    @Test
    void halfTypesAreStorageOnly() {
        for (DType dt : new DType[] {DType.FLOAT16, DType.BFLOAT16}) {
            Tensor h = Tensor.of(new float[] {1, 2.5f, -3}).to(dt);
            assertArrayEquals(new float[] {1, 2.5f, -3}, h.toFloatArray());
            assertArrayEquals(new float[] {2, 5, -6}, h.to(DType.FLOAT32).mul(2).floatData());
            String name = dt.toString();
            for (Runnable op : new Runnable[] {
                () -> h.add(h),
                () -> h.mul(2),
                () -> h.sum(),
                () -> h.exp(),
                () -> h.gt(h),
                () -> h.argmax(),
                () -> h.matmul(h),
                () -> h.softmax(0),
                () -> h.cumsum(0)
            }) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op::run);
                assertMessage(e, name, "FLOAT32");
            }
            assertFalse(dt.isFloatingPoint());
            assertTrue(dt.isFloatKind() && dt.isStorageOnly());
            assertEquals(2, dt.byteSize());
            Tensor bits = Tensor.ofBits(dt, new short[] {0x3c00, (short) 0xc000});
            assertEquals(dt == DType.FLOAT16 ? 1.0 : Half.bfloat16ToFloat((short) 0x3c00), bits.getDouble(0));
        }
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofBits(DType.FLOAT32, new short[1]));
    }

    // --------------------------------------------------------------------------------- printing

    @Test
    void printsLikePyTorch() {
        assertEquals(
                "tensor([ True, False])", Tensor.of(new boolean[] {true, false}).toString());
        assertEquals(
                "tensor([[ True, False],\n        [False,  True]])",
                Tensor.of(new boolean[] {true, false, false, true}, 2, 2).toString());
        assertEquals("tensor(True)", Tensor.of(new boolean[] {true}).reshape().toString());
        assertEquals("tensor([  1, -20])", Tensor.of(new long[] {1, -20}).toString());
        assertEquals(
                "tensor([ 9223372036854775807, -9223372036854775808])",
                Tensor.of(new long[] {Long.MAX_VALUE, Long.MIN_VALUE}).toString());
        assertEquals(
                "tensor([1.5000, 2.0000], dtype=float16)",
                Tensor.of(new float[] {1.5f, 2}).to(DType.FLOAT16).toString());
        assertEquals(
                "tensor([1.5000, 2.0000], dtype=bfloat16)",
                Tensor.of(new float[] {1.5f, 2}).to(DType.BFLOAT16).toString());
        assertEquals("tensor([], dtype=bool)", Tensor.zeros(DType.BOOL, 0).toString());
        assertEquals("tensor([], dtype=int64)", Tensor.zeros(DType.INT64, 0).toString());
    }
}
