package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.testing.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Initializers: PyTorch's gains (fixture), fans, and the moments and bounds of each distribution on
 * large samples (tolerances several standard errors wide), orthogonality, and the default scheme of
 * each layer.
 */
class InitTest {
    @Test
    void gainsEqualPyTorch() {
        Map<String, Tensor> f = Fixtures.load("/torch/INIT_gains.txt");
        for (String n : new String[] {"linear", "conv1d", "conv2d", "sigmoid", "tanh", "relu", "selu", "leaky_relu"}) {
            assertEquals(f.get("gain." + n).item(), Init.calculateGain(n), 1e-15, n);
        }
        assertEquals(f.get("gain.leaky_relu_0.2").item(), Init.calculateGain("leaky_relu", 0.2), 1e-15);
        assertEquals(f.get("gain.leaky_relu_sqrt5").item(), Init.calculateGain("leaky_relu", Math.sqrt(5)), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish"));
        assertTrue(e.getMessage().contains("unsupported nonlinearity 'swish'"), e.getMessage());
    }

    @Test
    void fans() {
        assertArrayEquals(new int[] {20, 30}, Init.fans(Tensor.zeros(30, 20)));
        assertArrayEquals(new int[] {3 * 25, 16 * 25}, Init.fans(Tensor.zeros(16, 3, 5, 5)));
        assertThrows(IllegalArgumentException.class, () -> Init.fans(Tensor.zeros(4)));
    }

    /** {mean, std, min, max} of the values. */
    static double[] moments(Tensor t) {
        double[] v = t.toDoubleArray();
        double s = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            s += d;
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        double m = s / v.length;
        double q = 0;
        for (double d : v) {
            q += (d - m) * (d - m);
        }
        return new double[] {m, Math.sqrt(q / v.length), min, max};
    }

    static void assertUniform(Tensor t, double bound) {
        double[] m = moments(t);
        assertTrue(m[2] >= -bound && m[3] <= bound, "values outside +-" + bound);
        assertTrue(m[2] < -0.99 * bound && m[3] > 0.99 * bound, "values do not fill +-" + bound);
        assertEquals(0, m[0], 0.02 * bound);
        assertEquals(bound / Math.sqrt(3), m[1], 0.01 * bound);
    }

    static void assertNormal(Tensor t, double mean, double std) {
        double[] m = moments(t);
        assertEquals(mean, m[0], 0.02 * std);
        assertEquals(std, m[1], 0.01 * std);
    }

    @Test
    void distributions() {
        Generator g = new Generator(1);
        Tensor t = Tensor.zeros(300, 200);
        assertUniform(Init.uniform(t, -0.3, 0.3, g), 0.3);
        assertNormal(Init.normal(t, 1.5, 0.2, g), 1.5, 0.2);
        assertUniform(Init.xavierUniform(t, 2, g), 2 * Math.sqrt(6.0 / 500));
        assertNormal(Init.xavierNormal(t, 1, g), 0, Math.sqrt(2.0 / 500));
        assertUniform(Init.kaimingUniform(t, 0, Init.FanMode.FAN_IN, "relu", g), Math.sqrt(2) * Math.sqrt(3.0 / 200));
        assertNormal(Init.kaimingNormal(t, 0, Init.FanMode.FAN_OUT, "relu", g), 0, Math.sqrt(2.0 / 300));
        assertNormal(
                Init.kaimingNormal(t, 0.2, Init.FanMode.FAN_IN, "leaky_relu", g),
                0,
                Math.sqrt(2 / 1.04) / Math.sqrt(200));
        assertNormal(Init.lecunNormal(t, g), 0, 1 / Math.sqrt(200));
        assertEquals(0, Init.zeros(t).abs().sum().item());
        assertEquals(60000, Init.ones(t).sum().item());
        assertEquals(-2.5, Init.constant(t, -2.5).max().item());
        Tensor d = Init.normal(Tensor.zeros(DType.FLOAT64, 100, 100), 0, 1, g);
        assertNormal(d, 0, 1);
        assertThrows(IllegalArgumentException.class, () -> Init.uniform(Tensor.zeros(DType.INT32, 3), 0, 1, g));
        assertThrows(IllegalArgumentException.class, () -> Init.normal(t, 0, -1, g));
    }

    @Test
    void sameSeedSameValues() {
        Tensor a = Init.kaimingUniform(
                Tensor.zeros(5, 4), Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", new Generator(9));
        Tensor b = Init.kaimingUniform(
                Tensor.zeros(5, 4), Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", new Generator(9));
        assertTrue(a.equal(b));
    }

    @Test
    void orthogonal() {
        Generator g = new Generator(2);
        for (int[] s : new int[][] {{6, 6}, {4, 9}, {9, 4}, {3, 2, 2, 2}}) {
            Tensor q = Init.orthogonal(Tensor.zeros(DType.FLOAT64, s), 1.7, g);
            int rows = s[0];
            Tensor m = q.reshape(rows, -1);
            Tensor gram = rows <= m.size(1) ? m.matmul(m.t()) : m.t().matmul(m);
            int n = gram.size(0);
            assertTrue(
                    gram.allClose(Tensor.eye(DType.FLOAT64, n, n).mul(1.7 * 1.7), 0, 1e-12),
                    "not orthogonal for " + java.util.Arrays.toString(s));
        }
        // sign correction makes the distribution uniform: each entry has mean 0 and variance 1 / n
        double sum = 0;
        double sq = 0;
        int trials = 3000;
        for (int k = 0; k < trials; k++) {
            double v = Init.orthogonal(Tensor.zeros(DType.FLOAT64, 3, 3), 1, g).getDouble(0, 0);
            sum += v;
            sq += v * v;
        }
        assertEquals(0, sum / trials, 0.05);
        assertEquals(1.0 / 3, sq / trials, 0.03);
    }

    @Test
    void layerDefaultsFollowPyTorch() {
        Generator.manualSeed(4);
        Linear l = new Linear(400, 300);
        double bound = 1 / Math.sqrt(400);
        assertUniform(l.weight().data(), bound);
        double[] b = moments(l.bias().data());
        assertTrue(b[2] >= -bound && b[3] <= bound);
        BatchNorm2d bn = new BatchNorm2d(4);
        assertTrue(bn.weight().data().equal(Tensor.ones(4)) && bn.bias().data().equal(Tensor.zeros(4)));
        assertTrue(bn.runningVar().equal(Tensor.ones(4)) && bn.runningMean().equal(Tensor.zeros(4)));
        LayerNorm ln = new LayerNorm(6);
        assertTrue(ln.weight().data().equal(Tensor.ones(6)) && ln.bias().data().equal(Tensor.zeros(6)));
        WeightNorm wn = new WeightNorm(new Linear(5, 3));
        Tensor gNorm = wn.parameter("weight_v").data().norm(2, new int[] {1}, true);
        assertTrue(wn.parameter("weight_g").data().allClose(gNorm, 1e-6, 1e-7));
        ConvCases.assertConvDefaults();
    }
}
