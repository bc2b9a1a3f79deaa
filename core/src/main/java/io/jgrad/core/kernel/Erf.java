package io.jgrad.core.kernel;

/**
 * The error function. In double precision {@link #erf} is good to about 1e-15 relative: a series with
 * only positive terms for {@code |x| < 3} (no cancellation), and the continued fraction of erfc beyond.
 * It is slow (dozens of terms), so single-precision tensors use {@link #erf(float)} and
 * {@link #gelu(float)}: polynomials on three ranges, fitted to the double version when the class loads
 * (Chebyshev interpolation, no tabled constants), which the vector kernels evaluate lane by lane in
 * the same way.
 *
 * <p>For {@code |x| < 1}, {@code erf(x) = x P(x^2)}; beyond, {@code erfc(|x|) = exp(-x^2) Q(|x|)} with
 * Q a polynomial in |x| on [1, 2.5) and on [2.5, 4), and {@code R(1/|x|) / (|x| sqrt(pi))} from 4 on, R a
 * polynomial in 1/|x| (erfc's asymptotic form). GELU takes {@code Phi(x)} from the same pieces without
 * forming {@code 1 + erf}, so its tail for negative x keeps its relative accuracy (measured: erf within
 * 2 ulp, GELU within 10 ulp, until Phi(x) itself is subnormal below x = -13.1).
 */
public final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    /** Range boundaries: x P(x^2) below {@link #SMALL}, exp(-x^2) Q(|x|) from there on. */
    public static final float SMALL = 1f;
    /** Where the middle range of erfc ends and the last begins. */
    public static final float MID = 2.5f;
    /** Where the last range, in 1/|x|, begins. */
    public static final float MAX = 4f;
    /** 1 / sqrt(pi) in single precision. */
    public static final float INV_SQRT_PI = (float) (1 / Math.sqrt(Math.PI));
    /** sqrt(1/2) in single precision: GELU's Phi(x) = (1 + erf(x SQRT_HALF)) / 2. */
    public static final float SQRT_HALF = (float) Math.sqrt(0.5);
    /** Degree of P in x^2 (small range). */
    static final int DEGREE_SMALL = 7;
    /** Degree of the two Q polynomials. */
    static final int DEGREE_LARGE = 11;
    /** Degree of R, in 1/|x| on (0, 1/4]. */
    static final int DEGREE_TAIL = 8;

    /**
     * Coefficients, in powers of a variable mapped onto [-1, 1]: P in {@code v = 2x^2 - 1} on [0, 1];
     * Q in {@code t = (|x| - c) / h} on each large range ({@link #center}, {@link #halfWidth}).
     */
    private static final float[] P = chebyshev(Erf::smallFunction, 0, 1, DEGREE_SMALL);

    private static final float[] Q_MID = chebyshev(Erf::scaledErfc, SMALL, MID, DEGREE_LARGE);
    private static final float[] Q_FAR = chebyshev(Erf::scaledErfc, MID, MAX, DEGREE_LARGE);
    /** R in {@code s = (1/|x| - 1/8) * 8}, i.e. 1/|x| on (0, 1/4] mapped onto [-1, 1]. */
    private static final float[] R_TAIL = chebyshev(Erf::asymptoticFactor, 0, 1 / MAX, DEGREE_TAIL);

    private Erf() {}

    /** A copy of P's coefficients (constant term first). */
    public static float[] smallPolynomial() {
        return P.clone();
    }

    /** A copy of the middle range's Q coefficients (constant term first). */
    public static float[] midPolynomial() {
        return Q_MID.clone();
    }

    /** A copy of the last-but-one range's Q coefficients (constant term first). */
    public static float[] farPolynomial() {
        return Q_FAR.clone();
    }

    /** A copy of R's coefficients, in {@code 8/|x| - 1} (constant term first). */
    public static float[] tailPolynomial() {
        return R_TAIL.clone();
    }

    /** erf in single precision, within a few ulp (see the class comment). NaN stays NaN. */
    public static float erf(float x) {
        float ax = Math.abs(x);
        if (ax < SMALL) {
            return x * horner(P, 2 * x * x - 1);
        }
        // x^2 is exact in double: exp(-x^2) then carries no rounding error of its argument
        float r = 1 - erfcFloat(ax, (double) ax * ax);
        return x < 0 ? -r : r;
    }

    /** GELU {@code x Phi(x)} in single precision, Phi from the pieces of {@link #erf(float)}. */
    public static float gelu(float x) {
        float y = x * SQRT_HALF;
        float ay = Math.abs(y);
        float phi;
        if (ay < SMALL) {
            phi = 0.5f + 0.5f * y * horner(P, 2 * y * y - 1);
        } else {
            // the exponent from x itself, x^2 / 2 exactly, not from the rounded y
            float tail = 0.5f * erfcFloat(ay, (double) x * x * 0.5);
            phi = y < 0 ? tail : 1 - tail;
        }
        return x * phi;
    }

    /** 1 / sqrt(2 pi) in single precision: the standard normal density is exp(-x^2 / 2) / sqrt(2 pi). */
    public static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    /** GELU's derivative {@code Phi(x) + x phi(x)} in single precision, Phi as in {@link #gelu(float)}. */
    public static float geluDerivative(float x) {
        float y = x * SQRT_HALF;
        float ay = Math.abs(y);
        double e = Math.exp(-(double) x * x * 0.5);
        double phi;
        if (ay < SMALL) {
            phi = 0.5f + 0.5f * y * horner(P, 2 * y * y - 1);
        } else {
            double tail = 0.5 * e * erfcFactor(ay);
            phi = y < 0 ? tail : 1 - tail;
        }
        // the density term is 0 where exp underflows (also for infinite x, where x e would be NaN)
        return (float) (phi + (e == 0 ? 0 : x * e * INV_SQRT_2PI));
    }

    /** erfc(a) for a >= 1 in single precision, given a^2 (exactly); NaN for NaN. */
    private static float erfcFloat(float a, double a2) {
        return (float) (Math.exp(-a2) * erfcFactor(a));
    }

    /** Q(a) = erfc(a) exp(a^2) for a >= 1, the polynomial of a's range. */
    private static float erfcFactor(float a) {
        if (a < MID) {
            return horner(Q_MID, (a - center(SMALL, MID)) * (1 / halfWidth(SMALL, MID)));
        } else if (a < MAX) {
            return horner(Q_FAR, (a - center(MID, MAX)) * (1 / halfWidth(MID, MAX)));
        }
        float s = 1 / a;
        return horner(R_TAIL, s * (2 * MAX) - 1) * s * INV_SQRT_PI;
    }

    /** The middle of a range. */
    public static float center(float lo, float hi) {
        return (lo + hi) / 2;
    }

    /** Half the width of a range. */
    public static float halfWidth(float lo, float hi) {
        return (hi - lo) / 2;
    }

    private static float horner(float[] c, float t) {
        float r = c[c.length - 1];
        for (int j = c.length - 2; j >= 0; j--) {
            r = r * t + c[j];
        }
        return r;
    }

    /** erf(sqrt(z)) / sqrt(z), the P of the small range. */
    private static double smallFunction(double z) {
        double x = Math.sqrt(z);
        return erf(x) / x;
    }

    /** erfc(x) exp(x^2) for x >= 1, the Q of the large ranges (no underflow for large x). */
    private static double scaledErfc(double x) {
        return x < 3 ? erfc(x) * Math.exp(x * x) : 1 / (Math.sqrt(Math.PI) * continuedFraction(x));
    }

    /** erfc(1/s) exp(1/s^2) sqrt(pi) / s for 0 < s <= 1/4 (1 at s = 0), the R of the last range. */
    private static double asymptoticFactor(double s) {
        return s == 0 ? 1 : scaledErfc(1 / s) * Math.sqrt(Math.PI) / s;
    }

    /** erfc in double precision: 1 - erf(x) below 3 (about 1e-11 relative at 3), a continued fraction beyond. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 3) {
            return 1 - erf(x);
        }
        return x < 27 ? erfcLarge(x) : 0;
    }

    /**
     * The degree-d Chebyshev interpolant of f on [lo, hi] (d + 1 nodes), as power-basis coefficients
     * in t = (x - center) / halfWidth, rounded to float.
     */
    private static float[] chebyshev(java.util.function.DoubleUnaryOperator f, double lo, double hi, int d) {
        int nodes = d + 1;
        double[] fx = new double[nodes];
        for (int k = 0; k < nodes; k++) {
            fx[k] = f.applyAsDouble((lo + hi) / 2 + (hi - lo) / 2 * Math.cos(Math.PI * (k + 0.5) / nodes));
        }
        double[] poly = new double[nodes];
        double[] prev = new double[nodes];
        double[] cur = new double[nodes];
        prev[0] = 1;
        cur[1] = 1;
        for (int j = 0; j < nodes; j++) {
            double s = 0;
            for (int k = 0; k < nodes; k++) {
                s += fx[k] * Math.cos(Math.PI * j * (k + 0.5) / nodes);
            }
            double cj = (j == 0 ? 1.0 : 2.0) / nodes * s;
            double[] tj = j == 0 ? prev : cur;
            for (int e = 0; e < nodes; e++) {
                poly[e] += cj * tj[e];
            }
            if (j >= 1 && j + 1 < nodes) {
                // T_(j+1) = 2t T_j - T_(j-1)
                double[] next = new double[nodes];
                for (int e = 0; e < nodes; e++) {
                    next[e] = (e > 0 ? 2 * cur[e - 1] : 0) - prev[e];
                }
                prev = cur;
                cur = next;
            }
        }
        float[] out = new float[nodes];
        for (int e = 0; e < nodes; e++) {
            out[e] = (float) poly[e];
        }
        return out;
    }

    /** erf in double precision, to about 1e-15 relative. */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        double r;
        if (ax < 3) {
            // erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))
            double x2 = ax * ax;
            double term = ax;
            double sum = ax;
            for (int n = 1; n < 200; n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
                if (term < sum * 1e-17) {
                    break;
                }
            }
            r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        } else if (ax < 27) {
            r = 1 - erfcLarge(ax);
        } else {
            r = 1;
        }
        return x < 0 ? -r : r;
    }

    /** erfc(x) for x >= 3 from its continued fraction. */
    private static double erfcLarge(double x) {
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / continuedFraction(x);
    }

    /** The continued fraction x + (1/2)/(x + 1/(x + (3/2)/(x + ...))) = exp(-x^2) / (sqrt(pi) erfc(x)), bottom-up. */
    private static double continuedFraction(double x) {
        double t = x;
        for (int k = 80; k >= 1; k--) {
            t = x + (k / 2.0) / t;
        }
        return t;
    }
}
