package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Seeded randomness: reproducible, replayable from a saved state, and with the right distribution. */
class GeneratorTest {
    private static final int N = 100_000;

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double variance(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return s / (v.length - 1);
    }

    @Test
    void sameSeedSameNumbers() {
        for (Function<Generator, Tensor> make : Arrays.<Function<Generator, Tensor>>asList(
                g -> Tensor.rand(g, 3, 5),
                g -> Tensor.rand(g, DType.FLOAT64, 7),
                g -> Tensor.randn(g, 4, 4),
                g -> Tensor.randn(g, DType.FLOAT64, 9),
                g -> Tensor.randint(g, -3, 8, 20),
                g -> Tensor.bernoulli(g, 0.3, 50),
                g -> Tensor.bernoulli(g, DType.FLOAT64, 0.7, 5, 2),
                g -> Tensor.randperm(g, 30))) {
            Tensor a = make.apply(new Generator(1234));
            Tensor b = make.apply(new Generator(1234));
            Tensor c = make.apply(new Generator(1235));
            assertArrayEquals(Ref.values(a), Ref.values(b), 0.0, "same seed");
            assertFalse(Arrays.equals(Ref.values(a), Ref.values(c)), "another seed gives other numbers");
        }
        Generator.manualSeed(99);
        double[] first = Ref.values(Tensor.randn(Generator.global(), 10));
        Generator.manualSeed(99);
        assertArrayEquals(first, Ref.values(Tensor.randn(Generator.global(), 10)), 0.0);
    }

    @Test
    void stateReplays() {
        Generator g = new Generator(7);
        Tensor.randn(g, 3); // an odd count leaves a cached normal deviate in the state
        long[] state = g.getState();
        double[] a = Ref.values(Tensor.randn(g, DType.FLOAT64, 11));
        double[] a2 = Ref.values(Tensor.rand(g, 5));
        g.setState(state);
        assertArrayEquals(a, Ref.values(Tensor.randn(g, DType.FLOAT64, 11)), 0.0);
        assertArrayEquals(a2, Ref.values(Tensor.rand(g, 5)), 0.0);
        Generator h = new Generator(7);
        Tensor.randn(h, 3);
        Generator copy = h.copy();
        assertEquals(h.nextGaussian(), copy.nextGaussian());
        assertEquals(h.nextLong(), copy.nextLong());
        copy.nextLong();
        assertFalse(Arrays.equals(h.getState(), copy.getState()), "a copy advances independently");
        h.manualSeedThis(7);
        assertArrayEquals(Ref.values(Tensor.randn(new Generator(7), 3)), Ref.values(Tensor.randn(h, 3)), 0.0);
        assertThrows(IllegalArgumentException.class, () -> g.setState(new long[2]));
        assertThrows(IllegalArgumentException.class, () -> g.setState(null));
    }

    @Test
    void uniformDistribution() {
        for (DType dt : Ref.FLOATS) {
            double[] v = Ref.values(Tensor.rand(new Generator(11), dt, N));
            for (double x : v) {
                assertTrue(x >= 0 && x < 1, "in [0, 1): " + x);
            }
            assertEquals(0.5, mean(v), 5 * Math.sqrt(1.0 / 12 / N));
            assertEquals(1.0 / 12, variance(v), 0.002);
            // Kolmogorov-Smirnov distance to the uniform CDF (critical value at 1%: 1.63 / sqrt(n))
            double[] s = v.clone();
            Arrays.sort(s);
            double d = 0;
            for (int k = 0; k < N; k++) {
                d = Math.max(d, Math.max(Math.abs(s[k] - (double) k / N), Math.abs(s[k] - (double) (k + 1) / N)));
            }
            assertTrue(d < 1.63 / Math.sqrt(N), "KS distance " + d);
        }
    }

    @Test
    void normalDistribution() {
        for (DType dt : Ref.FLOATS) {
            double[] v = Ref.values(Tensor.randn(new Generator(12), dt, N));
            assertEquals(0, mean(v), 5 / Math.sqrt(N));
            assertEquals(1, variance(v), 5 * Math.sqrt(2.0 / N));
            int in1 = 0;
            int in2 = 0;
            for (double x : v) {
                in1 += Math.abs(x) < 1 ? 1 : 0;
                in2 += Math.abs(x) < 2 ? 1 : 0;
            }
            assertEquals(0.682689, (double) in1 / N, 0.0075, "within one sigma");
            assertEquals(0.954500, (double) in2 / N, 0.0035, "within two sigma");
        }
    }

    @Test
    void integerAndBernoulliDistributions() {
        int[] r = Tensor.randint(new Generator(13), -5, 5, N).intData();
        int[] counts = new int[10];
        for (int x : r) {
            assertTrue(x >= -5 && x < 5, "randint in [low, high): " + x);
            counts[x + 5]++;
        }
        for (int c : counts) {
            assertEquals(N / 10.0, c, 5 * Math.sqrt(N * 0.1 * 0.9));
        }
        Generator g = new Generator(14);
        int big = (1 << 30) + 12345;
        long over = 0;
        for (int k = 0; k < 10_000; k++) {
            int x = g.nextInt(big);
            assertTrue(x >= 0 && x < big);
            over += x >= big / 2 ? 1 : 0;
        }
        assertEquals(5000, (float) over, 5 * 50);
        assertEquals(0, g.nextInt(1));
        double[] b = Ref.values(Tensor.bernoulli(new Generator(15), 0.3, N));
        for (double x : b) {
            assertTrue(x == 0 || x == 1);
        }
        assertEquals(0.3, mean(b), 5 * Math.sqrt(0.21 / N));
        assertEquals(0, mean(Ref.values(Tensor.bernoulli(new Generator(1), 0, 100))));
        assertEquals(1, mean(Ref.values(Tensor.bernoulli(new Generator(1), 1, 100))));
        // a range wider than Integer.MAX_VALUE
        int[] wide = Tensor.randint(new Generator(16), Integer.MIN_VALUE, Integer.MAX_VALUE, 4000)
                .intData();
        int negative = 0;
        for (int x : wide) {
            assertTrue(x < Integer.MAX_VALUE);
            negative += x < 0 ? 1 : 0;
        }
        assertEquals(2000, negative, 5 * Math.sqrt(1000), "about half of [-2^31, 2^31 - 1) is negative");
    }

    @Test
    void randpermIsAPermutation() {
        for (int n : new int[] {0, 1, 2, 10, 1000}) {
            int[] p = Tensor.randperm(new Generator(n), n).intData();
            int[] sorted = p.clone();
            Arrays.sort(sorted);
            for (int k = 0; k < n; k++) {
                assertEquals(k, sorted[k], "randperm(" + n + ") is a permutation");
            }
        }
        // every position sees every value about equally often
        int n = 5;
        int[][] seen = new int[n][n];
        Generator g = new Generator(17);
        for (int rep = 0; rep < 20_000; rep++) {
            int[] p = Tensor.randperm(g, n).intData();
            for (int k = 0; k < n; k++) {
                seen[k][p[k]]++;
            }
        }
        for (int[] row : seen) {
            for (int c : row) {
                assertEquals(4000, c, 5 * Math.sqrt(20_000 * 0.2 * 0.8));
            }
        }
    }

    @Test
    void argumentErrors() {
        Generator g = new Generator(0);
        assertThrows(IllegalArgumentException.class, () -> Tensor.randint(g, 3, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.bernoulli(g, 1.5, 2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.bernoulli(g, Double.NaN, 2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.rand(g, DType.INT32, 2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.randn(g, DType.INT32, 2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.randperm(g, -1));
        assertThrows(IllegalArgumentException.class, () -> g.nextInt(0));
    }
}
