package io.jgrad.core.kernel.simd;

import io.jgrad.core.kernel.Erf;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorized exp, tanh and sigmoid in single precision by range reduction and minimax polynomials
 * (the Cephes single-precision coefficients), accurate to about 1-2 ulp. Used where the JDK has no
 * vectorized {@code lanewise(EXP)} (which then falls back to a scalar loop over {@code Math.exp}).
 * Also erf, GELU and GELU's backward over arrays ({@link #erfFamily}), with the polynomials that
 * {@link Erf} fits when it loads.
 */
final class VectorMath {
    private static final VectorSpecies<Float> F = VectorKernels.FLOAT_SPECIES;

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in a part exact in few bits and a correction (Cody-Waite). */
    private static final float LN2_HI = 0.693359375f;

    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to the nearest integer. */
    private static final float ROUND = 12582912f;
    /** The bits of {@link #ROUND}. */
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

    private static final float EXP_HI = 89f;
    private static final float EXP_LO = -104f;
    private static final float TANH_SMALL = 0.625f;

    private static final float[] ERF_P = Erf.smallPolynomial();
    private static final float[] ERF_Q_MID = Erf.midPolynomial();
    private static final float[] ERF_Q_FAR = Erf.farPolynomial();
    private static final float[] ERF_R_TAIL = Erf.tailPolynomial();
    private static final float P0 = ERF_P[0];
    private static final float P1 = ERF_P[1];
    private static final float P2 = ERF_P[2];
    private static final float P3 = ERF_P[3];
    private static final float P4 = ERF_P[4];
    private static final float P5 = ERF_P[5];
    private static final float P6 = ERF_P[6];
    private static final float P7 = ERF_P[7];
    private static final float QM0 = ERF_Q_MID[0];
    private static final float QM1 = ERF_Q_MID[1];
    private static final float QM2 = ERF_Q_MID[2];
    private static final float QM3 = ERF_Q_MID[3];
    private static final float QM4 = ERF_Q_MID[4];
    private static final float QM5 = ERF_Q_MID[5];
    private static final float QM6 = ERF_Q_MID[6];
    private static final float QM7 = ERF_Q_MID[7];
    private static final float QM8 = ERF_Q_MID[8];
    private static final float QM9 = ERF_Q_MID[9];
    private static final float QM10 = ERF_Q_MID[10];
    private static final float QM11 = ERF_Q_MID[11];
    private static final float QF0 = ERF_Q_FAR[0];
    private static final float QF1 = ERF_Q_FAR[1];
    private static final float QF2 = ERF_Q_FAR[2];
    private static final float QF3 = ERF_Q_FAR[3];
    private static final float QF4 = ERF_Q_FAR[4];
    private static final float QF5 = ERF_Q_FAR[5];
    private static final float QF6 = ERF_Q_FAR[6];
    private static final float QF7 = ERF_Q_FAR[7];
    private static final float QF8 = ERF_Q_FAR[8];
    private static final float QF9 = ERF_Q_FAR[9];
    private static final float QF10 = ERF_Q_FAR[10];
    private static final float QF11 = ERF_Q_FAR[11];
    private static final float R0 = ERF_R_TAIL[0];
    private static final float R1 = ERF_R_TAIL[1];
    private static final float R2 = ERF_R_TAIL[2];
    private static final float R3 = ERF_R_TAIL[3];
    private static final float R4 = ERF_R_TAIL[4];
    private static final float R5 = ERF_R_TAIL[5];
    private static final float R6 = ERF_R_TAIL[6];
    private static final float R7 = ERF_R_TAIL[7];
    private static final float R8 = ERF_R_TAIL[8];
    private static final float MID_CENTER = Erf.center(Erf.SMALL, Erf.MID);
    private static final float MID_SCALE = 1 / Erf.halfWidth(Erf.SMALL, Erf.MID);
    private static final float FAR_CENTER = Erf.center(Erf.MID, Erf.MAX);
    private static final float FAR_SCALE = 1 / Erf.halfWidth(Erf.MID, Erf.MAX);

    private VectorMath() {}

    /**
     * e^x: x = n ln2 + r with |r| &lt;= ln2 / 2, e^r by a degree-6 polynomial, and 2^n applied as two
     * exponent-field scalings so that results that overflow become +Infinity and tiny ones become
     * subnormal or 0 correctly. NaN stays NaN.
     */
    static FloatVector exp(FloatVector x) {
        // clamping keeps n within [-150, 129]; compare-and-blend is cheaper than min/max with Java's
        // NaN and signed-zero rules, and a NaN fails both comparisons so it flows through
        x = x.blend(EXP_LO, x.compare(VectorOperators.LT, EXP_LO)).blend(EXP_HI, x.compare(VectorOperators.GT, EXP_HI));
        FloatVector t = x.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
        FloatVector rr = r.mul(r);
        p = p.fma(rr, r).add(1f);
        // 2^n = 2^n1 * 2^n2 with n1 = n >> 1 so that each factor is a normal float. n is read from the
        // bits of t = x log2e + 1.5 * 2^23, whose low mantissa bits hold n + 2^22: a float-to-int
        // conversion is not intrinsified for every shape on JDK 17 (AVX2 has no lanewise F2I).
        IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /**
     * tanh(x): an odd polynomial for |x| &lt; 0.625 (where 1 - 2/(e^2x + 1) would cancel), otherwise
     * 1 - 2 / (e^(2|x|) + 1) with the sign of x.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(-5.70498872745e-3f, 2.06390887954e-2f);
        p = p.fma(z, FloatVector.broadcast(F, -5.37397155531e-2f));
        p = p.fma(z, FloatVector.broadcast(F, 1.33314422036e-1f));
        p = p.fma(z, FloatVector.broadcast(F, -3.33332819422e-1f));
        FloatVector small = p.mul(z).fma(x, x);
        FloatVector e = exp(ax.add(ax));
        FloatVector large =
                FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(e.add(1f)));
        // copy the sign of x onto the large-|x| branch
        large = large.lanewise(VectorOperators.NEG, x.compare(VectorOperators.LT, 0f));
        VectorMask<Float> isSmall = ax.compare(VectorOperators.LT, TANH_SMALL);
        return large.blend(small, isSmall);
    }

    /** Modes of {@link #erfFamily}. */
    static final int ERF = 0;

    static final int GELU = 1;
    static final int GELU_GRAD = 2;

    /** Elements per block of {@link #erfFamily}: its passes meet in per-thread buffers of this size (in L1). */
    private static final int ERF_BLOCK = 512;

    private static final ThreadLocal<float[][]> ERF_SCRATCH = ThreadLocal.withInitial(() -> new float[4][ERF_BLOCK]);

    /**
     * One pass of {@link #erfFamily} over a block of len elements: x at a[ao..], the upstream
     * gradient at g[go..] (GELU's backward), the result at out[oo..], the per-thread buffers
     * s = {q, small, e, corr}, y = scale x, and neg = -scale^2.
     */
    @FunctionalInterface
    private interface ErfPass {
        void run(
                float[] a,
                int ao,
                float[] g,
                int go,
                float[] out,
                int oo,
                float[][] s,
                int len,
                float scale,
                float neg);
    }

    private static final ErfPass MIDDLE =
            (a, ao, g, go, out, oo, s, len, scale, neg) -> erfcMiddle(a, ao, s[0], len, scale);
    private static final ErfPass MIDDLE_NEAR =
            (a, ao, g, go, out, oo, s, len, scale, neg) -> erfcNear(a, ao, s[0], len, scale);
    private static final ErfPass TAIL =
            (a, ao, g, go, out, oo, s, len, scale, neg) -> erfcTail(a, ao, s[0], len, scale);
    private static final ErfPass SMALL = (a, ao, g, go, out, oo, s, len, scale, neg) ->
            smallAndExpArgument(a, ao, s[1], s[2], s[3], len, scale, neg);
    private static final ErfPass EXP = (a, ao, g, go, out, oo, s, len, scale, neg) -> expTimes(s[2], s[3], len);

    /** The passes of each mode, in order; the last one writes out. */
    private static final ErfPass[][] ERF_PASSES = {
        {
            MIDDLE,
            TAIL,
            SMALL,
            EXP,
            (a, ao, g, go, out, oo, s, len, scale, neg) -> erfFinish(a, ao, s[0], s[1], s[2], out, oo, len)
        },
        {
            MIDDLE,
            TAIL,
            SMALL,
            EXP,
            (a, ao, g, go, out, oo, s, len, scale, neg) -> geluFinish(a, ao, s[0], s[1], s[2], out, oo, len)
        },
        {
            MIDDLE,
            TAIL,
            SMALL,
            EXP,
            (a, ao, g, go, out, oo, s, len, scale, neg) -> geluGradFinish(a, ao, s[0], s[1], s[2], g, go, out, oo, len)
        }
    };

    /**
     * For the whole vectors of [0, n), by mode: {@code out[i] = erf(a[i])} ({@link #ERF}), GELU
     * {@code a[i] Phi(a[i])} ({@link #GELU}), or GELU's backward {@code g[i] (Phi(a[i]) + a[i] phi(a[i]))}
     * ({@link #GELU_GRAD}); returns how many elements it did. As {@link Erf#erf(float)} and {@link Erf#gelu(float)}:
     * x P(x^2) for |x| &lt; 1, else exp(-x^2) Q(|x|) on three ranges, blended lane by lane.
     *
     * <p>Done in blocks of {@link #ERF_BLOCK}, each in five passes that meet in small per-thread buffers:
     * the Q polynomials of two ranges, the tail's, the small range's polynomial with exp's argument, exp,
     * then the blends of the mode. A block skips the ranges none of its lanes reaches (their lanes would
     * be blended away, so the bits are the same): a GELU's inputs rarely reach |y| = 4 (the tail, with a
     * division) or 2.5 (the second Q), and a block of |y| &lt; 1 needs neither Q nor, but for GELU's
     * backward, exp. C2 has a node budget per compiled method (NodeCountInliningCutoff):
     * past it, it stops inlining, and a vector that crosses a call that was not inlined is boxed, which
     * made the kernel slower than the scalar loop. One loop with everything in it went over the budget,
     * and so did this method when C2 inlined the passes into it (about 4 ns per element instead of
     * about 1.5). So the passes are called through one call site that sees five classes: a megamorphic
     * call, which C2 never inlines, and each pass is compiled alone, within budget. No pass has inner
     * loops (on-stack replacement of a short coefficient loop did the same harm); the coefficients are
     * static final floats taken from {@link Erf} when the class loads.
     */
    static int erfFamily(int mode, float[] a, int ao, float[] g, int go, float[] out, int oo, int n) {
        // the argument of erf: x itself, or y = x / sqrt(2) for Phi(x) = (1 + erf(y)) / 2
        float scale = mode == ERF ? 1f : Erf.SQRT_HALF;
        float neg = mode == ERF ? -1f : -0.5f;
        int full = F.loopBound(n);
        float[][] scratch = ERF_SCRATCH.get();
        ErfPass[] passes = ERF_PASSES[mode];
        for (int b = 0; b < full; b += ERF_BLOCK) {
            int len = Math.min(ERF_BLOCK, full - b);
            // the ranges no lane of this block reaches are skipped: their lanes would be blended away
            float m = maxAbsOrNaN(a, ao + b, len, scale);
            boolean middle = !(m < Erf.SMALL); // NaN (a NaN lane) runs every pass
            // the passes are swapped or dropped here rather than called one by one, so that they keep the
            // one call site (a call on a constant pass would be inlined, which is what must not happen)
            for (ErfPass pass : passes) {
                ErfPass run = pass;
                if (pass == MIDDLE) {
                    run = !middle ? null : m < Erf.MID ? MIDDLE_NEAR : MIDDLE;
                } else if (pass == TAIL) {
                    run = m < Erf.MAX ? null : TAIL;
                } else if (pass == EXP) {
                    run = middle || mode == GELU_GRAD ? EXP : null; // GELU's backward needs exp for its density
                }
                if (run != null) {
                    run.run(a, ao + b, g, go + b, out, oo + b, scratch, len, scale, neg);
                }
            }
        }
        return full;
    }

    /**
     * max |scale a[ao + i]| over the block, or NaN when a lane is NaN (the vector MAX is Math.max lane by
     * lane, which returns NaN when either value is NaN).
     */
    private static float maxAbsOrNaN(float[] a, int ao, int len, float scale) {
        FloatVector max = FloatVector.zero(F);
        for (int i = 0; i < len; i += F.length()) {
            max = max.max(FloatVector.fromArray(F, a, ao + i).mul(scale).abs());
        }
        return max.reduceLanes(VectorOperators.MAX);
    }

    /** q = Q(|y|) of the range [1, 2.5), all that a block whose |y| are all below 2.5 needs. */
    private static void erfcNear(float[] a, int ao, float[] q, int len, float scale) {
        for (int i = 0; i < len; i += F.length()) {
            FloatVector ay = FloatVector.fromArray(F, a, ao + i).mul(scale).abs();
            FloatVector t = ay.sub(MID_CENTER).mul(MID_SCALE);
            FloatVector qMid = t.fma(FloatVector.broadcast(F, QM11), FloatVector.broadcast(F, QM10));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM9));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM8));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM7));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM6));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM5));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM4));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM3));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM2));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM1));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM0));
            qMid.intoArray(q, i);
        }
    }

    /**
     * q = Q(|y|) of the ranges [1, 2.5) and [2.5, 4), y = scale x. Its first half is {@link #erfcNear}'s
     * loop: one loop with both polynomials, rather than that pass and a second one, keeps the blocks that
     * need both (erf of values spread wide) as fast as before the skipping.
     */
    private static void erfcMiddle(float[] a, int ao, float[] q, int len, float scale) {
        for (int i = 0; i < len; i += F.length()) {
            FloatVector ay = FloatVector.fromArray(F, a, ao + i).mul(scale).abs();
            FloatVector t = ay.sub(MID_CENTER).mul(MID_SCALE);
            FloatVector qMid = t.fma(FloatVector.broadcast(F, QM11), FloatVector.broadcast(F, QM10));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM9));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM8));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM7));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM6));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM5));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM4));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM3));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM2));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM1));
            qMid = qMid.fma(t, FloatVector.broadcast(F, QM0));
            t = ay.sub(FAR_CENTER).mul(FAR_SCALE);
            FloatVector qFar = t.fma(FloatVector.broadcast(F, QF11), FloatVector.broadcast(F, QF10));
            qFar = qFar.fma(t, FloatVector.broadcast(F, QF9));
            qFar = qFar.fma(t, FloatVector.broadcast(F, QF8));
            qFar = qFar.fma(t, FloatVector.broadcast(F, QF7));
            qFar = qFar.fma(t, FloatVector.broadcast(F, QF6));
            qFar = qFar.fma(t, FloatVector.broadcast(F, QF5));
            qFar = qFar.fma(t, FloatVector.broadcast(F, QF4));
            qFar = qFar.fma(t, FloatVector.broadcast(F, QF3));
            qFar = qFar.fma(t, FloatVector.broadcast(F, QF2));
            qFar = qFar.fma(t, FloatVector.broadcast(F, QF1));
            qFar = qFar.fma(t, FloatVector.broadcast(F, QF0));
            qFar.blend(qMid, ay.compare(VectorOperators.LT, Erf.MID)).intoArray(q, i);
        }
    }

    /** q = R(1/|y|) / (|y| sqrt(pi)) where |y| >= 4, q unchanged elsewhere. */
    private static void erfcTail(float[] a, int ao, float[] q, int len, float scale) {
        for (int i = 0; i < len; i += F.length()) {
            FloatVector ay = FloatVector.fromArray(F, a, ao + i).mul(scale).abs();
            FloatVector s = FloatVector.broadcast(F, 1f).div(ay);
            FloatVector t = s.mul(2 * Erf.MAX).sub(1f);
            FloatVector r = t.fma(FloatVector.broadcast(F, R8), FloatVector.broadcast(F, R7));
            r = r.fma(t, FloatVector.broadcast(F, R6));
            r = r.fma(t, FloatVector.broadcast(F, R5));
            r = r.fma(t, FloatVector.broadcast(F, R4));
            r = r.fma(t, FloatVector.broadcast(F, R3));
            r = r.fma(t, FloatVector.broadcast(F, R2));
            r = r.fma(t, FloatVector.broadcast(F, R1));
            r = r.fma(t, FloatVector.broadcast(F, R0));
            FloatVector.fromArray(F, q, i)
                    .blend(r.mul(s).mul(Erf.INV_SQRT_PI), ay.compare(VectorOperators.GE, Erf.MAX))
                    .intoArray(q, i);
        }
    }

    /**
     * The parts every mode needs, y = scale x: small = y P(2y^2 - 1), the small range's value, and the
     * two factors of exp(-y^2) computed from x itself: -y^2 = neg (sq + err) exactly (neg = -scale^2,
     * -1 or -1/2), so exp(-y^2) = exp(neg sq) (1 + neg err). Leaves the exponent neg sq in e and the
     * factor 1 + neg err in corr for {@link #expTimes}.
     */
    private static void smallAndExpArgument(
            float[] a, int ao, float[] small, float[] e, float[] corr, int len, float scale, float neg) {
        for (int i = 0; i < len; i += F.length()) {
            FloatVector x = FloatVector.fromArray(F, a, ao + i);
            FloatVector y = x.mul(scale);
            FloatVector v = y.mul(y).mul(2f).sub(1f);
            FloatVector p = v.fma(FloatVector.broadcast(F, P7), FloatVector.broadcast(F, P6));
            p = p.fma(v, FloatVector.broadcast(F, P5));
            p = p.fma(v, FloatVector.broadcast(F, P4));
            p = p.fma(v, FloatVector.broadcast(F, P3));
            p = p.fma(v, FloatVector.broadcast(F, P2));
            p = p.fma(v, FloatVector.broadcast(F, P1));
            p = p.fma(v, FloatVector.broadcast(F, P0));
            y.mul(p).intoArray(small, i);
            // err is NaN for infinite x, where exp(-sq) is 0 and err does not matter
            FloatVector sq = x.mul(x);
            FloatVector err = x.fma(x, sq.neg()).blend(0f, sq.compare(VectorOperators.GT, 1e4f));
            sq.mul(neg).intoArray(e, i);
            FloatVector.broadcast(F, 1f).add(err.mul(neg)).intoArray(corr, i);
        }
    }

    /** e = exp(e) corr, in place. */
    private static void expTimes(float[] e, float[] corr, int len) {
        for (int i = 0; i < len; i += F.length()) {
            exp(FloatVector.fromArray(F, e, i))
                    .mul(FloatVector.fromArray(F, corr, i))
                    .intoArray(e, i);
        }
    }

    /** erf: 1 - erfc(|x|) with the sign of x, or the small range's value when |x| &lt; 1. */
    private static void erfFinish(
            float[] a, int ao, float[] q, float[] small, float[] e, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += F.length()) {
            FloatVector x = FloatVector.fromArray(F, a, ao + i);
            FloatVector erfc = FloatVector.fromArray(F, e, i).mul(FloatVector.fromArray(F, q, i));
            VectorMask<Float> isSmall = x.abs().compare(VectorOperators.LT, Erf.SMALL);
            FloatVector.broadcast(F, 1f)
                    .sub(erfc)
                    .lanewise(VectorOperators.NEG, x.compare(VectorOperators.LT, 0f))
                    .blend(FloatVector.fromArray(F, small, i), isSmall)
                    .intoArray(out, oo + i);
        }
    }

    /**
     * GELU: x Phi(x) with Phi = erfc(|y|) / 2 (y &lt; 0) or 1 - erfc(|y|) / 2, or (1 + small) / 2 when
     * |y| &lt; 1, y = x / sqrt(2).
     */
    private static void geluFinish(
            float[] a, int ao, float[] q, float[] small, float[] e, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += F.length()) {
            FloatVector x = FloatVector.fromArray(F, a, ao + i);
            FloatVector y = x.mul(Erf.SQRT_HALF);
            FloatVector tail = FloatVector.fromArray(F, e, i)
                    .mul(FloatVector.fromArray(F, q, i))
                    .mul(0.5f);
            FloatVector phi = FloatVector.broadcast(F, 1f)
                    .sub(tail)
                    .blend(tail, y.compare(VectorOperators.LT, 0f))
                    .blend(
                            FloatVector.fromArray(F, small, i).mul(0.5f).add(0.5f),
                            y.abs().compare(VectorOperators.LT, Erf.SMALL));
            x.mul(phi).intoArray(out, oo + i);
        }
    }

    /** GELU's backward: g (Phi(x) + x phi(x)), Phi as in {@link #geluFinish}; exp(-x^2 / 2) serves both terms. */
    private static void geluGradFinish(
            float[] a, int ao, float[] q, float[] small, float[] e, float[] g, int go, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += F.length()) {
            FloatVector x = FloatVector.fromArray(F, a, ao + i);
            FloatVector y = x.mul(Erf.SQRT_HALF);
            FloatVector ev = FloatVector.fromArray(F, e, i);
            FloatVector tail = ev.mul(FloatVector.fromArray(F, q, i)).mul(0.5f);
            FloatVector phi = FloatVector.broadcast(F, 1f)
                    .sub(tail)
                    .blend(tail, y.compare(VectorOperators.LT, 0f))
                    .blend(
                            FloatVector.fromArray(F, small, i).mul(0.5f).add(0.5f),
                            y.abs().compare(VectorOperators.LT, Erf.SMALL));
            // x e is NaN for infinite x (inf * 0): the density term is 0 there
            FloatVector density =
                    x.mul(ev).mul(Erf.INV_SQRT_2PI).blend(0f, x.mul(x).compare(VectorOperators.GT, 1e4f));
            FloatVector.fromArray(F, g, go + i).mul(phi.add(density)).intoArray(out, oo + i);
        }
    }
}
