package io.jgrad.core.kernel.simd;

import io.jgrad.core.kernel.CpuInfo;
import io.jgrad.core.kernel.Erf;
import io.jgrad.core.kernel.Kernels;
import io.jgrad.core.kernel.PoolKernels;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API (SIMD) kernels. Loaded by name from {@code KernelProvider} only when the JVM can read
 * {@code jdk.incubator.vector}, so nothing else in jgrad links against the incubator module.
 *
 * <p>The vector width is the platform's preferred shape, capped by the system property
 * {@code jgrad.simd.maxBits} (64, 128, 256 or 512). Every element-wise loop has the same shape: a main
 * loop up to {@code loopBound}, several accumulators for reductions, one lane reduction, a scalar tail.
 * The element-wise kernels run on the calling thread (the tensor operations split large work across the
 * pool); the GEMMs split large products themselves.
 *
 * <p>The float kernels use one float shape, {@link #FLOAT_SPECIES}, and no other. A max-pooling kernel
 * on half-width (256-bit) float and int vectors, tried beside the 512-bit kernels, made the GEMM slower
 * afterwards even where it was not called (batch-1 cnn inference 490-572 against 648-702 us), most
 * likely through the type profiles of the Vector API's shared methods; see docs/performance.md,
 * seventh sitting; {@link #maxPool2x2} stays on the one float shape (and the int species of that
 * shape, reinterpreted, for its indices, as exp does). The int8 GEMM's 128-bit byte loads widened to
 * floats are the one place that mixes shapes, for quantized inference only.
 *
 * <p>exp and tanh use jgrad's own polynomials, built from plain lane-wise arithmetic, so that they give
 * the same bits interpreted and compiled: the JDK's {@code lanewise(EXP)} is Intel's SVML once C2
 * compiles it and {@code Math.exp} before, 1 ulp apart on about 5% of inputs, which made training
 * results change from run to run with the moment of compilation.
 *
 * <p>Other system properties: {@code jgrad.simd.svml=true} uses the JDK's vectorized exp/tanh where it
 * has them (x86-64 Linux and Windows), giving up run-to-run reproducibility; {@code jgrad.gemm.tile}
 * (6x2, 8x2, 4x3) and {@code jgrad.gemm.kc/mc/nc/parallel} override the GEMM register tile, blocking
 * and parallel threshold (for tuning experiments).
 */
public final class VectorKernels implements Kernels {
    /** The vector width in bits actually used. */
    static final int BITS = chooseBits();
    /** The float species of {@link #BITS} bits. */
    static final VectorSpecies<Float> FLOAT_SPECIES = FloatVector.SPECIES_PREFERRED.vectorBitSize() == BITS
            ? FloatVector.SPECIES_PREFERRED
            : VectorSpecies.of(float.class, VectorShape.forBitSize(BITS));

    /** The double species of {@link #BITS} bits. */
    static final VectorSpecies<Double> DOUBLE_SPECIES = DoubleVector.SPECIES_PREFERRED.vectorBitSize() == BITS
            ? DoubleVector.SPECIES_PREFERRED
            : VectorSpecies.of(double.class, VectorShape.forBitSize(BITS));

    private static final VectorSpecies<Float> F = FLOAT_SPECIES;
    private static final int FL = F.length();

    static {
        // before any kernel runs: see OperatorProfiles for why
        OperatorProfiles.settle(FLOAT_SPECIES);
    }

    /**
     * True to use the JDK's {@code lanewise(EXP)} and {@code lanewise(TANH)}, which C2 compiles to the
     * bundled Intel SVML routines on x86-64 Linux and Windows (about twice as fast as the polynomials
     * here); elsewhere they can fall back to scalar {@code Math} calls, so the polynomials are used.
     */
    private final boolean jdkMath;

    /** Creates the kernels (called reflectively by {@code KernelProvider}). */
    public VectorKernels() {
        this(defaultJdkMath());
    }

    /** Creates the kernels, choosing the exp/tanh implementation (tests run both). */
    VectorKernels(boolean jdkMath) {
        this.jdkMath = jdkMath;
        this.passes = new UnaryPass[] {this::expPass, this::tanhPass, this::sigmoidPass};
    }

    /** The whole vectors of [0, full) of one transcendental function: {@code out[i] = f(a[i])}. */
    @FunctionalInterface
    private interface UnaryPass {
        void run(float[] a, int ao, float[] out, int oo, int full);
    }

    private static final int EXP_PASS = 0;
    private static final int TANH_PASS = 1;
    private static final int SIGMOID_PASS = 2;

    /**
     * The vector loops of exp, tanh and sigmoid, called through {@link #runPass}'s one call site, which
     * sees three classes: a megamorphic call that C2 does not inline, so each loop is compiled alone.
     * Inlined into a caller that runs several of them (an LSTM cell runs sigmoid and tanh twice each)
     * they went over C2's node budget (NodeCountInliningCutoff), and their vectors were boxed: about a
     * quarter of the LSTM workload's allocation, in steady state (see {@link VectorMath#erfFamily}).
     */
    private final UnaryPass[] passes;

    /** Runs pass {@code which} over the whole vectors of [0, n); returns where the scalar tail starts. */
    private int runPass(int which, float[] a, int ao, float[] out, int oo, int n) {
        int full = F.loopBound(n);
        passes[which].run(a, ao, out, oo, full);
        return full;
    }

    private void expPass(float[] a, int ao, float[] out, int oo, int full) {
        for (int i = 0; i < full; i += FL) {
            expV(FloatVector.fromArray(F, a, ao + i)).intoArray(out, oo + i);
        }
    }

    private void tanhPass(float[] a, int ao, float[] out, int oo, int full) {
        for (int i = 0; i < full; i += FL) {
            FloatVector x = FloatVector.fromArray(F, a, ao + i);
            (jdkMath ? x.lanewise(VectorOperators.TANH) : VectorMath.tanh(x)).intoArray(out, oo + i);
        }
    }

    private void sigmoidPass(float[] a, int ao, float[] out, int oo, int full) {
        for (int i = 0; i < full; i += FL) {
            FloatVector e = expV(FloatVector.fromArray(F, a, ao + i).neg());
            FloatVector.broadcast(F, 1f).div(e.add(1f)).intoArray(out, oo + i);
        }
    }

    private static boolean defaultJdkMath() {
        String arch = System.getProperty("os.arch", "");
        String os = System.getProperty("os.name", "");
        boolean svml =
                ("amd64".equals(arch) || "x86_64".equals(arch)) && (os.startsWith("Linux") || os.startsWith("Windows"));
        return svml && "true".equalsIgnoreCase(System.getProperty("jgrad.simd.svml", "false"));
    }

    private FloatVector expV(FloatVector x) {
        return jdkMath ? x.lanewise(VectorOperators.EXP) : VectorMath.exp(x);
    }

    /**
     * The GEMM register tile (see {@code FloatGemm}): 4x3 vectors with 512-bit vectors (AVX-512) but 8x2
     * on an AMD Zen 5 core (family 26, whose AVX-512 units are full width), 8x2 on AArch64 (32
     * registers), 4x3 again with 256-bit vectors elsewhere (x86-64 with AVX2), else 6x2 (128-bit
     * vectors). The internal tuning property {@code jgrad.gemm.tile} (6x2, 8x2, 4x3) overrides. Every
     * tile computes each value with the same chain of FMAs, so the choice never changes a result.
     */
    static int tile() {
        String t = System.getProperty("jgrad.gemm.tile", "");
        switch (t) {
            case "6x2":
                return 0;
            case "8x2":
                return 1;
            case "4x3":
                return 2;
            default:
                break;
        }
        int bits = VectorShape.preferredShape().vectorBitSize();
        if (bits < 512 && "aarch64".equals(System.getProperty("os.arch"))) {
            return 1;
        }
        if (bits >= 512 && CpuInfo.amdFamily(CpuInfo.read()) >= 26) {
            return 1;
        }
        return bits >= 256 ? 2 : 0;
    }

    /** An internal GEMM blocking parameter {@code jgrad.gemm.NAME}, for tuning experiments. */
    static int gemmParam(String name, int dflt) {
        String s = System.getProperty("jgrad.gemm." + name);
        if (s == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(s.trim());
            return v > 0 ? v : dflt;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static int chooseBits() {
        int preferred = VectorShape.preferredShape().vectorBitSize();
        String s = System.getProperty("jgrad.simd.maxBits");
        if (s == null || s.isBlank()) {
            return preferred;
        }
        try {
            int cap = Integer.parseInt(s.trim());
            if (cap == 64 || cap == 128 || cap == 256 || cap == 512) {
                return Math.min(preferred, cap);
            }
        } catch (NumberFormatException e) {
            // fall through to the warning
        }
        System.getLogger("io.jgrad.core.kernel")
                .log(
                        System.Logger.Level.WARNING,
                        "jgrad: ignoring jgrad.simd.maxBits='" + s + "' (expected 64, 128, 256 or 512)");
        return preferred;
    }

    @Override
    public String name() {
        return "vector (" + BITS + "-bit, " + FL + " floats" + (jdkMath ? ", JDK exp" : "") + ")";
    }

    @Override
    public io.jgrad.core.kernel.FloatGemmDriver floatGemm() {
        return FloatGemm.INSTANCE;
    }

    @Override
    public io.jgrad.core.kernel.DoubleGemmDriver doubleGemm() {
        return DoubleGemm.INSTANCE;
    }

    @Override
    public void sgemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float beta,
            float[] c,
            int cOff,
            int ldc) {
        FloatGemm.INSTANCE.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void dgemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            double alpha,
            double[] a,
            int aOff,
            int lda,
            double[] b,
            int bOff,
            int ldb,
            double beta,
            double[] c,
            int cOff,
            int ldc) {
        DoubleGemm.INSTANCE.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector.fromArray(F, a, ao + i)
                    .add(FloatVector.fromArray(F, b, bo + i))
                    .intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] + b[bo + i];
        }
    }

    @Override
    public void sub(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector.fromArray(F, a, ao + i)
                    .sub(FloatVector.fromArray(F, b, bo + i))
                    .intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] - b[bo + i];
        }
    }

    @Override
    public void mul(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector.fromArray(F, a, ao + i)
                    .mul(FloatVector.fromArray(F, b, bo + i))
                    .intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] * b[bo + i];
        }
    }

    @Override
    public void div(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector.fromArray(F, a, ao + i)
                    .div(FloatVector.fromArray(F, b, bo + i))
                    .intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] / b[bo + i];
        }
    }

    @Override
    public void addScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
        FloatVector sv = FloatVector.broadcast(F, s);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector.fromArray(F, a, ao + i).add(sv).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] + s;
        }
    }

    @Override
    public void mulScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
        FloatVector sv = FloatVector.broadcast(F, s);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector.fromArray(F, a, ao + i).mul(sv).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] * s;
        }
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xo, float[] y, int yo) {
        // mul then add (not fma) so the result is bit-identical to the plain kernel
        FloatVector av = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector.fromArray(F, x, xo + i)
                    .mul(av)
                    .add(FloatVector.fromArray(F, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    @Override
    public void lstmCellBackward(
            float[] a, int ga, float[] tc, float[] cp, int to, float[] dh, float[] dc, int ho, float[] dx, int n) {
        // the plain loop's products in its order (no fma): the same bits; each lane's reads come before
        // its writes, as in the loop, so dx may be a
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector zero = FloatVector.zero(F);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += FL) {
            FloatVector i = FloatVector.fromArray(F, a, ga + j);
            FloatVector f = FloatVector.fromArray(F, a, ga + n + j);
            FloatVector gg = FloatVector.fromArray(F, a, ga + 2 * n + j);
            FloatVector o = FloatVector.fromArray(F, a, ga + 3 * n + j);
            FloatVector t = FloatVector.fromArray(F, tc, to + j);
            FloatVector d = FloatVector.fromArray(F, dh, ho + j);
            FloatVector dct = FloatVector.fromArray(F, dc, ho + j).add(d.mul(o).mul(one.sub(t.mul(t))));
            FloatVector c = FloatVector.fromArray(F, cp, to + j);
            dct.mul(gg).mul(i).mul(one.sub(i)).intoArray(dx, ga + j);
            dct.mul(c).mul(f).mul(one.sub(f)).intoArray(dx, ga + n + j);
            dct.mul(i).mul(one.sub(gg.mul(gg))).intoArray(dx, ga + 2 * n + j);
            d.mul(t).mul(o).mul(one.sub(o)).intoArray(dx, ga + 3 * n + j);
            dct.mul(f).intoArray(dc, ho + j);
            zero.intoArray(dh, ho + j);
        }
        Kernels.lstmCellBackward(a, ga, tc, cp, to, dh, dc, ho, dx, n, j);
    }

    @Override
    public void gruCellBackward(
            float[] a, int ga, float[] hn, float[] hp, int ho, float[] dh, int hb, float[] dx, float[] dhg, int n) {
        // the plain loop's products in its order (no fma): the same bits; each lane's reads come before
        // its writes, as in the loop, so dx may be a
        FloatVector one = FloatVector.broadcast(F, 1f);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += FL) {
            FloatVector r = FloatVector.fromArray(F, a, ga + j);
            FloatVector z = FloatVector.fromArray(F, a, ga + n + j);
            FloatVector nn = FloatVector.fromArray(F, a, ga + 2 * n + j);
            FloatVector d = FloatVector.fromArray(F, dh, hb + j);
            FloatVector dn = d.mul(one.sub(z)).mul(one.sub(nn.mul(nn)));
            FloatVector dz =
                    d.mul(FloatVector.fromArray(F, hp, ho + j).sub(nn)).mul(z).mul(one.sub(z));
            FloatVector dr = dn.mul(FloatVector.fromArray(F, hn, ho + j)).mul(r).mul(one.sub(r));
            dr.intoArray(dx, ga + j);
            dz.intoArray(dx, ga + n + j);
            dn.intoArray(dx, ga + 2 * n + j);
            dr.intoArray(dhg, ga + j);
            dz.intoArray(dhg, ga + n + j);
            dn.mul(r).intoArray(dhg, ga + 2 * n + j);
            d.mul(z).intoArray(dh, hb + j);
        }
        Kernels.gruCellBackward(a, ga, hn, hp, ho, dh, hb, dx, dhg, n, j);
    }

    @Override
    public void relu(float[] a, int ao, float[] out, int oo, int n) {
        // a blend on (a < 0) keeps NaN and -0.0 exactly as the plain kernel does
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector v = FloatVector.fromArray(F, a, ao + i);
            v.blend(zero, v.compare(VectorOperators.LT, 0f)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            float v = a[ao + i];
            out[oo + i] = v < 0 ? 0f : v;
        }
    }

    @Override
    public void reluBackward(float[] a, int ao, float[] g, int go, float[] out, int oo, int n) {
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            VectorMask<Float> pos = FloatVector.fromArray(F, a, ao + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(F, g, go + i), pos).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] > 0 ? g[go + i] : 0f;
        }
    }

    @Override
    public void exp(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = runPass(EXP_PASS, a, ao, out, oo, n); i < n; i++) {
            out[oo + i] = (float) Math.exp(a[ao + i]);
        }
    }

    @Override
    public void erf(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = VectorMath.erfFamily(VectorMath.ERF, a, ao, null, 0, out, oo, n); i < n; i++) {
            out[oo + i] = Erf.erf(a[ao + i]);
        }
    }

    @Override
    public void gelu(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = VectorMath.erfFamily(VectorMath.GELU, a, ao, null, 0, out, oo, n); i < n; i++) {
            out[oo + i] = Erf.gelu(a[ao + i]);
        }
    }

    @Override
    public void geluBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
        for (int i = VectorMath.erfFamily(VectorMath.GELU_GRAD, x, xo, g, go, out, oo, n); i < n; i++) {
            out[oo + i] = g[go + i] * Erf.geluDerivative(x[xo + i]);
        }
    }

    @Override
    public void tanh(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = runPass(TANH_PASS, a, ao, out, oo, n); i < n; i++) {
            out[oo + i] = (float) Math.tanh(a[ao + i]);
        }
    }

    @Override
    public void sigmoid(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = runPass(SIGMOID_PASS, a, ao, out, oo, n); i < n; i++) {
            out[oo + i] = sigmoid(a[ao + i]);
        }
    }

    private static float sigmoid(float x) {
        if (x >= 0) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    /** A vector's worth of floats per thread, for sums of lanes that leave no vector to pass on. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[FL]);

    /**
     * The lanes of {@code v} added in lane order. {@code reduceLanes(ADD)} leaves the order to the
     * implementation, and the interpreted and the compiled code do differ, which made results depend on
     * when the JIT compiled a method: the same program gave different losses from run to run. Every lane
     * is read at a constant index, which C2 compiles to a register extract: read in a loop, whose index
     * C2 did not unroll into constants, {@code lane(l)} needed the vector as an object, so each call
     * boxed it.
     */
    static float sumLanes(FloatVector v) {
        if (FL != 4 && FL != 8 && FL != 16) {
            float s = v.lane(0);
            for (int l = 1; l < FL; l++) {
                s += v.lane(l);
            }
            return s;
        }
        float s = v.lane(0);
        s += v.lane(1);
        s += v.lane(2);
        s += v.lane(3);
        if (FL > 4) {
            s += v.lane(4);
            s += v.lane(5);
            s += v.lane(6);
            s += v.lane(7);
        }
        if (FL > 8) {
            s += v.lane(8);
            s += v.lane(9);
            s += v.lane(10);
            s += v.lane(11);
            s += v.lane(12);
            s += v.lane(13);
            s += v.lane(14);
            s += v.lane(15);
        }
        return s;
    }

    @Override
    public float sum(float[] a, int ao, int n) {
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
        FloatVector s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
        int i = 0;
        for (int bound = n - 4 * FL; i <= bound; i += 4 * FL) {
            s0 = s0.add(FloatVector.fromArray(F, a, ao + i));
            s1 = s1.add(FloatVector.fromArray(F, a, ao + i + FL));
            s2 = s2.add(FloatVector.fromArray(F, a, ao + i + 2 * FL));
            s3 = s3.add(FloatVector.fromArray(F, a, ao + i + 3 * FL));
        }
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            s0 = s0.add(FloatVector.fromArray(F, a, ao + i));
        }
        float s = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) {
            s += a[ao + i];
        }
        return s;
    }

    @Override
    public float max(float[] a, int ao, int n) {
        FloatVector m0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        int i = 0;
        // lanewise MAX follows Math.max: a NaN anywhere propagates to the result
        for (int bound = n - 4 * FL; i <= bound; i += 4 * FL) {
            m0 = m0.max(FloatVector.fromArray(F, a, ao + i));
            m1 = m1.max(FloatVector.fromArray(F, a, ao + i + FL));
            m2 = m2.max(FloatVector.fromArray(F, a, ao + i + 2 * FL));
            m3 = m3.max(FloatVector.fromArray(F, a, ao + i + 3 * FL));
        }
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            m0 = m0.max(FloatVector.fromArray(F, a, ao + i));
        }
        float m = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, a[ao + i]);
        }
        return m;
    }

    /** Lane i takes lane 2i (mod the length) of a vector: the even lanes of two vectors, with {@link #HIGH}. */
    private static final VectorShuffle<Float> EVEN_LANES = VectorShuffle.fromOp(F, i -> 2 * i % FL);
    /** Lane i takes lane 2i + 1 (mod the length): the odd lanes of two vectors, with {@link #HIGH}. */
    private static final VectorShuffle<Float> ODD_LANES = VectorShuffle.fromOp(F, i -> (2 * i + 1) % FL);
    /** The upper half of the lanes. */
    private static final VectorMask<Float> HIGH = VectorMask.fromLong(F, ((1L << FL) - 1) & -(1L << (FL / 2)));
    /** 0, 2, 4, ... : the in-row indices of a vector's even lanes. */
    private static final IntVector EVEN_INDICES =
            IntVector.zero(F.withLanes(int.class)).addIndex(2);

    /**
     * Whether {@link #maxPool2x2}'s vector passes have run at compiled speed in this JVM. Until they
     * have, each call times its planes and, past {@link #COLD_POOL_NANOS}, finishes in plain Java.
     */
    private static volatile boolean poolCompiled;
    /** The time a call spends in the vector passes, while they are not compiled, before it goes on in plain Java. */
    private static final long COLD_POOL_NANOS = 10_000_000;

    /**
     * In two passes over each plane, both on whole vectors of the one float shape: each input row's
     * horizontal pairs (the even and the odd lanes of two vectors, gathered by two one-vector
     * rearranges and a blend; the two-vector {@code rearrange} and the float-to-int conversion were
     * 3-5 times slower on JDK 17) go to a scratch buffer as the pair's maximum and its index (the index's
     * int bits carried in a float lane), top rows and bottom rows apart; then each output is the larger
     * of its top and bottom pair. Pairs first keeps PyTorch's order: a top pair's element comes before a
     * bottom pair's, so the bottom one wins only when strictly larger, or NaN. A row whose vectors would
     * read past the end of {@code x}, and the last outputs of a plane short of a vector, take the same
     * rule in scalar code. 28 x 28 planes of the cnn workload: 1.1 against 6 ms per batch of 128 x 32
     * planes on one thread (AVX-512).
     */
    @Override
    public void maxPool2x2(float[] x, int xo, int h, int w, int oh, int ow, float[] out, int[] ind, int from, int to) {
        int hw = h * w;
        int ohw = oh * ow;
        int span = ohw + FL; // a row's last vector may write up to FL - 1 lanes past the plane's outputs
        float[] s = new float[4 * span];
        int rowReach = 2 * ((ow + FL - 1) / FL * FL); // input values a row's vectors read
        // Until C2 has compiled the passes, their vectors are objects: about 600 ns per output against
        // 1.3 compiled, and the first call on a batch of 128 x 32 planes of 28 x 28 took 0.5 s against 50
        // ms in plain Java. So a cold call runs vector planes for a bounded time (enough calls to have C2
        // compile them) and the rest in plain Java; a plane under 20 ns per output proves them compiled.
        boolean timed = !poolCompiled;
        long start = timed ? System.nanoTime() : 0;
        for (int plane = from; plane < to; plane++) {
            long t0 = timed ? System.nanoTime() : 0;
            int xb = xo + plane * hw;
            for (int i = 0; i < 2 * oh; i++) {
                int src = xb + i * w;
                // values at [0, span) for top rows, [span, 2 span) for bottom rows; indices after them
                int d = (i & 1) * span + (i >> 1) * ow;
                if (src + rowReach <= x.length) {
                    rowPairs(x, src, ow, i * w, s, d, d + 2 * span);
                } else {
                    rowPairsScalar(x, src, ow, i * w, s, d, d + 2 * span);
                }
            }
            planeMaxima(s, span, ohw, out, ind, plane * ohw);
            if (timed) {
                long t1 = System.nanoTime();
                if (t1 - t0 < 1_000 + 20L * ohw) {
                    poolCompiled = true;
                    timed = false;
                } else if (t1 - start > COLD_POOL_NANOS) {
                    PoolKernels.maxPool2x2(x, xo, h, w, oh, ow, out, ind, plane + 1, to);
                    return;
                }
            }
        }
    }

    /*
     * The two passes are methods of their own, called once per row and once per plane: C2 compiles them
     * after a few thousand calls (within the first call of a batch, or in the warm-up's burst), where
     * one method holding the loops waited for the loops' back-edge counts and on-stack replacement: the
     * first call on a batch of 128 x 32 planes of 28 x 28 took 0.5 s.
     */

    /** One input row's horizontal pairs: each pair's maximum at s[vd + q], its index's bits at s[id + q]. */
    private static void rowPairs(float[] x, int src, int ow, int rowIndex, float[] s, int vd, int id) {
        for (int q = 0; q < ow; q += FL) {
            FloatVector a = FloatVector.fromArray(F, x, src + 2 * q);
            FloatVector b = FloatVector.fromArray(F, x, src + 2 * q + FL);
            FloatVector left = a.rearrange(EVEN_LANES).blend(b.rearrange(EVEN_LANES), HIGH);
            FloatVector right = a.rearrange(ODD_LANES).blend(b.rearrange(ODD_LANES), HIGH);
            VectorMask<Float> takeRight =
                    right.compare(VectorOperators.GT, left).or(right.compare(VectorOperators.NE, right));
            left.blend(right, takeRight).intoArray(s, vd + q);
            IntVector li = EVEN_INDICES.add(rowIndex + 2 * q);
            li.reinterpretAsFloats()
                    .blend(li.add(1).reinterpretAsFloats(), takeRight)
                    .intoArray(s, id + q);
        }
    }

    /** {@link #rowPairs} in scalar code, for a row whose vectors would read past the end of x. */
    private static void rowPairsScalar(float[] x, int src, int ow, int rowIndex, float[] s, int vd, int id) {
        for (int q = 0; q < ow; q++) {
            float l = x[src + 2 * q];
            float r = x[src + 2 * q + 1];
            boolean takeRight = r > l || Float.isNaN(r);
            s[vd + q] = takeRight ? r : l;
            s[id + q] = Float.intBitsToFloat(rowIndex + 2 * q + (takeRight ? 1 : 0));
        }
    }

    /** Each output of a plane: the larger of its top and bottom pair (the top one on a tie). */
    private static void planeMaxima(float[] s, int span, int ohw, float[] out, int[] ind, int ob) {
        int o = 0;
        for (int bound = F.loopBound(ohw); o < bound; o += FL) {
            FloatVector top = FloatVector.fromArray(F, s, o);
            FloatVector bottom = FloatVector.fromArray(F, s, span + o);
            VectorMask<Float> takeBottom =
                    bottom.compare(VectorOperators.GT, top).or(bottom.compare(VectorOperators.NE, bottom));
            top.blend(bottom, takeBottom).intoArray(out, ob + o);
            FloatVector.fromArray(F, s, 2 * span + o)
                    .blend(FloatVector.fromArray(F, s, 3 * span + o), takeBottom)
                    .reinterpretAsInts()
                    .intoArray(ind, ob + o);
        }
        for (; o < ohw; o++) {
            float top = s[o];
            float bottom = s[span + o];
            boolean takeBottom = bottom > top || Float.isNaN(bottom);
            out[ob + o] = takeBottom ? bottom : top;
            ind[ob + o] = Float.floatToRawIntBits(takeBottom ? s[3 * span + o] : s[2 * span + o]);
        }
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
        FloatVector s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
        int i = 0;
        for (int bound = n - 4 * FL; i <= bound; i += 4 * FL) {
            s0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), s0);
            s1 = FloatVector.fromArray(F, a, ao + i + FL).fma(FloatVector.fromArray(F, b, bo + i + FL), s1);
            s2 = FloatVector.fromArray(F, a, ao + i + 2 * FL).fma(FloatVector.fromArray(F, b, bo + i + 2 * FL), s2);
            s3 = FloatVector.fromArray(F, a, ao + i + 3 * FL).fma(FloatVector.fromArray(F, b, bo + i + 3 * FL), s3);
        }
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            s0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), s0);
        }
        float s = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    @Override
    public void softmaxRows(float[] in, int io, float[] out, int oo, int rows, int cols, boolean log) {
        float[] lanes = LANES.get();
        for (int r = 0; r < rows; r++) {
            int pi = io + r * cols;
            int po = oo + r * cols;
            float mx = max(in, pi, cols);
            if (mx == Float.NEGATIVE_INFINITY) {
                mx = 0; // all -inf: exp gives 0s and the result is NaN like PyTorch
            }
            if (log) {
                float s = expSum(in, pi, cols, mx, null, 0, lanes);
                float lse = (float) Math.log(s) + mx;
                addScalar(in, pi, -lse, out, po, cols);
            } else {
                // out holds exp(x - max) after the first pass, so exp is computed once
                float s = expSum(in, pi, cols, mx, out, po, lanes);
                mulScalar(out, po, 1f / s, out, po, cols);
            }
        }
    }

    /**
     * Sum of exp(in[i] - mx), writing each term to out when out is not null. The vectors go alternately
     * to two accumulators (even ones to the first, odd ones to the second) through one call of exp: with
     * the loop unrolled into two calls, C2 inlined exp twice, ran over its node budget and boxed the
     * vectors (gigabytes of them in the attention workload's softmax). The two accumulators' sum is
     * stored to {@code lanes} (the thread's {@link #LANES}) and its lanes added in order there, as {@link
     * #sumLanes} would: a call that passes a vector boxes it whenever C2 does not inline the callee, and
     * inside the attention kernels, several calls deep, it sometimes did not (one vector a row).
     */
    private float expSum(float[] in, int pi, int n, float mx, float[] out, int po, float[] lanes) {
        FloatVector mv = FloatVector.broadcast(F, mx);
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector e = expV(FloatVector.fromArray(F, in, pi + i).sub(mv));
            if (out != null) {
                e.intoArray(out, po + i);
            }
            // the accumulator that took this vector waits while the other takes the next one
            FloatVector took = s0.add(e);
            s0 = s1;
            s1 = took;
        }
        s0.add(s1).intoArray(lanes, 0);
        float s = lanes[0];
        for (int l = 1; l < FL; l++) {
            s += lanes[l];
        }
        for (; i < n; i++) {
            float e = (float) Math.exp(in[pi + i] - mx);
            if (out != null) {
                out[po + i] = e;
            }
            s += e;
        }
        return s;
    }

    @Override
    public void adamStep(
            float[] p,
            int po,
            float[] g,
            int go,
            float[] m,
            int mo,
            float[] v,
            int vo,
            int n,
            float beta1,
            float beta2,
            float oneMinusBeta1,
            float oneMinusBeta2,
            float stepSize,
            float sqrtBc2,
            float eps) {
        FloatVector b1 = FloatVector.broadcast(F, beta1);
        FloatVector b2 = FloatVector.broadcast(F, beta2);
        FloatVector c1 = FloatVector.broadcast(F, oneMinusBeta1);
        FloatVector c2 = FloatVector.broadcast(F, oneMinusBeta2);
        FloatVector step = FloatVector.broadcast(F, stepSize);
        FloatVector bc = FloatVector.broadcast(F, sqrtBc2);
        FloatVector ev = FloatVector.broadcast(F, eps);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector gi = FloatVector.fromArray(F, g, go + i);
            FloatVector mi = b1.mul(FloatVector.fromArray(F, m, mo + i)).add(c1.mul(gi));
            FloatVector vi =
                    b2.mul(FloatVector.fromArray(F, v, vo + i)).add(c2.mul(gi).mul(gi));
            mi.intoArray(m, mo + i);
            vi.intoArray(v, vo + i);
            FloatVector upd = step.mul(mi).div(vi.sqrt().div(bc).add(ev));
            FloatVector.fromArray(F, p, po + i).sub(upd).intoArray(p, po + i);
        }
        for (; i < n; i++) {
            float gi = g[go + i];
            float mi = beta1 * m[mo + i] + oneMinusBeta1 * gi;
            float vi = beta2 * v[vo + i] + oneMinusBeta2 * gi * gi;
            m[mo + i] = mi;
            v[vo + i] = vi;
            p[po + i] -= stepSize * mi / ((float) Math.sqrt(vi) / sqrtBc2 + eps);
        }
    }

    /** Bytes loaded per step of the int8 kernel: at least the 64-bit minimum shape, widened to {@link #FL} floats. */
    private static final VectorSpecies<Byte> I8 =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, 8 * FL)));

    private static final int I8L = I8.length();

    /** {@link #FL} int8 weights from {@code w[off ..]} widened to floats (reads {@link #I8L} bytes). */
    private static FloatVector widen(byte[] w, int off) {
        return (FloatVector) ByteVector.fromArray(I8, w, off).convertShape(VectorOperators.B2F, F, 0);
    }

    @Override
    public void int8Gemm(
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            byte[] w,
            int wOff,
            int ldw,
            float[] scale,
            int sOff,
            float[] c,
            int cOff,
            int ldc) {
        // the vector loop may read I8L >= FL bytes from position p: it stops where that would pass the row's end
        int bound = k - I8L;
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            int j = 0;
            // four output rows at once share each load of A
            for (; j + 3 < n; j += 4) {
                int w0 = wOff + j * ldw;
                int w1 = w0 + ldw;
                int w2 = w1 + ldw;
                int w3 = w2 + ldw;
                FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
                FloatVector s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
                int p = 0;
                for (; p <= bound; p += FL) {
                    FloatVector av = FloatVector.fromArray(F, a, ai + p);
                    s0 = widen(w, w0 + p).fma(av, s0);
                    s1 = widen(w, w1 + p).fma(av, s1);
                    s2 = widen(w, w2 + p).fma(av, s2);
                    s3 = widen(w, w3 + p).fma(av, s3);
                }
                float t0 = sumLanes(s0), t1 = sumLanes(s1), t2 = sumLanes(s2), t3 = sumLanes(s3);
                for (; p < k; p++) {
                    float av = a[ai + p];
                    t0 += av * w[w0 + p];
                    t1 += av * w[w1 + p];
                    t2 += av * w[w2 + p];
                    t3 += av * w[w3 + p];
                }
                int ci = cOff + i * ldc + j;
                c[ci] = t0 * scale[sOff + j];
                c[ci + 1] = t1 * scale[sOff + j + 1];
                c[ci + 2] = t2 * scale[sOff + j + 2];
                c[ci + 3] = t3 * scale[sOff + j + 3];
            }
            for (; j < n; j++) {
                int wj = wOff + j * ldw;
                FloatVector s0 = FloatVector.zero(F);
                int p = 0;
                for (; p <= bound; p += FL) {
                    s0 = widen(w, wj + p).fma(FloatVector.fromArray(F, a, ai + p), s0);
                }
                float t = sumLanes(s0);
                for (; p < k; p++) {
                    t += a[ai + p] * w[wj + p];
                }
                c[cOff + i * ldc + j] = t * scale[sOff + j];
            }
        }
    }
}
