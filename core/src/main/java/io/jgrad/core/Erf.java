package io.jgrad.core;

/**
 * The error function to about 1e-15 relative accuracy: a series with only positive terms for
 * {@code |x| < 3} (no cancellation), and the continued fraction of erfc beyond.
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    /** Pieces of {@link #fast}: [i/2, (i+1)/2) for i below this; 1 beyond (erf(6) = 1 - 2e-17). */
    private static final int PIECES = 12;
    /** Degree of each piece's Chebyshev interpolant. */
    private static final int DEGREE = 12;
    /**
     * Per piece, the power-basis coefficients (in u, the piece mapped onto [-1, 1]) of the Chebyshev
     * interpolant: of erf(x)/x on the first piece (relative accuracy near 0), of erf beyond.
     */
    private static final double[][] POLY = interpolants();

    private Erf() {
    }

    static double erf(double x) {
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

    /** erfc(x) for x >= 3 from its continued fraction, evaluated bottom-up. */
    private static double erfcLarge(double x) {
        double t = x;
        for (int k = 80; k >= 1; k--) {
            t = x + (k / 2.0) / t;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / t;
    }

    /**
     * erf to about 1e-14 in a dozen multiply-adds, for single-precision tensors: a piecewise Chebyshev
     * interpolant of {@link #erf}, built from it when the class loads (13 nodes on each half-unit
     * piece). Near 0 it interpolates erf(x)/x, so small arguments keep their relative accuracy.
     */
    static double fast(double x) {
        double ax = Math.abs(x);
        if (!(ax < PIECES * 0.5)) {
            return Double.isNaN(x) ? x : Math.copySign(1.0, x);
        }
        int i = (int) (ax * 2);
        double[] c = POLY[i];
        double u = 4 * ax - 2 * i - 1; // [i/2, (i+1)/2) -> [-1, 1)
        // even and odd powers as two independent Horner chains in u^2: half the latency of one chain
        // (a Clenshaw recurrence, three times longer, measured 40 ns per value)
        double u2 = u * u;
        double even = c[DEGREE]; // DEGREE is even
        for (int j = DEGREE - 2; j >= 0; j -= 2) {
            even = even * u2 + c[j];
        }
        double odd = c[DEGREE - 1];
        for (int j = DEGREE - 3; j >= 1; j -= 2) {
            odd = odd * u2 + c[j];
        }
        double r = even + u * odd;
        if (i == 0) {
            r *= ax;
        }
        return x < 0 ? -r : r;
    }

    private static double[][] interpolants() {
        int nodes = DEGREE + 1;
        double[][] t = new double[PIECES][];
        double[] f = new double[nodes];
        for (int i = 0; i < PIECES; i++) {
            for (int k = 0; k < nodes; k++) {
                double x = i * 0.5 + (Math.cos(Math.PI * (k + 0.5) / nodes) + 1) * 0.25;
                f[k] = i == 0 ? erf(x) / x : erf(x);
            }
            // Chebyshev coefficients c_j, then sum_j c_j T_j(u) in powers of u (T_j+1 = 2u T_j - T_j-1)
            double[] poly = new double[nodes];
            double[] prev = new double[nodes];
            double[] cur = new double[nodes];
            prev[0] = 1;
            cur[1] = 1;
            for (int j = 0; j < nodes; j++) {
                double s = 0;
                for (int k = 0; k < nodes; k++) {
                    s += f[k] * Math.cos(Math.PI * j * (k + 0.5) / nodes);
                }
                double cj = (j == 0 ? 1.0 : 2.0) / nodes * s;
                double[] tj = j == 0 ? prev : cur;
                for (int d = 0; d < nodes; d++) {
                    poly[d] += cj * tj[d];
                }
                if (j >= 1 && j + 1 < nodes) {
                    double[] next = new double[nodes];
                    for (int d = 0; d < nodes; d++) {
                        next[d] = (d > 0 ? 2 * cur[d - 1] : 0) - prev[d];
                    }
                    prev = cur;
                    cur = next;
                }
            }
            t[i] = poly;
        }
        return t;
    }
}
