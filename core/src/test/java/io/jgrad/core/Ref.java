package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test helpers: naive references that never go through the code under test. Values are read
 * straight from the storage arrays with {@code offset + sum(index * stride)}, and the layouts that
 * tests feed to operations (transposed, permuted, sliced with steps, narrowed) are built by hand
 * from raw arrays, so that a bug in a copy or view path cannot hide itself.
 */
final class Ref {
    /** Float dtypes that every op runs in. */
    static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};
    /** The types with arithmetic: the floats and the integers. */
    static final DType[] COMPUTE = {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64};
    /** Every type that holds small integers exactly (all but BOOL). */
    static final DType[] NUMERIC = {
        DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.FLOAT16, DType.BFLOAT16
    };

    private Ref() {}

    /** A tensor together with a name for failure messages. */
    static final class Named {
        final String name;
        final Tensor t;

        Named(String name, Tensor t) {
            this.name = name;
            this.t = t;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    // ------------------------------------------------------------------------------------ indices

    static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** Row-major multi-index of flat position {@code q}. */
    static int[] unravel(int q, int[] shape) {
        int[] idx = new int[shape.length];
        for (int k = shape.length - 1; k >= 0; k--) {
            idx[k] = q % shape[k];
            q /= shape[k];
        }
        return idx;
    }

    /** Row-major flat position of a multi-index. */
    static int ravel(int[] idx, int[] shape) {
        int q = 0;
        for (int k = 0; k < shape.length; k++) {
            q = q * shape[k] + idx[k];
        }
        return q;
    }

    /** The storage position of a multi-index, from the tensor's offset and strides. */
    static int position(Tensor t, int[] idx) {
        int[] st = t.strides();
        int p = t.offset();
        for (int k = 0; k < idx.length; k++) {
            p += idx[k] * st[k];
        }
        return p;
    }

    /** One raw storage element as a double. */
    static double raw(Tensor t, int p) {
        switch (t.dtype()) {
            case FLOAT32:
                return t.floatData()[p];
            case FLOAT64:
                return t.doubleData()[p];
            case INT32:
                return t.intData()[p];
            case INT64:
                return t.longData()[p];
            case BOOL:
                return t.boolData()[p];
            case FLOAT16:
                return Half.halfToFloat(t.halfData()[p]);
            default:
                return Half.bfloat16ToFloat(t.halfData()[p]);
        }
    }

    /** Element at a multi-index, read straight from storage. */
    static double at(Tensor t, int... idx) {
        return raw(t, position(t, idx));
    }

    /** All logical values in row-major order, read straight from storage. */
    static double[] values(Tensor t) {
        int[] shape = t.shape();
        int n = numel(shape);
        double[] out = new double[n];
        int[] idx = new int[shape.length];
        int[] st = t.strides();
        for (int q = 0; q < n; q++) {
            int p = t.offset();
            for (int k = 0; k < idx.length; k++) {
                p += idx[k] * st[k];
            }
            out[q] = raw(t, p);
            next(idx, shape);
        }
        return out;
    }

    /** Advances a row-major multi-index by one (an odometer). */
    static void next(int[] idx, int[] shape) {
        for (int k = shape.length - 1; k >= 0; k--) {
            if (++idx[k] < shape[k]) {
                return;
            }
            idx[k] = 0;
        }
    }

    // ------------------------------------------------------------------------------------ data

    /** Uniform values in [lo, hi) from java.util.Random (independent of jgrad's Generator). */
    static double[] uniform(long seed, int n, double lo, double hi) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = lo + (hi - lo) * r.nextDouble();
        }
        return v;
    }

    /** Small integers in [lo, hi]. */
    static double[] ints(long seed, int n, int lo, int hi) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = lo + r.nextInt(hi - lo + 1);
        }
        return v;
    }

    /** Values rounded to what a tensor of {@code dt} stores. */
    static double[] rounded(double[] v, DType dt) {
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = dt == DType.FLOAT32
                    ? (float) v[k]
                    : dt == DType.INT32 ? (int) v[k] : dt == DType.INT64 ? (long) v[k] : v[k];
        }
        return out;
    }

    /**
     * A raw storage of {@code n} elements of {@code dt} filled with {@code fill}: a Java array for the
     * types with arithmetic, a {@link Storage} (converting element by element) for BOOL and the 16-bit
     * floats.
     */
    private static Object array(DType dt, int n, double fill) {
        switch (dt) {
            case FLOAT32: {
                float[] a = new float[n];
                java.util.Arrays.fill(a, (float) fill);
                return a;
            }
            case FLOAT64: {
                double[] a = new double[n];
                java.util.Arrays.fill(a, fill);
                return a;
            }
            case INT64: {
                long[] a = new long[n];
                java.util.Arrays.fill(a, (long) fill);
                return a;
            }
            case INT32: {
                int[] a = new int[n];
                java.util.Arrays.fill(a, (int) fill);
                return a;
            }
            default: {
                Storage st = Storage.allocate(dt, n);
                for (int k = 0; k < n; k++) {
                    st.set(k, fill);
                }
                return st;
            }
        }
    }

    private static void put(Object arr, int p, double v) {
        if (arr instanceof float[]) {
            ((float[]) arr)[p] = (float) v;
        } else if (arr instanceof double[]) {
            ((double[]) arr)[p] = v;
        } else if (arr instanceof long[]) {
            ((long[]) arr)[p] = (long) v;
        } else if (arr instanceof Storage) {
            ((Storage) arr).set(p, v);
        } else {
            ((int[]) arr)[p] = (int) v;
        }
    }

    private static Tensor wrap(Object arr, int... shape) {
        if (arr instanceof float[]) {
            return Tensor.wrap((float[]) arr, shape);
        }
        if (arr instanceof double[]) {
            return Tensor.wrap((double[]) arr, shape);
        }
        if (arr instanceof long[]) {
            return Tensor.wrap((long[]) arr, shape);
        }
        if (arr instanceof Storage) {
            Storage st = (Storage) arr;
            int[] sh = shape.length == 0 ? new int[] {st.length()} : shape;
            assertEquals(st.length(), numel(sh), "Ref.wrap: storage size");
            return new Tensor(st, 0, sh, Shape.contiguousStrides(sh));
        }
        return Tensor.wrap((int[]) arr, shape);
    }

    /** A contiguous tensor of {@code dt} holding {@code v} (row-major) with the given shape. */
    static Tensor tensor(DType dt, double[] v, int... shape) {
        Object a = array(dt, v.length, 0);
        for (int k = 0; k < v.length; k++) {
            put(a, k, v[k]);
        }
        // wrap() without a shape means 1-D, so a 0-d tensor is a reshaped one-element vector
        return shape.length == 0 ? wrap(a, 1).reshape() : wrap(a, shape);
    }

    /**
     * The same logical values (row-major {@code v} of shape {@code shape}) in several memory
     * layouts: contiguous; permuted (storage holds the reversed-dims transpose, viewed back);
     * sliced with step 2 and an offset in every dimension; narrowed out of a larger tensor. Unused
     * storage is filled with a poison value (NaN, or a huge int) so reading a wrong element shows.
     */
    static List<Named> layouts(DType dt, double[] v, int... shape) {
        int r = shape.length;
        int n = numel(shape);
        double poison = dt.isInteger() ? 1_000_000_007 : Double.NaN;
        List<Named> out = new ArrayList<>();
        out.add(new Named("contiguous", tensor(dt, v, shape)));
        if (r >= 2) {
            // storage holds dims in reverse order; permute back to the logical order
            int[] ps = new int[r];
            int[] perm = new int[r];
            for (int k = 0; k < r; k++) {
                ps[k] = shape[r - 1 - k];
                perm[k] = r - 1 - k;
            }
            Object a = array(dt, n, poison);
            for (int q = 0; q < n; q++) {
                int[] idx = unravel(q, shape);
                int[] pidx = new int[r];
                for (int k = 0; k < r; k++) {
                    pidx[k] = idx[r - 1 - k];
                }
                put(a, ravel(pidx, ps), v[q]);
            }
            out.add(new Named("permuted", wrap(a, ps).permute(perm)));
        }
        if (r >= 1) {
            // element i of each dim sits at 2 * i + 1 of a (2 n + 1)-sized dim
            int[] ps = new int[r];
            for (int k = 0; k < r; k++) {
                ps[k] = 2 * shape[k] + 1;
            }
            Object a = array(dt, numel(ps), poison);
            for (int q = 0; q < n; q++) {
                int[] idx = unravel(q, shape);
                int[] pidx = new int[r];
                for (int k = 0; k < r; k++) {
                    pidx[k] = 2 * idx[k] + 1;
                }
                put(a, ravel(pidx, ps), v[q]);
            }
            Tensor t = wrap(a, ps);
            for (int k = 0; k < r; k++) {
                t = t.slice(k, 1, ps[k], 2);
            }
            out.add(new Named("stepped", t));
            // narrowed: one extra row in front of dim 0 and three extra columns around the last dim
            // (for a vector both are the same dim: four extra elements, start at 3)
            int[] ns = shape.clone();
            ns[0] += 1;
            ns[r - 1] += 3;
            Object b = array(dt, numel(ns), poison);
            for (int q = 0; q < n; q++) {
                int[] idx = unravel(q, shape);
                int[] pidx = idx.clone();
                pidx[0] += 1;
                pidx[r - 1] += 2;
                put(b, ravel(pidx, ns), v[q]);
            }
            Tensor u = r == 1
                    ? wrap(b, ns).narrow(0, 3, shape[0])
                    : wrap(b, ns).narrow(0, 1, shape[0]).narrow(r - 1, 2, shape[r - 1]);
            out.add(new Named("narrowed", u));
        } else {
            // a 0-d view into the middle of a vector
            Object a = array(dt, 3, poison);
            put(a, 1, v[0]);
            out.add(new Named("selected", wrap(a, 3).select(0, 1)));
        }
        for (Named t : out) {
            // the layouts must really hold the intended values (this also checks the views)
            assertArrayEquals(rounded(v, dt), values(t.t), 0.0, "layout " + t.name);
            assertArrayEquals(shape, t.t.shape(), "layout " + t.name);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------ asserts

    /** True when {@code a} and {@code e} agree within {@code atol + rtol * |e|}; NaN equals NaN. */
    static boolean close(double a, double e, double rtol, double atol) {
        if (Double.isNaN(e) || Double.isNaN(a)) {
            return Double.isNaN(e) && Double.isNaN(a);
        }
        if (Double.isInfinite(e) || Double.isInfinite(a)) {
            return a == e;
        }
        return Math.abs(a - e) <= atol + rtol * Math.abs(e);
    }

    /** Checks dtype, shape and every value of {@code actual} against a row-major reference. */
    static void assertTensor(
            String what, DType dt, int[] shape, double[] expected, Tensor actual, double rtol, double atol) {
        assertEquals(dt, actual.dtype(), what + ": dtype");
        assertArrayEquals(shape, actual.shape(), what + ": shape");
        double[] got = values(actual);
        assertEquals(expected.length, got.length, what + ": numel");
        for (int q = 0; q < got.length; q++) {
            if (!close(got[q], expected[q], rtol, atol)) {
                fail(what + ": element " + java.util.Arrays.toString(unravel(q, shape)) + " is " + got[q]
                        + ", expected " + expected[q] + " (rtol " + rtol + ", atol " + atol + ")");
            }
        }
    }

    /** Float32 results are rounded once from a double computation: a few units in the last place. */
    static double rtol(DType dt) {
        return dt == DType.FLOAT32 ? 2e-6 : 1e-13;
    }

    static double atol(DType dt) {
        return dt == DType.FLOAT32 ? 1e-6 : 1e-13;
    }

    /** Broadcast shape of two shapes, written independently of Shape.broadcast. */
    static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            int da = k - (n - a.length) >= 0 ? a[k - (n - a.length)] : 1;
            int db = k - (n - b.length) >= 0 ? b[k - (n - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new AssertionError("test bug: shapes do not broadcast");
            }
            out[k] = da == 1 ? db : da;
        }
        return out;
    }

    /** The row-major index into an operand of shape {@code s} for output index {@code idx} (broadcast). */
    static int broadcastIndex(int[] idx, int[] s) {
        int lead = idx.length - s.length;
        int q = 0;
        for (int k = 0; k < s.length; k++) {
            q = q * s[k] + (s[k] == 1 ? 0 : idx[lead + k]);
        }
        return q;
    }
}
