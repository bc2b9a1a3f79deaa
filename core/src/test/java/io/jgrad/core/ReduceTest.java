package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Reductions over any set of dims, arg-reductions, softmax and cumsum against naive loops. */
class ReduceTest {
    private static final int[] SHAPE = {3, 4, 5};

    // ------------------------------------------------------------------------------ reference

    /** The reduced output shape (keepdim or not). */
    static int[] outShape(int[] shape, boolean[] red, boolean keepdim) {
        List<Integer> os = new ArrayList<>();
        for (int k = 0; k < shape.length; k++) {
            if (!red[k]) {
                os.add(shape[k]);
            } else if (keepdim) {
                os.add(1);
            }
        }
        return os.stream().mapToInt(Integer::intValue).toArray();
    }

    /** For every output element, the reduced input values in row-major order of the reduced dims. */
    static double[][] groups(double[] x, int[] shape, boolean[] red) {
        int[] os = outShape(shape, red, false);
        int groupsN = Ref.numel(os);
        int[] owner = new int[x.length];
        int[] count = new int[groupsN];
        int[] idx = new int[shape.length];
        for (int q = 0; q < x.length; q++) {
            int o = 0;
            for (int k = 0; k < shape.length; k++) {
                if (!red[k]) {
                    o = o * shape[k] + idx[k];
                }
            }
            owner[q] = o;
            count[o]++;
            Ref.next(idx, shape);
        }
        double[][] out = new double[groupsN][];
        for (int g = 0; g < groupsN; g++) {
            out[g] = new double[count[g]];
        }
        int[] fill = new int[groupsN];
        for (int q = 0; q < x.length; q++) {
            out[owner[q]][fill[owner[q]]++] = x[q];
        }
        return out;
    }

    static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    static double sumAbs(double[] v) {
        double s = 0;
        for (double x : v) {
            s += Math.abs(x);
        }
        return s;
    }

    static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            if (Double.isNaN(x)) {
                return x;
            }
            m = Math.max(m, x);
        }
        return m;
    }

    static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            if (Double.isNaN(x)) {
                return x;
            }
            m = Math.min(m, x);
        }
        return m;
    }

    static double var(double[] v, int correction) {
        double m = sum(v) / v.length;
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return s / Math.max(0, v.length - correction);
    }

    static double logsumexp(double[] v) {
        double m = max(v);
        if (Double.isInfinite(m) || Double.isNaN(m)) {
            return m;
        }
        double s = 0;
        for (double x : v) {
            s += Math.exp(x - m);
        }
        return m + Math.log(s);
    }

    static double norm(double[] v, double p) {
        if (p == Double.POSITIVE_INFINITY) {
            double m = 0;
            for (double x : v) {
                m = Math.max(m, Math.abs(x));
            }
            return m;
        }
        if (p == Double.NEGATIVE_INFINITY) {
            double m = Double.POSITIVE_INFINITY;
            for (double x : v) {
                m = Math.min(m, Math.abs(x));
            }
            return m;
        }
        if (p == 0) {
            return Arrays.stream(v).filter(x -> x != 0).count();
        }
        double s = 0;
        for (double x : v) {
            s += Math.pow(Math.abs(x), p);
        }
        return Math.pow(s, 1 / p);
    }

    /** Position of the first maximum (or minimum); the first NaN wins. */
    static int argBest(double[] v, boolean isMax) {
        int best = 0;
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) {
                return i;
            }
            if (isMax ? v[i] > v[best] : v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Every subset of {0, .., rank-1} as a dims array, each written once with negative indices. */
    static List<int[]> allDimSets(int rank) {
        List<int[]> out = new ArrayList<>();
        for (int mask = 1; mask < (1 << rank); mask++) {
            List<Integer> d = new ArrayList<>();
            for (int k = 0; k < rank; k++) {
                if ((mask & (1 << k)) != 0) {
                    d.add(mask % 2 == 0 ? k - rank : k); // mix negative and positive indices
                }
            }
            out.add(d.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    static boolean[] mask(int[] dims, int rank) {
        boolean[] red = new boolean[rank];
        for (int d : dims) {
            red[d < 0 ? d + rank : d] = true;
        }
        return red;
    }

    private static final class Case {
        final String name;
        final BiFunction<Tensor, int[], Tensor> op; // (x, dims) with keepdim passed through KEEP
        final ToDoubleFunction<double[]> ref;
        final double lo;
        final double hi;
        final boolean intOk;
        final boolean sumLike; // error grows with the number of terms

        Case(
                String name,
                BiFunction<Tensor, int[], Tensor> op,
                ToDoubleFunction<double[]> ref,
                double lo,
                double hi,
                boolean intOk,
                boolean sumLike) {
            this.name = name;
            this.op = op;
            this.ref = ref;
            this.lo = lo;
            this.hi = hi;
            this.intOk = intOk;
            this.sumLike = sumLike;
        }
    }

    private static boolean keep;

    private static final Case[] CASES = {
        new Case("sum", (t, d) -> t.sum(d, keep), ReduceTest::sum, -2, 2, true, true),
        new Case("mean", (t, d) -> t.mean(d, keep), v -> sum(v) / v.length, -2, 2, false, true),
        new Case(
                "prod",
                (t, d) -> t.prod(d, keep),
                v -> Arrays.stream(v).reduce(1, (a, b) -> a * b),
                0.6,
                1.6,
                true,
                false),
        new Case("amax", (t, d) -> t.amax(d, keep), ReduceTest::max, -2, 2, true, false),
        new Case("amin", (t, d) -> t.amin(d, keep), ReduceTest::min, -2, 2, true, false),
        new Case("var", (t, d) -> t.var(d, 1, keep), v -> var(v, 1), -2, 2, false, true),
        new Case("var correction 0", (t, d) -> t.var(d, 0, keep), v -> var(v, 0), -2, 2, false, true),
        new Case("std", (t, d) -> t.std(d, 1, keep), v -> Math.sqrt(var(v, 1)), -2, 2, false, true),
        new Case("std correction 0", (t, d) -> t.std(d, 0, keep), v -> Math.sqrt(var(v, 0)), -2, 2, false, true),
        new Case("norm 2", (t, d) -> t.norm(2, d, keep), v -> norm(v, 2), -2, 2, false, true),
        new Case("norm 1", (t, d) -> t.norm(1, d, keep), v -> norm(v, 1), -2, 2, false, true),
        new Case("norm 3", (t, d) -> t.norm(3, d, keep), v -> norm(v, 3), -2, 2, false, true),
        new Case(
                "norm inf",
                (t, d) -> t.norm(Double.POSITIVE_INFINITY, d, keep),
                v -> norm(v, Double.POSITIVE_INFINITY),
                -2,
                2,
                false,
                false),
        new Case(
                "norm -inf",
                (t, d) -> t.norm(Double.NEGATIVE_INFINITY, d, keep),
                v -> norm(v, Double.NEGATIVE_INFINITY),
                -2,
                2,
                false,
                false),
        new Case("logsumexp", (t, d) -> t.logsumexp(d, keep), ReduceTest::logsumexp, -5, 5, false, true),
    };

    private static void check(Case c, DType dt, Tensor x, int[] dims, boolean keepdim, String what) {
        int rank = x.dim();
        boolean[] red = dims == null ? mask(new int[] {0, 1, 2}, rank) : mask(dims, rank);
        if (dims == null) {
            Arrays.fill(red, true);
        }
        double[][] g = groups(Ref.values(x), x.shape(), red);
        int[] os = outShape(x.shape(), red, keepdim);
        double[] e = new double[g.length];
        double[] tol = new double[g.length];
        for (int q = 0; q < g.length; q++) {
            e[q] = c.ref.applyAsDouble(g[q]);
            double scale = c.sumLike ? sumAbs(g[q]) * (c.name.startsWith("logsumexp") ? 0 : 1) : 0;
            tol[q] = dt == DType.FLOAT32
                    ? 2e-6 * Math.abs(e[q]) + 1e-6 * scale + 1e-6
                    : dt == DType.FLOAT64 ? 1e-13 * Math.abs(e[q]) + 1e-14 * scale + 1e-14 : 0;
        }
        keep = keepdim;
        Tensor got = c.op.apply(x, dims);
        assertEquals(dt, got.dtype(), what + ": dtype");
        assertArrayEquals(os, got.shape(), what + ": shape");
        double[] gv = Ref.values(got);
        for (int q = 0; q < e.length; q++) {
            if (!Ref.close(gv[q], e[q], 0, tol[q])) {
                fail(what + ": element " + q + " is " + gv[q] + ", expected " + e[q] + " +- " + tol[q]);
            }
        }
    }

    @Test
    void everyReductionOverEveryDimSetAndLayout() {
        long seed = 1;
        for (Case c : CASES) {
            for (DType dt : Ref.COMPUTE) {
                if (dt.isInteger() && !c.intOk) {
                    continue;
                }
                double[] v = dt.isInteger()
                        ? Ref.ints(++seed, 60, c.name.equals("prod") ? 1 : -9, c.name.equals("prod") ? 2 : 9)
                        : Ref.uniform(++seed, 60, c.lo, c.hi);
                if (!dt.isInteger() && c.name.equals("prod")) {
                    for (int k = 0; k < v.length; k += 3) {
                        v[k] = -v[k];
                    }
                }
                for (Ref.Named n : Ref.layouts(dt, v, SHAPE)) {
                    for (int[] dims : allDimSets(3)) {
                        for (boolean keepdim : new boolean[] {false, true}) {
                            check(
                                    c,
                                    dt,
                                    n.t,
                                    dims,
                                    keepdim,
                                    c.name + " " + dt + " " + n.name + " dims " + Arrays.toString(dims) + " keepdim "
                                            + keepdim);
                        }
                    }
                }
            }
        }
    }

    @Test
    void fullReductionsAndZeroDimTensors() {
        for (DType dt : Ref.FLOATS) {
            double[] v = Ref.uniform(3, 60, -2, 2);
            for (Ref.Named n : Ref.layouts(dt, v, SHAPE)) {
                double[] x = Ref.values(n.t);
                double tol = dt == DType.FLOAT32 ? 1e-5 : 1e-12;
                assertEquals(0, n.t.sum().dim());
                assertEquals(sum(x), n.t.sum().item(), tol, n.name);
                assertEquals(sum(x) / 60, n.t.mean().item(), tol, n.name);
                assertEquals(max(x), n.t.max().item(), 0, n.name);
                assertEquals(min(x), n.t.min().item(), 0, n.name);
                assertEquals(var(x, 1), n.t.var().item(), tol, n.name);
                assertEquals(Math.sqrt(var(x, 1)), n.t.std().item(), tol, n.name);
                assertEquals(norm(x, 2), n.t.norm().item(), tol, n.name);
                assertEquals(norm(x, 1), n.t.norm(1, null, false).item(), tol, n.name);
                assertEquals(norm(x, 2), n.t.norm(2, null, true).reshape().item(), tol, n.name);
                assertArrayEquals(new int[] {1, 1, 1}, n.t.norm(2, null, true).shape());
                assertEquals(
                        norm(x, Double.POSITIVE_INFINITY),
                        n.t.norm(Double.POSITIVE_INFINITY, null, false).item(),
                        0);
                assertEquals(
                        Arrays.stream(x).reduce(1, (a, b) -> a * b),
                        n.t.prod().item(),
                        tol * Math.abs(Arrays.stream(x).reduce(1, (a, b) -> a * b)) * 10);
                assertEquals(argBest(x, true), (int) n.t.argmax().item(), n.name);
                assertEquals(argBest(x, false), (int) n.t.argmin().item(), n.name);
                assertEquals(DType.INT32, n.t.argmax().dtype());
                assertEquals(0, n.t.argmax().dim());
            }
            Tensor s = Ref.tensor(dt, new double[] {2.5});
            assertEquals(2.5, s.sum().item());
            assertEquals(2.5, s.sum(0, true).item());
            assertEquals(0, s.sum(new int[] {0}, false).dim());
            assertEquals(2.5, s.max().item());
            assertEquals(2.5, s.max(0, false).values().item());
            assertEquals(0, s.argmax(0, false).item());
            assertEquals(0, s.argmax().item());
            assertEquals(1, s.softmax(0).item());
            assertEquals(0, s.logSoftmax(0).item());
            assertEquals(2.5, s.cumsum(0).item());
            assertEquals(2.5, s.logsumexp(0, false).item(), 1e-7);
        }
        Tensor i = Tensor.of(new int[] {3, -1, 4, 1, -5, 9}, 2, 3);
        assertEquals(DType.INT32, i.sum().dtype());
        assertEquals(11, i.sum().item());
        assertEquals(9, i.max().item());
        assertEquals(-5, i.min().item());
        assertEquals(5, i.argmax().item());
        assertEquals(540, i.prod().item());
        assertArrayEquals(new int[] {6, 5}, i.sum(1, false).intData());
    }

    @Test
    void emptyReductions() {
        Tensor e = Tensor.zeros(0, 3);
        assertArrayEquals(new float[] {0, 0, 0}, e.sum(0, false).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, e.prod(new int[] {0}, false).toFloatArray());
        assertTrue(Double.isNaN(e.mean(0, false).toFloatArray()[0]), "mean of nothing is NaN");
        assertArrayEquals(new int[] {0}, e.sum(1, false).shape());
        assertEquals(0, e.sum().item());
        assertEquals(Double.NEGATIVE_INFINITY, e.logsumexp(0, false).toDoubleArray()[0]);
        assertThrows(IllegalArgumentException.class, () -> e.amax(new int[] {0}, false));
        assertThrows(IllegalArgumentException.class, () -> e.max(0, false));
        assertThrows(IllegalArgumentException.class, () -> e.max());
    }

    @Test
    void maxMinWithIndicesTiesAndNaN() {
        for (DType dt : Ref.COMPUTE) {
            // ties: the first occurrence wins
            Tensor t = Ref.tensor(dt, new double[] {1, 3, 3, 0, 2, 2, 2, 1, 0, -1, 0, -1}, 3, 4);
            Tensor.ValuesIndices mx = t.max(1, false);
            assertArrayEquals(new double[] {3, 2, 0}, Ref.values(mx.values()), 0);
            assertArrayEquals(new double[] {1, 0, 0}, Ref.values(mx.indices()), 0);
            assertEquals(DType.INT32, mx.indices().dtype());
            assertEquals(dt, mx.values().dtype());
            Tensor.ValuesIndices mn = t.min(-1, true);
            assertArrayEquals(new int[] {3, 1}, mn.values().shape());
            assertArrayEquals(new double[] {0, 1, -1}, Ref.values(mn.values()), 0);
            assertArrayEquals(new double[] {3, 3, 1}, Ref.values(mn.indices()), 0);
            assertArrayEquals(new double[] {1, 0, 0, 1}, Ref.values(t.argmax(0, false)), 0);
            assertArrayEquals(new double[] {2, 2, 2, 2}, Ref.values(t.argmin(0, false)), 0);
            assertArrayEquals(new int[] {1, 4}, t.argmin(0, true).shape());
            assertEquals(1, t.argmax().item(), "flattened argmax, first of the ties");
            assertEquals(9, t.argmin().item());
        }
        for (DType dt : Ref.FLOATS) {
            double nan = Double.NaN;
            Tensor t = Ref.tensor(dt, new double[] {1, nan, 5, nan, 0, 7, 2, 3, 4}, 3, 3);
            Tensor.ValuesIndices mx = t.max(1, false);
            assertArrayEquals(new double[] {nan, nan, 4}, Ref.values(mx.values()), 0);
            assertArrayEquals(new double[] {1, 0, 2}, Ref.values(mx.indices()), 0, "the first NaN is the maximum");
            Tensor.ValuesIndices mn = t.min(0, false);
            assertArrayEquals(new double[] {nan, nan, 4}, Ref.values(mn.values()), 0);
            assertArrayEquals(new double[] {1, 0, 2}, Ref.values(mn.indices()), 0);
            assertTrue(Double.isNaN(t.max().item()));
            assertTrue(Double.isNaN(t.min().item()));
            assertTrue(Double.isNaN(t.sum().item()));
            assertEquals(1, t.argmax().item());
            assertArrayEquals(new double[] {nan, nan, 4}, Ref.values(t.amax(new int[] {1}, false)), 0);
            assertArrayEquals(new double[] {nan, nan, 2}, Ref.values(t.amin(new int[] {-1}, false)), 0);
            Tensor inf = Ref.tensor(dt, new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, 2);
            assertEquals(Double.NEGATIVE_INFINITY, inf.max().item());
            assertEquals(0, inf.argmax().item());
            assertEquals(Double.NEGATIVE_INFINITY, inf.logsumexp(0, false).item());
            assertEquals(
                    Double.POSITIVE_INFINITY,
                    Ref.tensor(dt, new double[] {1, Double.POSITIVE_INFINITY}, 2)
                            .logsumexp(0, false)
                            .item());
        }
        // an arg-reduction over every dim of every layout
        for (DType dt : Ref.COMPUTE) {
            double[] v = Ref.ints(7, 60, -3, 3); // many ties
            for (Ref.Named n : Ref.layouts(dt, v, SHAPE)) {
                for (int d = -3; d < 3; d++) {
                    boolean[] red = mask(new int[] {d}, 3);
                    double[][] g = groups(v, SHAPE, red);
                    for (boolean isMax : new boolean[] {true, false}) {
                        Tensor.ValuesIndices r = isMax ? n.t.max(d, false) : n.t.min(d, false);
                        double[] vals = Ref.values(r.values());
                        double[] idx = Ref.values(r.indices());
                        for (int q = 0; q < g.length; q++) {
                            int want = argBest(g[q], isMax);
                            assertEquals(want, idx[q], n.name + " dim " + d + (isMax ? " max" : " min"));
                            assertEquals(g[q][want], vals[q]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void varianceCorrections() {
        for (DType dt : Ref.FLOATS) {
            Tensor t = Ref.tensor(dt, new double[] {1, 2, 3, 4}, 4);
            assertEquals(1.25, t.var(new int[] {0}, 0, false).item(), 1e-7);
            assertEquals(5.0 / 3, t.var(new int[] {0}, 1, false).item(), 1e-7);
            assertEquals(2.5, t.var(new int[] {0}, 2, false).item(), 1e-7);
            assertEquals(Math.sqrt(5.0 / 3), t.std().item(), 1e-7);
            // one element with correction 1: 0 / 0 is NaN (like PyTorch)
            assertTrue(Double.isNaN(Ref.tensor(dt, new double[] {3}, 1).var().item()));
            // more correction than elements: an infinite variance for a spread sample
            assertEquals(
                    Double.POSITIVE_INFINITY, t.var(new int[] {0}, 5, false).item());
        }
    }

    @Test
    void norms() {
        for (DType dt : Ref.FLOATS) {
            Tensor t = Ref.tensor(dt, new double[] {3, -4, 0, 12}, 2, 2);
            assertEquals(13, t.norm().item(), 1e-6);
            assertArrayEquals(new double[] {3, Math.sqrt(160)}, Ref.values(t.norm(2, new int[] {0}, false)), 1e-5);
            assertArrayEquals(new double[] {7, 12}, Ref.values(t.norm(1, new int[] {1}, false)), 1e-6);
            assertArrayEquals(
                    new double[] {4, 12}, Ref.values(t.norm(Double.POSITIVE_INFINITY, new int[] {1}, false)), 0);
            assertArrayEquals(
                    new double[] {3, 0}, Ref.values(t.norm(Double.NEGATIVE_INFINITY, new int[] {1}, false)), 0);
            assertEquals(3, t.norm(0, null, false).item(), 0, "the 0-norm counts non-zeros");
            assertEquals(Math.cbrt(27 + 64 + 1728), t.norm(3, null, false).item(), 1e-4);
        }
    }

    // ------------------------------------------------------------------------------ softmax

    static double[] softmaxRef(double[] row, boolean log) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : row) {
            m = Math.max(m, x);
        }
        double s = 0;
        for (double x : row) {
            s += Math.exp(x - m);
        }
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = log ? (row[j] - m) - Math.log(s) : Math.exp(row[j] - m) / s;
        }
        return out;
    }

    /** softmax along dim d of x (shape SHAPE-like), by gathering each line along d. */
    static double[] softmaxAlong(double[] x, int[] shape, int d, boolean log) {
        double[] out = new double[x.length];
        int n = shape[d];
        int[] idx = new int[shape.length];
        for (int q = 0; q < x.length; q++) {
            if (idx[d] == 0) {
                double[] row = new double[n];
                int[] j = idx.clone();
                for (int k = 0; k < n; k++) {
                    j[d] = k;
                    row[k] = x[Ref.ravel(j, shape)];
                }
                double[] r = softmaxRef(row, log);
                for (int k = 0; k < n; k++) {
                    j[d] = k;
                    out[Ref.ravel(j, shape)] = r[k];
                }
            }
            Ref.next(idx, shape);
        }
        return out;
    }

    @Test
    void softmaxAndLogSoftmaxAlongEveryDim() {
        for (DType dt : Ref.FLOATS) {
            double[] v = Ref.uniform(11, 60, -6, 6);
            for (Ref.Named n : Ref.layouts(dt, v, SHAPE)) {
                double[] x = Ref.values(n.t);
                for (int d = -3; d < 3; d++) {
                    int dd = d < 0 ? d + 3 : d;
                    for (boolean log : new boolean[] {false, true}) {
                        Tensor got = log ? n.t.logSoftmax(d) : n.t.softmax(d);
                        Ref.assertTensor(
                                (log ? "logSoftmax " : "softmax ") + dt + " " + n.name + " dim " + d,
                                dt,
                                SHAPE,
                                softmaxAlong(x, SHAPE, dd, log),
                                got,
                                Ref.rtol(dt) * 2,
                                Ref.atol(dt));
                    }
                }
            }
        }
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        for (DType dt : Ref.FLOATS) {
            // logits of +-1e4: exact in float, far outside exp's range
            double[] v = {1e4, 1e4 - 1, 1e4 - 2.5, -1e4, 0, 1e4 - 0.5, -1e4, -1e4 + 3, -1e4 + 1, -1e4};
            Tensor t = Ref.tensor(dt, v, 2, 5);
            double[] x = Ref.values(t);
            for (int d : new int[] {0, 1}) {
                for (boolean log : new boolean[] {false, true}) {
                    Tensor got = log ? t.logSoftmax(d) : t.softmax(d);
                    for (double g : Ref.values(got)) {
                        assertTrue(Double.isFinite(g), "finite " + dt + " dim " + d);
                    }
                    Ref.assertTensor(
                            (log ? "logSoftmax" : "softmax") + " of +-1e4 " + dt + " dim " + d,
                            dt,
                            new int[] {2, 5},
                            softmaxAlong(x, new int[] {2, 5}, d, log),
                            got,
                            Ref.rtol(dt) * 2,
                            Ref.atol(dt));
                }
            }
            // an expanded input: every row the same
            Tensor e = Ref.tensor(dt, new double[] {1e4, -1e4, 0.5}, 3).expand(4, 3);
            Ref.assertTensor(
                    "softmax of expanded rows " + dt,
                    dt,
                    new int[] {4, 3},
                    softmaxAlong(Ref.values(e), new int[] {4, 3}, 1, false),
                    e.softmax(-1),
                    Ref.rtol(dt),
                    Ref.atol(dt));
            Ref.assertTensor(
                    "logSoftmax over an expanded dim " + dt,
                    dt,
                    new int[] {4, 3},
                    softmaxAlong(Ref.values(e), new int[] {4, 3}, 0, true),
                    e.logSoftmax(0),
                    Ref.rtol(dt),
                    Ref.atol(dt));
            // a row with -inf entries gets exact zeros there
            Tensor m = Ref.tensor(dt, new double[] {0, Double.NEGATIVE_INFINITY, 0}, 3);
            assertArrayEquals(new double[] {0.5, 0, 0.5}, Ref.values(m.softmax(0)), 1e-7);
            assertArrayEquals(
                    new double[] {-Math.log(2), Double.NEGATIVE_INFINITY, -Math.log(2)},
                    Ref.values(m.logSoftmax(0)),
                    1e-6);
            // logsumexp too
            Tensor big = Ref.tensor(dt, new double[] {1e4, 1e4}, 2);
            assertEquals(1e4 + Math.log(2), big.logsumexp(0, false).item(), dt == DType.FLOAT32 ? 1e-3 : 1e-11);
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> Tensor.of(new int[] {1, 2}).softmax(0));
    }

    @Test
    void cumsumAlongEveryDim() {
        for (DType dt : Ref.COMPUTE) {
            double[] v = dt.isInteger() ? Ref.ints(12, 60, -9, 9) : Ref.uniform(12, 60, -2, 2);
            for (Ref.Named n : Ref.layouts(dt, v, SHAPE)) {
                double[] x = Ref.values(n.t);
                for (int d = -3; d < 3; d++) {
                    int dd = d < 0 ? d + 3 : d;
                    double[] e = new double[60];
                    int[] idx = new int[3];
                    for (int q = 0; q < 60; q++) {
                        int[] j = idx.clone();
                        double s = 0;
                        for (int k = 0; k <= idx[dd]; k++) {
                            j[dd] = k;
                            s += x[Ref.ravel(j, SHAPE)];
                        }
                        e[q] = s;
                        Ref.next(idx, SHAPE);
                    }
                    Ref.assertTensor(
                            "cumsum " + dt + " " + n.name + " dim " + d,
                            dt,
                            SHAPE,
                            e,
                            n.t.cumsum(d),
                            dt.isInteger() ? 0 : Ref.rtol(dt),
                            dt.isInteger() ? 0 : 4 * Ref.atol(dt));
                }
            }
        }
    }

    @Test
    void largeReductionsTakeTheFastAndParallelPaths() {
        for (DType dt : Ref.FLOATS) {
            // many rows reduced over the leading dim (the row-add fast path for float32)
            int rows = 300;
            int cols = 257;
            double[] v = Ref.uniform(21, rows * cols, -1, 1);
            Tensor t = Ref.tensor(dt, v, rows, cols);
            for (Case c : new Case[] {CASES[0], CASES[1], CASES[3], CASES[5], CASES[14]}) {
                check(c, dt, t, new int[] {0}, false, c.name + " over rows " + dt);
                check(c, dt, t, new int[] {1}, true, c.name + " over cols " + dt);
            }
            check(
                    CASES[0],
                    dt,
                    t.unsqueeze(0).expand(2, rows, cols),
                    new int[] {0, 1},
                    false,
                    "sum over expanded rows " + dt);
            // a contiguous block that starts at an offset (rows 3..202)
            check(CASES[0], dt, t.narrow(0, 3, 200), new int[] {0}, false, "sum over a row range " + dt);
            check(
                    CASES[1],
                    dt,
                    t.narrow(0, 3, 200).view(2, 100, cols),
                    new int[] {0, 1},
                    true,
                    "mean over a row range " + dt);
            // many short rows: the parallel split over outputs (grain 2^15 / 3 outputs)
            int n = 30_001;
            double[] w = Ref.uniform(22, n * 3, -3, 3);
            Tensor s = Ref.tensor(dt, w, n, 3);
            check(CASES[0], dt, s, new int[] {1}, false, "sum of short rows " + dt);
            check(CASES[14], dt, s, new int[] {-1}, false, "logsumexp of short rows " + dt);
            Ref.assertTensor(
                    "softmax of short rows " + dt,
                    dt,
                    new int[] {n, 3},
                    softmaxAlong(Ref.values(s), new int[] {n, 3}, 1, false),
                    s.softmax(1),
                    Ref.rtol(dt) * 2,
                    Ref.atol(dt));
            Ref.assertTensor(
                    "logSoftmax of short rows " + dt,
                    dt,
                    new int[] {n, 3},
                    softmaxAlong(Ref.values(s), new int[] {n, 3}, 1, true),
                    s.logSoftmax(1),
                    Ref.rtol(dt) * 2,
                    Ref.atol(dt));
        }
    }

    @Test
    void dimErrors() {
        Tensor t = Tensor.zeros(2, 3);
        IndexOutOfBoundsException ex = assertThrows(IndexOutOfBoundsException.class, () -> t.sum(2, false));
        assertEquals("sum: dimension 2 is out of range for a tensor of rank 2 (expected -2 to 1)", ex.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> t.softmax(-3));
        assertThrows(IndexOutOfBoundsException.class, () -> t.max(5, false));
        assertThrows(IndexOutOfBoundsException.class, () -> t.cumsum(2));
        IllegalArgumentException dup =
                assertThrows(IllegalArgumentException.class, () -> t.sum(new int[] {1, -1}, false));
        assertTrue(dup.getMessage().startsWith("sum: dimension -1 appears twice"), dup.getMessage());
        IllegalArgumentException mean = assertThrows(
                IllegalArgumentException.class,
                () -> Tensor.zeros(DType.INT32, 2).mean());
        assertTrue(mean.getMessage().contains("int32"), mean.getMessage());
    }
}
