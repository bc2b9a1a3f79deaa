package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.kernel.Erf;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Element-wise maps and broadcast binary operations against double-precision references. */
class ElementwiseTest {
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /** Shapes every unary op runs on: a 3-D block, a vector, a 0-d value. */
    private static final int[][] UNARY_SHAPES = {{2, 3, 5}, {7}, {}};

    // ------------------------------------------------------------------------------ references

    /** erf by its Maclaurin series (|x| <= 3) or the Laplace continued fraction of erfc (|x| > 3). */
    static double refErf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax <= 3) {
            double term = ax;
            double sum = ax;
            for (int n = 1; n < 200; n++) {
                term *= -ax * ax / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-18 * Math.abs(sum)) {
                    break;
                }
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), bottom up
            double f = ax;
            for (int k = 60; k >= 1; k--) {
                f = ax + (k / 2.0) / f;
            }
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }

    static double refSigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    static double refSoftplus(double x) {
        return x > 20 ? x : Math.log1p(Math.exp(x));
    }

    static final class UnaryCase {
        final String name;
        final UnaryOperator<Tensor> op;
        final DoubleUnaryOperator ref;
        final double lo;
        final double hi;
        final boolean intOk;
        final double rtol64;

        UnaryCase(
                String name,
                UnaryOperator<Tensor> op,
                DoubleUnaryOperator ref,
                double lo,
                double hi,
                boolean intOk,
                double rtol64) {
            this.name = name;
            this.op = op;
            this.ref = ref;
            this.lo = lo;
            this.hi = hi;
            this.intOk = intOk;
            this.rtol64 = rtol64;
        }
    }

    private static UnaryCase u(
            String name, UnaryOperator<Tensor> op, DoubleUnaryOperator ref, double lo, double hi, boolean intOk) {
        return new UnaryCase(name, op, ref, lo, hi, intOk, 1e-13);
    }

    static final UnaryCase[] UNARY = {
        u("neg", Tensor::neg, x -> -x, -4, 4, true),
        u("abs", Tensor::abs, Math::abs, -4, 4, true),
        u("sign", Tensor::sign, x -> x > 0 ? 1 : x < 0 ? -1 : 0, -4, 4, true),
        u("square", Tensor::square, x -> x * x, -4, 4, true),
        u("relu", Tensor::relu, x -> x > 0 ? x : 0, -4, 4, true),
        u("exp", Tensor::exp, Math::exp, -6, 6, false),
        u("log", Tensor::log, Math::log, 0.01, 5, false),
        u("log1p", Tensor::log1p, Math::log1p, -0.99, 5, false),
        u("expm1", Tensor::expm1, Math::expm1, -3, 3, false),
        u("sqrt", Tensor::sqrt, Math::sqrt, 0, 9, false),
        u("rsqrt", Tensor::rsqrt, x -> 1 / Math.sqrt(x), 0.05, 9, false),
        u("reciprocal", Tensor::reciprocal, x -> 1 / x, 0.1, 4, false),
        u("sin", Tensor::sin, Math::sin, -7, 7, false),
        u("cos", Tensor::cos, Math::cos, -7, 7, false),
        u("tanh", Tensor::tanh, Math::tanh, -5, 5, false),
        u("sigmoid", Tensor::sigmoid, ElementwiseTest::refSigmoid, -12, 12, false),
        u("leakyRelu(0.01)", t -> t.leakyRelu(0.01), x -> x > 0 ? x : 0.01 * x, -4, 4, false),
        u("leakyRelu(0.2)", t -> t.leakyRelu(0.2), x -> x > 0 ? x : 0.2 * x, -4, 4, false),
        u("elu(1)", t -> t.elu(1), x -> x > 0 ? x : Math.exp(x) - 1, -4, 4, false),
        u("elu(0.5)", t -> t.elu(0.5), x -> x > 0 ? x : 0.5 * Math.expm1(x), -4, 4, false),
        u("selu", Tensor::selu, x -> SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)), -4, 4, false),
        // the series reference for erf is itself good to about 1e-13 near |x| = 3
        new UnaryCase("gelu", Tensor::gelu, x -> 0.5 * x * (1 + refErf(x / Math.sqrt(2))), -4, 4, false, 1e-12),
        u(
                "geluTanh",
                Tensor::geluTanh,
                x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
                -4,
                4,
                false),
        u("softplus", Tensor::softplus, ElementwiseTest::refSoftplus, -25, 25, false),
        u("mish", Tensor::mish, x -> x * Math.tanh(Math.log1p(Math.exp(x))), -6, 6, false),
        u("silu", Tensor::silu, x -> x * refSigmoid(x), -8, 8, false),
        u("clamp(-1, 2)", t -> t.clamp(-1, 2), x -> Math.min(Math.max(x, -1), 2), -4, 4, true),
        u("clamp one-sided", t -> t.clamp(Double.NEGATIVE_INFINITY, 1), x -> Math.min(x, 1), -4, 4, true),
    };

    @Test
    void erfKnownValues() {
        // values from the issue, correct to double precision
        double[][] known = {
            {0.5, 0.5204998778130465},
            {1, 0.8427007929497149},
            {2, 0.9953222650189527},
            {-3, -0.9999779095030014},
            {5, 0.9999999999984626},
            {0, 0}
        };
        for (double[] k : known) {
            assertEquals(k[1], Erf.erf(k[0]), 1e-15 * Math.abs(k[1]), "erf(" + k[0] + ")");
        }
        assertEquals(1, Erf.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1, Erf.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
    }

    @Test
    void erfMatchesPythonOnAGrid() {
        for (String[] c : TorchReference.cases("erf")) {
            double x = TorchReference.number(c[0]);
            double want = TorchReference.number(c[1]);
            assertEquals(want, Erf.erf(x), 1e-15 * Math.abs(want), "erf(" + x + ")");
            assertEquals(-want, Erf.erf(-x), 1e-15 * Math.abs(want), "erf is odd at " + x);
            // and the test's own series reference agrees, so it can serve for gelu below
            assertEquals(want, refErf(x), 1e-13 * Math.abs(want) + 1e-300, "reference erf(" + x + ")");
        }
    }

    @Test
    void geluMatchesPyTorchFloat64() {
        for (String[] c : TorchReference.cases("gelu")) {
            double x = TorchReference.number(c[0]);
            double want = TorchReference.number(c[1]);
            double got = Tensor.scalar(DType.FLOAT64, x).gelu().item();
            // for x << 0 both compute x/2 * (1 + erf) with cancellation: allow a few ulps of |x|/2
            assertEquals(want, got, 2e-15 * Math.abs(want) + 4e-16 * Math.abs(x), "gelu(" + x + ")");
            float gf = (float) Tensor.scalar(DType.FLOAT32, x).gelu().item();
            assertEquals((float) want, gf, 2e-6 * Math.abs(want) + 1e-6, "float32 gelu(" + x + ")");
        }
    }

    @Test
    void unaryOpsOnEveryLayoutAndDtype() {
        int seed = 0;
        for (UnaryCase c : UNARY) {
            for (int[] shape : UNARY_SHAPES) {
                for (DType dt : Ref.FLOATS) {
                    double[] v = Ref.uniform(++seed, Ref.numel(shape), c.lo, c.hi);
                    for (Ref.Named n : Ref.layouts(dt, v, shape)) {
                        double[] x = Ref.values(n.t);
                        double[] e = new double[x.length];
                        for (int q = 0; q < x.length; q++) {
                            e[q] = c.ref.applyAsDouble(x[q]);
                        }
                        double rtol = dt == DType.FLOAT32 ? Ref.rtol(dt) : c.rtol64;
                        Ref.assertTensor(
                                c.name + " " + dt + " " + n.name, dt, shape, e, c.op.apply(n.t), rtol, Ref.atol(dt));
                    }
                }
            }
        }
    }

    /** Unary ops with their own float32 loop or kernel call (the rest share one generic loop). */
    private static final java.util.Set<String> FLOAT32_PATHS = java.util.Set.of(
            "neg",
            "abs",
            "square",
            "relu",
            "exp",
            "log",
            "sqrt",
            "tanh",
            "sigmoid",
            "clamp(-1, 2)",
            "gelu",
            "geluTanh",
            "silu");

    @Test
    void unaryOpsOnExpandedInputs() {
        int seed = 500;
        for (UnaryCase c : UNARY) {
            for (DType dt : Ref.FLOATS) {
                double[] v = Ref.rounded(Ref.uniform(++seed, 5, c.lo, c.hi), dt);
                Tensor x = Ref.tensor(dt, v, 5, 1).expand(5, 3).unsqueeze(0).expand(2, 5, 3); // strides (0, 1, 0)
                double[] e = new double[30];
                for (int q = 0; q < 30; q++) {
                    e[q] = c.ref.applyAsDouble(v[(q / 3) % 5]);
                }
                double rtol = dt == DType.FLOAT32 ? Ref.rtol(dt) : c.rtol64;
                Ref.assertTensor(
                        c.name + " expanded " + dt, dt, new int[] {2, 5, 3}, e, c.op.apply(x), rtol, Ref.atol(dt));
            }
        }
    }

    @Test
    void unaryOpsOnLargeTensorsUseEveryThreadAndTail() {
        for (UnaryCase c : UNARY) {
            for (DType dt : Ref.FLOATS) {
                // the parallel split is shared; run each float32 code path, and two float64 ops
                if (dt == DType.FLOAT32
                        ? !FLOAT32_PATHS.contains(c.name)
                        : !c.name.equals("exp") && !c.name.equals("gelu")) {
                    continue;
                }
                int n = 70_001;
                double[] v = Ref.uniform(n + c.name.length(), n, c.lo, c.hi);
                Tensor t = Ref.tensor(dt, v, n);
                double[] x = Ref.values(t);
                double[] e = new double[n];
                for (int q = 0; q < n; q++) {
                    e[q] = c.ref.applyAsDouble(x[q]);
                }
                double rtol = dt == DType.FLOAT32 ? Ref.rtol(dt) : c.rtol64;
                Ref.assertTensor(c.name + " large " + dt, dt, new int[] {n}, e, c.op.apply(t), rtol, Ref.atol(dt));
                // an offset start (a narrowed contiguous view)
                Tensor off = t.narrow(0, 3, n - 10);
                double[] eo = java.util.Arrays.copyOfRange(e, 3, n - 7);
                Ref.assertTensor(
                        c.name + " large narrowed " + dt,
                        dt,
                        new int[] {n - 10},
                        eo,
                        c.op.apply(off),
                        rtol,
                        Ref.atol(dt));
            }
        }
    }

    @Test
    void unaryOpsOnInt32() {
        double[] v = Ref.ints(5, 12, -6, 6);
        for (UnaryCase c : UNARY) {
            for (Ref.Named n : Ref.layouts(DType.INT32, v, 3, 4)) {
                if (c.intOk) {
                    double[] e = new double[12];
                    for (int q = 0; q < 12; q++) {
                        e[q] = c.ref.applyAsDouble(v[q]);
                    }
                    Ref.assertTensor(
                            c.name + " int32 " + n.name, DType.INT32, new int[] {3, 4}, e, c.op.apply(n.t), 0, 0);
                } else {
                    IllegalArgumentException ex =
                            assertThrows(IllegalArgumentException.class, () -> c.op.apply(n.t), c.name + " on int32");
                    assertTrue(
                            ex.getMessage().contains("int32") && ex.getMessage().contains("(3, 4)"), ex.getMessage());
                }
            }
        }
        // integer clamp bounds round inward
        assertArrayEquals(
                new int[] {-1, -1, 0, 2, 2},
                Tensor.of(new int[] {-3, -1, 0, 2, 5}).clamp(-1.5, 2.5).intData());
        IllegalArgumentException ex = assertThrows(
                IllegalArgumentException.class,
                () -> Tensor.of(new int[] {1, 2, 3}).exp());
        assertEquals(
                "exp: expected a floating point tensor, got int32 (3,); convert with to(DType.FLOAT32)",
                ex.getMessage());
    }

    @Test
    void specialValues() {
        for (DType dt : Ref.FLOATS) {
            double nan = Double.NaN;
            double inf = Double.POSITIVE_INFINITY;
            // sigmoid is finite and exact at the extremes
            assertArrayEquals(
                    new double[] {1, 0, 0.5, 1, 0},
                    Ref.values(Ref.tensor(dt, new double[] {1e4, -1e4, 0, inf, -inf}, 5)
                            .sigmoid()),
                    0,
                    "sigmoid " + dt);
            if (dt == DType.FLOAT64) {
                assertEquals(
                        Math.exp(-100) / (1 + Math.exp(-100)),
                        Tensor.scalar(dt, -100).sigmoid().item(),
                        1e-58);
                assertEquals(Math.exp(-700), Tensor.scalar(dt, -700).sigmoid().item(), 1e-310);
            }
            // softplus is linear above the threshold 20 and log1p(exp(x)) at and below it
            assertArrayEquals(
                    new double[] {20.5, 1e4, 0, Math.log1p(Math.exp(20.0)), Math.log(2)},
                    Ref.values(Ref.tensor(dt, new double[] {20.5, 1e4, -1e4, 20, 0}, 5)
                            .softplus()),
                    dt == DType.FLOAT32 ? 2e-6 : 1e-15,
                    "softplus " + dt);
            assertEquals(SELU_SCALE, Tensor.scalar(dt, 1).selu().item(), dt == DType.FLOAT32 ? 1e-7 : 0);
            assertEquals(
                    -SELU_SCALE * SELU_ALPHA,
                    Tensor.scalar(dt, -1e4).selu().item(),
                    dt == DType.FLOAT32 ? 1e-6 : 1e-15);
            assertEquals(-1e4 * 0.01, Tensor.scalar(dt, -1e4).leakyRelu(0.01).item(), 1e-9);
            // NaN stays NaN through clamp, relu, abs, and the activations
            Tensor n = Ref.tensor(dt, new double[] {nan, -2, 7}, 3);
            assertArrayEquals(new double[] {nan, -1, 1}, Ref.values(n.clamp(-1, 1)), 0, "clamp keeps NaN " + dt);
            assertTrue(Double.isNaN(Ref.values(n.relu())[0]));
            assertTrue(Double.isNaN(Ref.values(n.sigmoid())[0]));
            assertTrue(Double.isNaN(Ref.values(n.gelu())[0]));
            assertTrue(Double.isNaN(Ref.values(n.tanh())[0]));
            assertEquals(0, Ref.values(n.sign())[0], "sign(NaN) is 0 like PyTorch");
            assertTrue(Double.isNaN(Ref.values(n.clamp(Double.NEGATIVE_INFINITY, inf))[0]));
            // log of 0 and of a negative number, sqrt of a negative number
            double[] l = Ref.values(Ref.tensor(dt, new double[] {0, -1}, 2).log());
            assertEquals(Double.NEGATIVE_INFINITY, l[0]);
            assertTrue(Double.isNaN(l[1]));
            assertTrue(Double.isNaN(Tensor.scalar(dt, -1).sqrt().item()));
            assertEquals(inf, Tensor.scalar(dt, 1e4).exp().item());
            assertEquals(0, Tensor.scalar(dt, -1e4).exp().item());
            assertEquals(1, Tensor.scalar(dt, 1e4).tanh().item());
            assertEquals(0, Tensor.scalar(dt, -1e4).gelu().item(), 0);
            assertEquals(1e4, Tensor.scalar(dt, 1e4).gelu().item(), 0);
            assertEquals(1e4, Tensor.scalar(dt, 1e4).mish().item(), 0);
            assertEquals(0, Tensor.scalar(dt, -1e4).silu().item(), 0);
        }
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).clamp(1, 0));
    }

    // ------------------------------------------------------------------------------ binary

    private static final int[][][] BROADCAST_PAIRS = {
        {{3, 4}, {3, 4}}, // same shape
        {{3, 4}, {4}}, // row
        {{3, 4}, {3, 1}}, // column
        {{3, 4}, {}}, // scalar on the right
        {{}, {3, 4}}, // scalar on the left
        {{3, 1}, {1, 4}}, // both sides grow
        {{2, 3, 4}, {3, 1}}, // rank mismatch
        {{4}, {2, 3, 4}}, // rank mismatch, left smaller
        {{2, 1, 4}, {3, 1}}, // both sides, rank mismatch
        {{1}, {5}},
        {{5}, {1, 1}},
        {{0, 3}, {3}}, // empty
        {{}, {}},
    };

    private static final class BinaryCase {
        final String name;
        final BinaryOperator<Tensor> op;
        final DoubleBinaryOperator ref;
        final boolean intOk;
        final boolean positiveLeft;
        final boolean mask;

        BinaryCase(
                String name, BinaryOperator<Tensor> op, DoubleBinaryOperator ref, boolean intOk, boolean positiveLeft) {
            this.mask = List.of("eq", "ne", "lt", "le", "gt", "ge").contains(name);
            this.name = name;
            this.op = op;
            this.ref = ref;
            this.intOk = intOk;
            this.positiveLeft = positiveLeft;
        }
    }

    private static final BinaryCase[] BINARY = {
        new BinaryCase("add", Tensor::add, (a, b) -> a + b, true, false),
        new BinaryCase("sub", Tensor::sub, (a, b) -> a - b, true, false),
        new BinaryCase("mul", Tensor::mul, (a, b) -> a * b, true, false),
        new BinaryCase("div", Tensor::div, (a, b) -> a / b, false, false),
        new BinaryCase("pow", Tensor::pow, Math::pow, false, true),
        new BinaryCase("maximum", Tensor::maximum, Math::max, true, false),
        new BinaryCase("minimum", Tensor::minimum, Math::min, true, false),
        new BinaryCase("eq", Tensor::eq, (a, b) -> a == b ? 1 : 0, true, false),
        new BinaryCase("ne", Tensor::ne, (a, b) -> a != b ? 1 : 0, true, false),
        new BinaryCase("lt", Tensor::lt, (a, b) -> a < b ? 1 : 0, true, false),
        new BinaryCase("le", Tensor::le, (a, b) -> a <= b ? 1 : 0, true, false),
        new BinaryCase("gt", Tensor::gt, (a, b) -> a > b ? 1 : 0, true, false),
        new BinaryCase("ge", Tensor::ge, (a, b) -> a >= b ? 1 : 0, true, false),
        new BinaryCase("add alpha", (a, b) -> a.add(b, -2.5), (a, b) -> a - 2.5 * b, false, false),
    };

    /** Values for the operands: small integers and halves, so comparisons see ties; no zeros for div. */
    private static double[] operand(long seed, int n, boolean positive, DType dt) {
        double[] v = dt.isInteger() ? Ref.ints(seed, n, -4, 4) : Ref.ints(seed, n, -8, 8);
        for (int k = 0; k < n; k++) {
            if (!dt.isInteger()) {
                v[k] = v[k] / 2 + (v[k] == 0 ? 0.75 : 0);
            }
            if (positive) {
                v[k] = Math.abs(v[k]) + 0.5;
            }
        }
        return v;
    }

    private static void checkBinary(BinaryCase c, DType dt, int[] sa, int[] sb, Tensor a, Tensor b, String what) {
        int[] so = Ref.broadcast(sa, sb);
        double[] av = Ref.values(a);
        double[] bv = Ref.values(b);
        double[] e = new double[Ref.numel(so)];
        int[] idx = new int[so.length];
        for (int q = 0; q < e.length; q++) {
            e[q] = c.ref.applyAsDouble(av[Ref.broadcastIndex(idx, sa)], bv[Ref.broadcastIndex(idx, sb)]);
            Ref.next(idx, so);
        }
        double tol = dt.isInteger() ? 0 : Ref.rtol(dt);
        // comparisons give BOOL masks whatever the operands' type
        DType expected = c.mask ? DType.BOOL : dt;
        Ref.assertTensor(what, expected, so, e, c.op.apply(a, b), tol, dt.isInteger() ? 0 : Ref.atol(dt));
    }

    @Test
    void binaryOpsBroadcastInEveryPattern() {
        long seed = 100;
        for (BinaryCase c : BINARY) {
            for (DType dt : Ref.COMPUTE) {
                if (dt.isInteger() && !c.intOk) {
                    continue;
                }
                for (int[][] pair : BROADCAST_PAIRS) {
                    int[] sa = pair[0];
                    int[] sb = pair[1];
                    double[] av = operand(++seed, Ref.numel(sa), c.positiveLeft, dt);
                    double[] bv = operand(++seed, Ref.numel(sb), false, dt);
                    String base = c.name + " " + dt + " " + java.util.Arrays.toString(sa) + " & "
                            + java.util.Arrays.toString(sb);
                    Tensor bc = Ref.tensor(dt, bv, sb);
                    for (Ref.Named na : Ref.layouts(dt, av, sa)) {
                        checkBinary(c, dt, sa, sb, na.t, bc, base + " (left " + na.name + ")");
                    }
                    Tensor ac = Ref.tensor(dt, av, sa);
                    for (Ref.Named nb : Ref.layouts(dt, bv, sb)) {
                        checkBinary(c, dt, sa, sb, ac, nb.t, base + " (right " + nb.name + ")");
                    }
                }
            }
        }
    }

    @Test
    void binaryOpsOnExpandedOperands() {
        for (BinaryCase c : BINARY) {
            for (DType dt : Ref.COMPUTE) {
                if (dt.isInteger() && !c.intOk) {
                    continue;
                }
                // a (3, 1) column expanded to (3, 4) and a (4,) row expanded to (2, 3, 4): stride-0 inputs
                Tensor col =
                        Ref.tensor(dt, operand(7, 3, c.positiveLeft, dt), 3, 1).expand(3, 4);
                Tensor row = Ref.tensor(dt, operand(8, 4, false, dt), 4).expand(2, 3, 4);
                checkBinary(c, dt, new int[] {3, 4}, new int[] {2, 3, 4}, col, row, c.name + " expanded " + dt);
                Tensor full = Ref.tensor(dt, operand(9, 12, false, dt), 3, 4);
                checkBinary(
                        c,
                        dt,
                        new int[] {3, 4},
                        new int[] {3, 4},
                        col,
                        full.t().contiguous().t(),
                        c.name + " expanded & transposed " + dt);
            }
        }
    }

    @Test
    void binaryOpsOnLargeTensors() {
        // the float32 arithmetic ops have kernel fast paths; pow and a comparison take the generic loop;
        // float64 and int32 have one loop each
        for (BinaryCase c : new BinaryCase[] {BINARY[0], BINARY[1], BINARY[2], BINARY[3], BINARY[4], BINARY[9]}) {
            for (DType dt : Ref.COMPUTE) {
                if (dt != DType.FLOAT32 && c != BINARY[0]) {
                    continue;
                }
                int n = 70_003;
                Tensor a = Ref.tensor(dt, operand(n, n, c.positiveLeft, dt), n);
                Tensor b = Ref.tensor(dt, operand(n + 1, n, false, dt), n);
                Tensor s = Ref.tensor(dt, operand(n + 2, 1, false, dt));
                Tensor sl = Ref.tensor(dt, operand(n + 5, 1, c.positiveLeft, dt));
                checkBinary(c, dt, new int[] {n}, new int[] {n}, a, b, c.name + " large " + dt);
                checkBinary(c, dt, new int[] {n}, new int[0], a, s, c.name + " large & scalar " + dt);
                checkBinary(c, dt, new int[0], new int[] {n}, sl, b, c.name + " scalar & large " + dt);
                checkBinary(
                        c,
                        dt,
                        new int[] {n - 10},
                        new int[] {n - 10},
                        a.narrow(0, 7, n - 10),
                        b.narrow(0, 2, n - 10),
                        c.name + " large at offsets " + dt);
                if (c != BINARY[0] && c != BINARY[4]) {
                    continue;
                }
                // rows of 7 with a broadcast row, over many rows
                Tensor m = Ref.tensor(dt, operand(n + 3, 7001 * 7, c.positiveLeft, dt), 7001, 7);
                Tensor r = Ref.tensor(dt, operand(n + 4, 7, false, dt), 7);
                checkBinary(c, dt, new int[] {7001, 7}, new int[] {7}, m, r, c.name + " many rows " + dt);
                Tensor col =
                        Ref.tensor(dt, operand(n + 6, 7001, false, dt), 1, 7001).t(); // (7001, 1)
                checkBinary(
                        c,
                        dt,
                        new int[] {7001, 7},
                        new int[] {7001, 1},
                        m.t().contiguous().t(),
                        col,
                        c.name + " many rows transposed " + dt);
            }
        }
    }

    @Test
    void scalarVariants() {
        for (DType dt : Ref.FLOATS) {
            double[] v = operand(3, 12, false, dt);
            for (Ref.Named n : Ref.layouts(dt, v, 3, 4)) {
                double[] x = Ref.values(n.t);
                String w = dt + " " + n.name;
                check(w + " add", n.t.add(1.5), x, a -> a + 1.5, dt);
                check(w + " sub", n.t.sub(1.5), x, a -> a - 1.5, dt);
                check(w + " rsub", n.t.rsub(1.5), x, a -> 1.5 - a, dt);
                check(w + " mul", n.t.mul(-3), x, a -> -3 * a, dt);
                check(w + " div", n.t.div(4), x, a -> a / 4, dt);
                check(w + " rdiv", n.t.rdiv(2), x, a -> 2 / a, dt);
                check(w + " pow 2", n.t.pow(2), x, a -> a * a, dt);
                check(w + " pow 0.5 of |x|", n.t.abs().pow(0.5), x, a -> Math.sqrt(Math.abs(a)), dt);
                check(w + " pow -1", n.t.pow(-1), x, a -> 1 / a, dt);
                check(w + " eq", n.t.eq(0.5), x, a -> a == 0.5 ? 1 : 0, DType.BOOL);
                check(w + " ne", n.t.ne(0.5), x, a -> a != 0.5 ? 1 : 0, DType.BOOL);
                check(w + " lt", n.t.lt(0.5), x, a -> a < 0.5 ? 1 : 0, DType.BOOL);
                check(w + " le", n.t.le(0.5), x, a -> a <= 0.5 ? 1 : 0, DType.BOOL);
                check(w + " gt", n.t.gt(0.5), x, a -> a > 0.5 ? 1 : 0, DType.BOOL);
                check(w + " ge", n.t.ge(0.5), x, a -> a >= 0.5 ? 1 : 0, DType.BOOL);
            }
        }
        Tensor i = Tensor.of(new int[] {-2, 0, 3});
        assertArrayEquals(new int[] {1, 3, 6}, i.add(3).intData());
        assertArrayEquals(new int[] {-6, 0, 9}, i.mul(3).intData());
        assertArrayEquals(new int[] {3, 1, -2}, i.rsub(1).intData());
        assertArrayEquals(new byte[] {1, 0, 0}, i.lt(0).boolData());
        assertEquals(DType.BOOL, i.eq(0).dtype(), "comparisons give BOOL masks");
    }

    private static void check(String what, Tensor got, double[] x, DoubleUnaryOperator f, DType dt) {
        double[] e = new double[x.length];
        for (int q = 0; q < x.length; q++) {
            e[q] = f.applyAsDouble(x[q]);
        }
        double rtol = dt == DType.BOOL ? 0 : Ref.rtol(dt);
        Ref.assertTensor(what, dt, new int[] {3, 4}, e, got, rtol, dt == DType.BOOL ? 0 : Ref.atol(dt));
    }

    @Test
    void maximumMinimumPropagateNaN() {
        for (DType dt : Ref.FLOATS) {
            double nan = Double.NaN;
            Tensor a = Ref.tensor(dt, new double[] {nan, 1, 2, nan}, 4);
            Tensor b = Ref.tensor(dt, new double[] {0, nan, 1, nan}, 4);
            assertArrayEquals(new double[] {nan, nan, 2, nan}, Ref.values(a.maximum(b)), 0);
            assertArrayEquals(new double[] {nan, nan, 1, nan}, Ref.values(a.minimum(b)), 0);
            Tensor s = Ref.tensor(dt, new double[] {nan});
            assertArrayEquals(new double[] {nan, nan, nan, nan}, Ref.values(b.maximum(s)), 0);
            // comparisons with NaN are false, except ne
            assertArrayEquals(new double[] {0, 1, 1, 0}, Ref.values(a.eq(a)), 0);
            assertArrayEquals(new double[] {1, 0, 0, 1}, Ref.values(a.ne(a)), 0);
            assertArrayEquals(new double[] {0, 0, 1, 0}, Ref.values(a.gt(b)), 0);
            // +-0 and infinities
            Tensor z = Ref.tensor(dt, new double[] {Double.NEGATIVE_INFINITY, -0.0, Double.POSITIVE_INFINITY}, 3);
            assertArrayEquals(
                    new double[] {0, 0, Double.POSITIVE_INFINITY},
                    Ref.values(z.maximum(Ref.tensor(dt, new double[] {0}))),
                    0);
        }
    }

    @Test
    void whereAndMaskedFill() {
        for (DType dt : DType.values()) {
            if (dt == DType.BOOL) {
                continue; // the values below are not 0 and 1; BoolTest covers where on masks
            }
            for (DType maskType : DType.values()) {
                double[] cv = {1, 0, 0, 2, 0, 1};
                Tensor cond = Ref.tensor(maskType, cv, 2, 3);
                Tensor a = Ref.tensor(dt, new double[] {10, 20, 30}, 3); // row, broadcast
                Tensor b = Ref.tensor(dt, new double[] {-1, -2}, 2, 1); // column, broadcast
                Tensor w = Tensor.where(cond, a, b);
                Ref.assertTensor(
                        "where " + dt + " mask " + maskType,
                        dt,
                        new int[] {2, 3},
                        new double[] {10, -1, -1, 10, -2, 30},
                        w,
                        0,
                        0);
                // non-contiguous condition and broadcast condition
                Tensor wt = Tensor.where(cond.t(), b.t().expand(3, 2), Ref.tensor(dt, new double[] {7}));
                Ref.assertTensor(
                        "where transposed " + dt, dt, new int[] {3, 2}, new double[] {-1, -2, 7, 7, 7, -2}, wt, 0, 0);
                Tensor wr = Tensor.where(
                        Ref.tensor(maskType, new double[] {0, 1, 0}, 3),
                        Ref.tensor(dt, new double[] {1, 2, 3, 4, 5, 6}, 2, 3),
                        Ref.tensor(dt, new double[] {0}));
                Ref.assertTensor(
                        "where broadcast condition " + dt,
                        dt,
                        new int[] {2, 3},
                        new double[] {0, 2, 0, 0, 5, 0},
                        wr,
                        0,
                        0);
                // maskedFill with a broadcast mask, on a transposed tensor
                Tensor x = Ref.tensor(dt, new double[] {1, 2, 3, 4, 5, 6}, 3, 2).t(); // (2, 3) = [[1,3,5],[2,4,6]]
                Tensor m = Ref.tensor(maskType, new double[] {1, 0, 1}, 3);
                Ref.assertTensor(
                        "maskedFill " + dt,
                        dt,
                        new int[] {2, 3},
                        new double[] {-9, 3, -9, -9, 4, -9},
                        x.maskedFill(m, -9),
                        0,
                        0);
                assertArrayEquals(
                        new double[] {1, 3, 5, 2, 4, 6}, Ref.values(x), 0, "maskedFill does not write its input");
            }
        }
        // a mask from a comparison
        Tensor x = Tensor.of(new float[] {-1, 2, -3, 4});
        assertArrayEquals(new float[] {0, 2, 0, 4}, x.maskedFill(x.lt(0), 0).toFloatArray());
        assertArrayEquals(
                new float[] {1, 2, 3, 4}, Tensor.where(x.gt(0), x, x.neg()).toFloatArray());
        IllegalArgumentException ex = assertThrows(
                IllegalArgumentException.class, () -> Tensor.zeros(3).maskedFill(Tensor.zeros(2, 3), 1));
        assertEquals("maskedFill: mask of shape (2, 3) does not broadcast to the tensor's shape (3,)", ex.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Tensor.of(new int[] {1, 2}).maskedFill(Tensor.zeros(2), 0.5));
        assertThrows(
                IllegalArgumentException.class,
                () -> Tensor.where(Tensor.zeros(2), Tensor.zeros(2), Tensor.zeros(DType.FLOAT64, 2)));
    }

    @Test
    void int32Rules() {
        Tensor a = Tensor.of(new int[] {1, 2, 3});
        Tensor b = Tensor.of(new int[] {4, 5, 6});
        assertArrayEquals(new int[] {5, 7, 9}, a.add(b).intData());
        IllegalArgumentException div = assertThrows(IllegalArgumentException.class, () -> a.div(b));
        assertEquals(
                "div: not supported for int32 tensors (3,) and (3,); convert with to(DType.FLOAT32)", div.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.pow(b));
        assertThrows(IllegalArgumentException.class, () -> a.div(2));
        assertThrows(IllegalArgumentException.class, () -> a.rdiv(2));
        IllegalArgumentException mul = assertThrows(IllegalArgumentException.class, () -> a.mul(2.5));
        assertEquals(
                "mul: scalar 2.5 is not an integer, but the tensor is int32 (3,); convert with to(DType.FLOAT32)",
                mul.getMessage());
        Tensor promoted = a.add(Tensor.of(new float[] {1, 2, 3}));
        assertEquals(DType.FLOAT32, promoted.dtype(), "int32 + float32 promotes to float32");
        assertArrayEquals(new float[] {2, 4, 6}, promoted.floatData());
        assertArrayEquals(
                new float[] {0.5f, 1, 1.5f}, a.to(DType.FLOAT32).div(2).floatData());
    }

    @Test
    void mixedTypesPromoteAndShapeErrorsComeFirst() {
        Tensor sum = Tensor.full(0.5, 2, 3).add(Tensor.full(DType.FLOAT64, 0.25, 3));
        assertEquals(DType.FLOAT64, sum.dtype());
        assertArrayEquals(new double[] {0.75, 0.75, 0.75, 0.75, 0.75, 0.75}, sum.toDoubleArray());
        Tensor max = Tensor.of(new int[] {1, -5, 3, 4}).maximum(Tensor.full(-1.5, 4));
        assertEquals(DType.FLOAT32, max.dtype());
        assertArrayEquals(new float[] {1, -1.5f, 3, 4}, max.floatData());
        IllegalArgumentException ex = assertThrows(
                IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(DType.FLOAT64, 4)));
        assertTrue(ex.getMessage().startsWith("add:") && ex.getMessage().contains("(2, 3)"), ex.getMessage());
    }
}
