package io.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gradient clipping against PyTorch's clip_grad_norm_ / clip_grad_value_, and MaxNorm against a naive loop. */
class ClipTest {
    static final Map<String, Tensor> FX = Fixtures.load("/torch/clipping.txt");

    static List<Parameter> withGrads() {
        List<Parameter> ps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Tensor g = Fixtures.get(FX, "grad" + i);
            Parameter p = new Parameter(Tensor.zerosLike(g));
            p.setGrad(g.clone());
            ps.add(p);
        }
        ps.add(new Parameter(Tensor.zeros(2))); // no gradient: skipped
        return ps;
    }

    @Test
    void clipGradNormMatchesPyTorch() {
        Object[][] cases = {
            {"l2", 1.5, 2.0},
            {"l2_noclip", 1000.0, 2.0},
            {"inf", 0.5, Double.POSITIVE_INFINITY},
            {"l1", 2.0, 1.0},
            {"l3", 1.0, 3.0}
        };
        for (Object[] c : cases) {
            String name = (String) c[0];
            List<Parameter> ps = withGrads();
            double total = ClipGrad.clipGradNorm(ps, (double) c[1], (double) c[2]);
            assertEquals(Fixtures.get(FX, name + ".total").item(), total, 1e-12, name + " total");
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(
                        Fixtures.get(FX, name + ".grad" + i).toDoubleArray(),
                        ps.get(i).grad().toDoubleArray(),
                        1e-12,
                        name + " grad" + i);
            }
        }
    }

    @Test
    void clipGradValueMatchesPyTorch() {
        List<Parameter> ps = withGrads();
        ClipGrad.clipGradValue(ps, 0.7);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(
                    Fixtures.get(FX, "value.grad" + i).toDoubleArray(),
                    ps.get(i).grad().toDoubleArray(),
                    0);
        }
    }

    @Test
    void clipGradNormFloat32AndNonFinite() {
        Parameter p = new Parameter(Tensor.zeros(DType.FLOAT32, 3));
        p.setGrad(Tensor.of(new float[] {3, 4, 0}, 3));
        assertEquals(5.0, ClipGrad.clipGradNorm(List.of(p), 1.0), 1e-12);
        assertArrayEquals(new float[] {0.6f, 0.8f, 0}, p.grad().toFloatArray(), 1e-6f);
        p.setGrad(Tensor.of(new float[] {Float.NaN, 1, 0}, 3));
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> ClipGrad.clipGradNorm(List.of(p), 1.0, 2, true));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertEquals(0.0, ClipGrad.clipGradNorm(List.of(new Parameter(Tensor.zeros(1))), 1.0), 0, "no gradients");
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(List.of(p), -1));
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradValue(List.of(p), -1));
    }

    /** Keras' formula w * clip(n, 0, max) / (1e-7 + n), with n the norm of each unit's slice, by naive loops. */
    @Test
    void maxNormMatchesKerasFormula() {
        Generator g = new Generator(5);
        Tensor w = Tensor.randn(g, DType.FLOAT64, 4, 6).mul(2);
        double max = 2.5;
        double[][] ref = new double[4][6];
        for (int r = 0; r < 4; r++) { // a linear weight (out, in): each row is a unit, axis 1
            double n = 0;
            for (int c = 0; c < 6; c++) {
                n += w.getDouble(r, c) * w.getDouble(r, c);
            }
            n = Math.sqrt(n);
            double desired = Math.min(Math.max(n, 0), max);
            for (int c = 0; c < 6; c++) {
                ref[r][c] = w.getDouble(r, c) * (desired / (1e-7 + n));
            }
        }
        Parameter p = new Parameter(w.clone());
        new MaxNorm(max, 1).apply(p);
        for (int r = 0; r < 4; r++) {
            double n = 0;
            for (int c = 0; c < 6; c++) {
                assertEquals(ref[r][c], p.data().getDouble(r, c), 1e-15);
                n += p.data().getDouble(r, c) * p.data().getDouble(r, c);
            }
            assertTrue(Math.sqrt(n) <= max + 1e-12);
        }

        // over several axes (a convolution weight (out, in, kh, kw): axes 1, 2, 3)
        Tensor k = Tensor.randn(g, DType.FLOAT64, 3, 2, 2, 2);
        Tensor kc = k.clone();
        new MaxNorm(1.0, 1, 2, 3).apply(kc);
        for (int o = 0; o < 3; o++) {
            double n = 0;
            for (int i = 0; i < 8; i++) {
                double v = k.getDouble(o, i / 4, (i / 2) % 2, i % 2);
                n += v * v;
            }
            n = Math.sqrt(n);
            double scale = Math.min(n, 1.0) / (1e-7 + n);
            for (int i = 0; i < 8; i++) {
                int[] idx = {o, i / 4, (i / 2) % 2, i % 2};
                assertEquals(k.getDouble(idx) * scale, kc.getDouble(idx), 1e-15);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MaxNorm(1.0, 2).apply(w));
        assertEquals("MaxNorm: axis 2 is out of range for a weight of shape (4, 6)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MaxNorm(-1, 0));
    }
    /**
     * The 2-norm of a gradient longer than several blocks: the blocked, interleaved, parallel sum of
     * squares equals a plain double loop's to rounding, in both float types, with a block split that is a
     * fixed function of the length (so the same bits whatever the thread count), and clipping uses it.
     */
    @Test
    void longGradientsSumTheirSquaresInFixedBlocks() {
        int n = 37 * ClipGrad.BLOCK + 17;
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor g = Tensor.randn(new Generator(3), dt, n).narrow(0, 5, n - 5); // an offset too
            double[] v = g.toDoubleArray();
            double plain = 0;
            for (double x : v) {
                plain += x * x;
            }
            double blocked = ClipGrad.sumOfSquares(g);
            assertEquals(plain, blocked, 1e-13 * plain, dt.toString());
            double byHand = 0;
            for (int b = 0; b * ClipGrad.BLOCK < v.length; b++) {
                double[] s = new double[4];
                int len = Math.min(ClipGrad.BLOCK, v.length - b * ClipGrad.BLOCK);
                int i = 0;
                for (; i + 4 <= len; i += 4) {
                    for (int l = 0; l < 4; l++) {
                        double x = v[b * ClipGrad.BLOCK + i + l];
                        s[l] += x * x;
                    }
                }
                for (; i < len; i++) {
                    double x = v[b * ClipGrad.BLOCK + i];
                    s[0] += x * x;
                }
                byHand += (s[0] + s[1]) + (s[2] + s[3]);
            }
            assertEquals(byHand, blocked, 0, dt + ": the blocks' order of summation");
            Parameter p = new Parameter(Tensor.zeros(dt, n - 5));
            p.setGrad(g.clone());
            double total = ClipGrad.clipGradNorm(List.of(p), 1e-3);
            assertEquals(Math.sqrt(plain), total, 1e-12 * Math.sqrt(plain), dt + " clipGradNorm");
        }
    }
}
