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
    /** Chebyshev coefficients per piece: of erf(x)/x on the first (relative accuracy near 0), of erf beyond. */
    private static final double[][] CHEB = chebyshevTable();

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
     * erf to about 1e-14 in a few dozen flops, for single-precision tensors: a piecewise Chebyshev
     * interpolant of {@link #erf}, built from it when the class loads (13 nodes on each half-unit
     * piece). Near 0 it interpolates erf(x)/x, so small arguments keep their relative accuracy.
     */
    static double fast(double x) {
        double ax = Math.abs(x);
        if (!(ax < PIECES * 0.5)) {
            return Double.isNaN(x) ? x : Math.copySign(1.0, x);
        }
        int i = (int) (ax * 2);
        double[] c = CHEB[i];
        double u = 4 * ax - 2 * i - 1; // [i/2, (i+1)/2) -> [-1, 1)
        double b1 = 0;
        double b2 = 0;
        for (int j = DEGREE; j >= 1; j--) {
            double b0 = 2 * u * b1 - b2 + c[j];
            b2 = b1;
            b1 = b0;
        }
        double r = u * b1 - b2 + c[0];
        if (i == 0) {
            r *= ax;
        }
        return x < 0 ? -r : r;
    }

    private static double[][] chebyshevTable() {
        int nodes = DEGREE + 1;
        double[][] t = new double[PIECES][nodes];
        double[] f = new double[nodes];
        for (int i = 0; i < PIECES; i++) {
            for (int k = 0; k < nodes; k++) {
                double x = i * 0.5 + (Math.cos(Math.PI * (k + 0.5) / nodes) + 1) * 0.25;
                f[k] = i == 0 ? erf(x) / x : erf(x);
            }
            for (int j = 0; j < nodes; j++) {
                double s = 0;
                for (int k = 0; k < nodes; k++) {
                    s += f[k] * Math.cos(Math.PI * j * (k + 0.5) / nodes);
                }
                t[i][j] = (j == 0 ? 1.0 : 2.0) / nodes * s;
            }
        }
        return t;
    }
}
