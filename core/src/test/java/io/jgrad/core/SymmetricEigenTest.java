package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
    @Test
    void twoByTwoKnownAnswer() {
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
        assertArrayEquals(new double[] {1, 3}, e.values(), 1e-14);
        // eigenvector of 3 is (1, 1)/sqrt 2 up to sign
        assertEquals(Math.abs(e.vectors()[0][1]), Math.sqrt(0.5), 1e-14);
        assertEquals(e.vectors()[0][1], e.vectors()[1][1], 1e-14);
    }

    @Test
    void reconstructsARandomSymmetricMatrixWithOrthonormalVectors() {
        Generator g = new Generator(3);
        int n = 12;
        Tensor r = Tensor.randn(g, DType.FLOAT64, n, n);
        Tensor a = r.add(r.t()).mul(0.5);
        SymmetricEigen e = SymmetricEigen.of(a);
        double[][] v = e.vectors();
        for (int k = 1; k < n; k++) {
            assertEquals(true, e.values()[k - 1] <= e.values()[k], "ascending");
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double rec = 0;
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    rec += v[i][k] * e.values()[k] * v[j][k];
                    dot += v[k][i] * v[k][j];
                }
                assertEquals(a.getDouble(i, j), rec, 1e-12, "A at " + i + "," + j);
                assertEquals(i == j ? 1 : 0, dot, 1e-12, "V^T V at " + i + "," + j);
            }
        }
        // the trace is the sum of the eigenvalues
        double tr = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            tr += a.getDouble(i, i);
            sum += e.values()[i];
        }
        assertEquals(tr, sum, 1e-12);
    }

    @Test
    void diagonalSingularAndErrors() {
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{0, 0, 0}, {0, 5, 0}, {0, 0, -1}});
        assertArrayEquals(new double[] {-1, 0, 5}, e.values(), 0);
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(Tensor.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{Double.NaN}}));
    }
}
