package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The element-wise, reduction, softmax and Adam kernels of every implementation against naive loops
 * written here (in double where rounding matters), on lengths that hit every vector tail and unrolled
 * main loop, at odd offsets.
 */
class ElementwiseKernelsTest {
    /** Lengths around the 4-, 8-, 16-lane vectors and the 4x-unrolled reduction loops. */
    static final int[] LENGTHS = {
        0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 4099
    };

    private static final int OA = 3;
    private static final int OB = 6;
    private static final int OO = 1;

    static float[] random(SplittableRandom r, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return x;
    }

    interface Binary {
        void run(Kernels k, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);
    }

    interface Expected {
        float at(float a, float b);
    }

    /** Exact (bitwise) results: IEEE-754 +, -, *, / are correctly rounded in every implementation. */
    private static void checkBinary(String op, Binary f, Expected e) {
        SplittableRandom r = new SplittableRandom(op.hashCode());
        for (Kernels k : KernelSets.all()) {
            for (int n : LENGTHS) {
                float[] a = random(r, OA + n, 10);
                float[] b = random(r, OB + n, 10);
                float[] out = new float[OO + n + 1];
                out[0] = 42;
                out[OO + n] = 43;
                f.run(k, a, OA, b, OB, out, OO, n);
                for (int i = 0; i < n; i++) {
                    assertBits(e.at(a[OA + i], b[OB + i]), out[OO + i], k, op, n, i);
                }
                assertEquals(42f, out[0], k.name() + " " + op + " wrote before the output");
                assertEquals(43f, out[OO + n], k.name() + " " + op + " wrote past the output");
            }
        }
    }

    private static void assertBits(float want, float got, Kernels k, String op, int n, int i) {
        if (Float.floatToIntBits(want) != Float.floatToIntBits(got)) {
            fail(k.name() + " " + op + " n=" + n + ": element " + i + " is " + got + ", expected " + want);
        }
    }

    @Test
    void add() {
        checkBinary("add", Kernels::add, (x, y) -> x + y);
    }

    @Test
    void sub() {
        checkBinary("sub", Kernels::sub, (x, y) -> x - y);
    }

    @Test
    void mul() {
        checkBinary("mul", Kernels::mul, (x, y) -> x * y);
    }

    @Test
    void div() {
        checkBinary("div", Kernels::div, (x, y) -> x / y);
    }

    @Test
    void addScalarAndMulScalar() {
        checkBinary(
                "addScalar", (k, a, ao, b, bo, out, oo, n) -> k.addScalar(a, ao, 2.5f, out, oo, n), (x, y) -> x + 2.5f);
        checkBinary(
                "mulScalar",
                (k, a, ao, b, bo, out, oo, n) -> k.mulScalar(a, ao, -0.3f, out, oo, n),
                (x, y) -> x * -0.3f);
    }

    @Test
    void axpyInPlace() {
        checkBinary(
                "axpy",
                (k, a, ao, b, bo, out, oo, n) -> {
                    System.arraycopy(b, bo, out, oo, n);
                    k.axpy(n, 0.7f, a, ao, out, oo);
                },
                (x, y) -> y + 0.7f * x);
    }

    @Test
    void reluAndBackwardKeepNanAndSignedZero() {
        checkBinary("relu", (k, a, ao, b, bo, out, oo, n) -> k.relu(a, ao, out, oo, n), (x, y) -> x < 0 ? 0f : x);
        checkBinary("reluBackward", Kernels::reluBackward, (x, g) -> x > 0 ? g : 0f);
        float[] special = {
            Float.NaN,
            -0f,
            0f,
            -1f,
            1f,
            Float.NEGATIVE_INFINITY,
            Float.POSITIVE_INFINITY,
            -0f,
            3f,
            -2f,
            Float.NaN,
            5f,
            -0f,
            0f,
            1e-40f,
            -1e-40f,
            7f
        };
        for (Kernels k : KernelSets.all()) {
            float[] out = new float[special.length];
            k.relu(special, 0, out, 0, special.length);
            for (int i = 0; i < special.length; i++) {
                float x = special[i];
                assertBits(x < 0 ? 0f : x, out[i], k, "relu", special.length, i);
            }
            k.reluBackward(special, 0, special, 0, out, 0, special.length);
            for (int i = 0; i < special.length; i++) {
                float x = special[i];
                assertBits(x > 0 ? x : 0f, out[i], k, "reluBackward", special.length, i);
            }
        }
    }

    interface Unary {
        void run(Kernels k, float[] a, int ao, float[] out, int oo, int n);
    }

    /**
     * Within 4 ulps (of the float result) of the correctly rounded double function, for random inputs
     * over the useful range and for the special values; 0, infinities and NaN exactly.
     */
    private static void checkTranscendental(
            String op, Unary f, java.util.function.DoubleUnaryOperator ref, double range) {
        float[] special = {
            0f,
            -0f,
            1f,
            -1f,
            Float.NaN,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            88.7f,
            88.73f,
            89f,
            100f,
            -87.3f,
            -88f,
            -100f,
            -103f,
            -104f,
            -150f,
            1e-8f,
            -1e-8f,
            1e-30f,
            0.625f,
            -0.625f,
            0.6249f,
            0.6251f,
            9f,
            -9f,
            20f,
            -20f,
            0.34657359f,
            -0.34657359f,
            0.5f,
            1e-3f,
            -1e-3f
        };
        SplittableRandom r = new SplittableRandom(op.hashCode());
        for (Kernels k : KernelSets.all()) {
            for (int n : LENGTHS) {
                float[] a = random(r, OA + n, range);
                if (n >= special.length) {
                    System.arraycopy(special, 0, a, OA, special.length);
                }
                float[] out = new float[OO + n];
                f.run(k, a, OA, out, OO, n);
                for (int i = 0; i < n; i++) {
                    float x = a[OA + i];
                    double want = ref.applyAsDouble(x);
                    float got = out[OO + i];
                    float wantF = (float) want;
                    if (Float.isNaN(wantF) || Float.isInfinite(wantF)) {
                        // NaN stays NaN; overflow gives the same infinity
                        if (Float.floatToIntBits(wantF) != Float.floatToIntBits(got)) {
                            fail(k.name() + " " + op + "(" + x + ") = " + got + ", expected " + wantF);
                        }
                        continue;
                    }
                    // subnormal results (exp of very negative x) are compared absolutely
                    double tol = Math.max(4 * Math.ulp(wantF), 2 * Float.MIN_NORMAL);
                    if (!(Math.abs(got - want) <= tol)) {
                        fail(k.name() + " " + op + "(" + x + ") = " + got + ", expected " + want + " (error "
                                + Math.abs(got - want) / Math.ulp(wantF) + " ulp)");
                    }
                }
            }
        }
    }

    @Test
    void exp() {
        checkTranscendental("exp", Kernels::exp, Math::exp, 90);
        checkTranscendental("exp", Kernels::exp, Math::exp, 2);
    }

    @Test
    void tanh() {
        checkTranscendental("tanh", Kernels::tanh, Math::tanh, 10);
        checkTranscendental("tanh", Kernels::tanh, Math::tanh, 1);
    }

    @Test
    void sigmoid() {
        checkTranscendental("sigmoid", Kernels::sigmoid, x -> 1 / (1 + Math.exp(-x)), 30);
        checkTranscendental("sigmoid", Kernels::sigmoid, x -> 1 / (1 + Math.exp(-x)), 2);
    }

    @Test
    void sumAndDotWithinDotProductErrorBound() {
        SplittableRandom r = new SplittableRandom(7);
        for (Kernels k : KernelSets.all()) {
            for (int n : LENGTHS) {
                float[] a = random(r, OA + n, 3);
                float[] b = random(r, OB + n, 3);
                double s = 0;
                double sAbs = 0;
                double d = 0;
                double dAbs = 0;
                for (int i = 0; i < n; i++) {
                    s += a[OA + i];
                    sAbs += Math.abs(a[OA + i]);
                    d += (double) a[OA + i] * b[OB + i];
                    dAbs += Math.abs((double) a[OA + i] * b[OB + i]);
                }
                double tolS = 2 * (n + 2) * 0x1p-24 * sAbs;
                double tolD = 2 * (n + 2) * 0x1p-24 * dAbs;
                float gotS = k.sum(a, OA, n);
                float gotD = k.dot(a, OA, b, OB, n);
                if (!(Math.abs(gotS - s) <= tolS)) {
                    fail(k.name() + " sum n=" + n + ": " + gotS + ", expected " + s);
                }
                if (!(Math.abs(gotD - d) <= tolD)) {
                    fail(k.name() + " dot n=" + n + ": " + gotD + ", expected " + d);
                }
            }
        }
    }

    @Test
    void maxIsExactAndPropagatesNan() {
        SplittableRandom r = new SplittableRandom(8);
        for (Kernels k : KernelSets.all()) {
            assertEquals(Float.NEGATIVE_INFINITY, k.max(new float[3], 1, 0), k.name());
            for (int n : LENGTHS) {
                if (n == 0) {
                    continue;
                }
                float[] a = random(r, OA + n, 100);
                float want = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    want = Math.max(want, a[OA + i]);
                }
                assertEquals(want, k.max(a, OA, n), k.name() + " max n=" + n);
                // a NaN anywhere (main loop or tail) gives NaN
                for (int pos : new int[] {0, n / 2, n - 1}) {
                    float[] b = a.clone();
                    b[OA + pos] = Float.NaN;
                    assertEquals(Float.NaN, k.max(b, OA, n), k.name() + " max with NaN at " + pos + " of " + n);
                }
                float[] neg = new float[OA + n];
                java.util.Arrays.fill(neg, Float.NEGATIVE_INFINITY);
                assertEquals(Float.NEGATIVE_INFINITY, k.max(neg, OA, n), k.name());
            }
        }
    }

    @Test
    void softmaxAndLogSoftmaxRows() {
        SplittableRandom r = new SplittableRandom(9);
        int[] colsList = {1, 2, 7, 10, 16, 17, 33, 100, 257};
        for (Kernels k : KernelSets.all()) {
            for (int cols : colsList) {
                int rows = 3;
                float[] in = random(r, OA + rows * cols, 20);
                in[OA] = 80; // a large logit: the max must be subtracted
                for (boolean log : new boolean[] {false, true}) {
                    float[] out = new float[OO + rows * cols];
                    k.softmaxRows(in, OA, out, OO, rows, cols, log);
                    for (int row = 0; row < rows; row++) {
                        double mx = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < cols; j++) {
                            mx = Math.max(mx, in[OA + row * cols + j]);
                        }
                        double s = 0;
                        for (int j = 0; j < cols; j++) {
                            s += Math.exp(in[OA + row * cols + j] - mx);
                        }
                        for (int j = 0; j < cols; j++) {
                            double x = in[OA + row * cols + j];
                            double want = log ? x - mx - Math.log(s) : Math.exp(x - mx) / s;
                            float got = out[OO + row * cols + j];
                            // x - max is rounded to float first: exp turns its absolute error
                            // |x - max| 2^-24 into a relative one; logs are absolute, scaled by the terms
                            double tol = log
                                    ? 8e-7 * (Math.abs(mx) + Math.abs(Math.log(s)) + Math.abs(want))
                                    : (1e-6 + Math.abs(x - mx) * 0x1p-24) * Math.abs(want) + 1e-38;
                            if (!(Math.abs(got - want) <= tol)) {
                                fail(k.name() + (log ? " logSoftmax" : " softmax") + " cols=" + cols + " [" + row + "]["
                                        + j + "] = " + got + ", expected " + want);
                            }
                        }
                    }
                }
            }
            // a row of -inf gives NaN like PyTorch
            float[] inf = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
            float[] out = new float[2];
            k.softmaxRows(inf, 0, out, 0, 1, 2, false);
            assertEquals(Float.NaN, out[0], k.name());
        }
    }

    @Test
    void adamStepMatchesTheUpdateRule() {
        SplittableRandom r = new SplittableRandom(10);
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        // the weights of g and g^2 as the optimizer passes them: 1 - beta in double, rounded to float
        float c1 = (float) (1 - 0.9);
        float c2 = (float) (1 - 0.999);
        float eps = 1e-8f;
        int t = 3;
        float bc1 = 1 - (float) Math.pow(beta1, t);
        float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
        float stepSize = 1e-3f / bc1;
        for (Kernels k : KernelSets.all()) {
            for (int n : LENGTHS) {
                float[] p = random(r, OA + n, 1);
                float[] g = random(r, OB + n, 1);
                float[] m = random(r, OO + n, 0.1);
                float[] v = random(r, 2 + n, 0.01);
                for (int i = 0; i < n; i++) {
                    v[2 + i] = Math.abs(v[2 + i]);
                }
                float[] p0 = p.clone();
                float[] m0 = m.clone();
                float[] v0 = v.clone();
                k.adamStep(p, OA, g, OB, m, OO, v, 2, n, beta1, beta2, c1, c2, stepSize, sqrtBc2, eps);
                for (int i = 0; i < n; i++) {
                    double gi = g[OB + i];
                    double m1 = beta1 * (double) m0[OO + i];
                    double m2 = (double) c1 * gi;
                    double v1 = beta2 * (double) v0[2 + i];
                    double v2 = (double) c2 * gi * gi;
                    double mi = m1 + m2;
                    double vi = v1 + v2;
                    double upd = stepSize * mi / (Math.sqrt(vi) / sqrtBc2 + eps);
                    double pi = p0[OA + i] - upd;
                    String at = k.name() + " adam n=" + n + " i=" + i;
                    // float rounding of each term, relative to the terms (the sums may cancel)
                    double u = 0x1p-24;
                    assertEquals(mi, m[OO + i], 4 * u * (Math.abs(m1) + Math.abs(m2)), at + " m");
                    assertEquals(vi, v[2 + i], 6 * u * (v1 + v2), at + " v");
                    double updTol = 16 * u * Math.abs(upd)
                            + 4 * u * (Math.abs(m1) + Math.abs(m2)) * Math.abs(upd) / Math.max(Math.abs(mi), 1e-30);
                    assertEquals(pi, p[OA + i], 2 * u * Math.abs(p0[OA + i]) + updTol, at + " p");
                }
            }
        }
    }

    /** jgrad's vector exp (VectorMath.exp) step by step in scalar IEEE arithmetic: clamp, reduce, polynomial, scale. */
    static float polynomialExp(float x) {
        x = x < -104f ? -104f : x > 89f ? 89f : x;
        float t = Math.fma(x, 1.44269504088896341f, 12582912f);
        float nf = t - 12582912f;
        float r = Math.fma(nf, -0.693359375f, x);
        r = Math.fma(nf, 2.12194440e-4f, r);
        float p = Math.fma(r, 1.9875691500e-4f, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        p = Math.fma(p, r * r, r) + 1f;
        int ni = Float.floatToRawIntBits(t) - Float.floatToRawIntBits(12582912f);
        int n1 = ni >> 1;
        int n2 = ni - n1;
        return p * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
    }

    /**
     * The default kernels' exp is plain IEEE arithmetic whose result does not depend on whether the JIT
     * has compiled it: the JDK's lanewise EXP (SVML when compiled, Math.exp when interpreted) made the
     * same training run give different losses from run to run. Checked against the scalar steps and
     * again after enough calls for C2 to compile the kernel.
     */
    @Test
    void defaultExpGivesTheSameBitsInEveryJitTier() {
        Kernels k = KernelProvider.kernels();
        boolean vector = !k.name().startsWith("plain");
        SplittableRandom r = new SplittableRandom(7);
        int n = 1024; // a whole number of vectors of every width: no scalar tail
        float[] x = random(r, n, 30);
        x[0] = -200f;
        x[1] = 100f;
        x[2] = Float.NaN;
        float[] first = new float[n];
        k.exp(x, 0, first, 0, n);
        for (int i = 0; i < n; i++) {
            float want = vector ? polynomialExp(x[i]) : (float) Math.exp(x[i]);
            assertBits(want, first[i], k, "exp", n, i);
        }
        float[] out = new float[n];
        for (int call = 0; call < 20_000; call++) {
            k.exp(x, 0, out, 0, n);
        }
        for (int i = 0; i < n; i++) {
            assertBits(first[i], out[i], k, "exp after 20,000 calls", n, i);
        }
    }
}
