package io.jgrad.core.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorized exp, tanh and sigmoid in single precision by range reduction and minimax polynomials
 * (the Cephes single-precision coefficients), accurate to about 1-2 ulp. Used where the JDK has no
 * vectorized {@code lanewise(EXP)} (which then falls back to a scalar loop over {@code Math.exp}).
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

    private VectorMath() {
    }

    private static FloatVector c(float v) {
        return FloatVector.broadcast(F, v);
    }

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
        FloatVector r = n.fma(c(-LN2_HI), x);
        r = n.fma(c(-LN2_LO), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, c(8.3334519073e-3f));
        p = p.fma(r, c(4.1665795894e-2f));
        p = p.fma(r, c(1.6666665459e-1f));
        p = p.fma(r, c(5.0000001201e-1f));
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
        p = p.fma(z, c(-5.37397155531e-2f));
        p = p.fma(z, c(1.33314422036e-1f));
        p = p.fma(z, c(-3.33332819422e-1f));
        FloatVector small = p.mul(z).fma(x, x);
        FloatVector e = exp(ax.add(ax));
        FloatVector large = FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(e.add(1f)));
        // copy the sign of x onto the large-|x| branch
        large = large.lanewise(VectorOperators.NEG, x.compare(VectorOperators.LT, 0f));
        VectorMask<Float> isSmall = ax.compare(VectorOperators.LT, TANH_SMALL);
        return large.blend(small, isSmall);
    }
}
