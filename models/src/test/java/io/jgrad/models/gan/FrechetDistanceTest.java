package io.jgrad.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The Frechet distance against closed forms; the eigendecomposition square root and the Gaussian fit. */
class FrechetDistanceTest {
    static double[][] diag(double... d) {
        double[][] m = new double[d.length][d.length];
        for (int i = 0; i < d.length; i++) {
            m[i][i] = d[i];
        }
        return m;
    }

    /** A random orthogonal matrix (Gram-Schmidt of a Gaussian one). */
    static double[][] orthogonal(int n, Generator g) {
        double[][] q = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = g.nextGaussian();
            }
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += v[i] * q[i][k];
                }
                for (int i = 0; i < n; i++) {
                    v[i] -= dot * q[i][k];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i][j] = v[i] / norm;
            }
        }
        return q;
    }

    /** Q A Q^T. */
    static double[][] rotate(double[][] q, double[][] a) {
        int n = a.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    for (int l = 0; l < n; l++) {
                        s += q[i][k] * a[k][l] * q[j][l];
                    }
                }
                out[i][j] = s;
            }
        }
        return out;
    }

    static double[] rotate(double[][] q, double[] m) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            for (int k = 0; k < m.length; k++) {
                out[i] += q[i][k] * m[k];
            }
        }
        return out;
    }

    @Test
    void diagonalGaussiansHaveTheClosedForm() {
        double[] m1 = {0, 1, -2, 0.5, 3};
        double[] m2 = {1, 1, 0, -0.5, 2};
        double[] a = {1, 4, 0.25, 2, 9};
        double[] b = {4, 1, 0.25, 0.5, 0.01};
        double expected = 0;
        for (int i = 0; i < 5; i++) {
            expected += (m1[i] - m2[i]) * (m1[i] - m2[i]) + Math.pow(Math.sqrt(a[i]) - Math.sqrt(b[i]), 2);
        }
        FrechetDistance.Gaussian p = new FrechetDistance.Gaussian(m1, diag(a));
        FrechetDistance.Gaussian q = new FrechetDistance.Gaussian(m2, diag(b));
        assertEquals(expected, FrechetDistance.distance(p, q), 1e-10);
        // the distance is invariant under a rotation of both Gaussians (full covariances)
        double[][] r = orthogonal(5, new Generator(1));
        FrechetDistance.Gaussian pr = new FrechetDistance.Gaussian(rotate(r, m1), rotate(r, diag(a)));
        FrechetDistance.Gaussian qr = new FrechetDistance.Gaussian(rotate(r, m2), rotate(r, diag(b)));
        assertEquals(expected, FrechetDistance.distance(pr, qr), 1e-9);
        assertEquals(0, FrechetDistance.distance(pr, pr), 1e-9);
    }

    @Test
    void commutingCovariancesOfDimension128() {
        // C1 = Q diag(a) Q^T, C2 = Q diag(b) Q^T commute: tr sqrt(C1 C2) = sum sqrt(a b)
        int n = 128;
        Generator g = new Generator(2);
        double[] a = new double[n];
        double[] b = new double[n];
        double expected = 0;
        for (int i = 0; i < n; i++) {
            a[i] = 0.1 + g.nextDouble() * 3;
            b[i] = i % 7 == 0 ? 0 : 0.1 + g.nextDouble(); // singular too
            expected += Math.pow(Math.sqrt(a[i]) - Math.sqrt(b[i]), 2);
        }
        double[][] q = orthogonal(n, g);
        double[] zero = new double[n];
        double got = FrechetDistance.distance(
                new FrechetDistance.Gaussian(zero, rotate(q, diag(a))),
                new FrechetDistance.Gaussian(zero, rotate(q, diag(b))));
        assertEquals(expected, got, 1e-7 * expected);
    }

    @Test
    void squareRootSquaresBack() {
        int n = 12;
        Generator g = new Generator(3);
        double[][] x = new double[n][n];
        for (double[] row : x) {
            for (int j = 0; j < n; j++) {
                row[j] = g.nextGaussian();
            }
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    a[i][j] += x[i][k] * x[j][k];
                }
            }
        }
        double[][] s = FrechetDistance.sqrtPsd(a);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double ss = 0;
                for (int k = 0; k < n; k++) {
                    ss += s[i][k] * s[k][j];
                }
                assertEquals(a[i][j], ss, 1e-9, "(" + i + ", " + j + ")");
                assertEquals(s[i][j], s[j][i], 1e-12);
            }
        }
        double[] ev = FrechetDistance.symmetricEigenvalues(new double[][] {{2, 1}, {1, 2}});
        Arrays.sort(ev);
        assertEquals(1, ev[0], 1e-14);
        assertEquals(3, ev[1], 1e-14);
    }

    @Test
    void fitGivesTheSampleMeanAndUnbiasedCovariance() {
        Tensor f = Tensor.of(new double[] {1, 2, 3, 6, 5, 1}).reshape(3, 2);
        FrechetDistance.Gaussian g = FrechetDistance.fit(f);
        assertEquals(3, g.mean()[0], 1e-15);
        assertEquals(3, g.mean()[1], 1e-15);
        // x: -2, 0, 2; y: -1, 3, -2
        assertEquals(8.0 / 2, g.cov()[0][0], 1e-14);
        assertEquals(14.0 / 2, g.cov()[1][1], 1e-14);
        assertEquals(-2.0 / 2, g.cov()[0][1], 1e-14);
        assertEquals(g.cov()[0][1], g.cov()[1][0], 0);
        // samples of one Gaussian against themselves: distance 0; a shifted copy: the squared shift
        Tensor x = Tensor.randn(new Generator(4), DType.FLOAT64, 500, 3);
        assertEquals(0, FrechetDistance.distance(x, x), 1e-9);
        assertEquals(3 * 0.25, FrechetDistance.distance(x, x.add(Tensor.full(DType.FLOAT64, 0.5, 500, 3))), 1e-9);
        String m = assertThrows(IllegalArgumentException.class, () -> FrechetDistance.fit(Tensor.zeros(1, 3)))
                .getMessage();
        assertTrue(m.contains("expected features (n, d) with n >= 2 and d >= 1, got (1, 3)"), m);
    }
}
