package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The int8 product on both of its paths (the int8 kernel for small batches, widened blocks and GEMM for large ones). */
class Int8MatmulTest {
    /** x (q * scale)^T + bias in double. */
    private static double[] reference(float[] x, int m, int k, byte[] q, int n, float[] scale, float[] bias) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) x[i * k + p] * q[j * k + p] * scale[j];
                }
                out[i * n + j] = s + (bias == null ? 0 : bias[j]);
            }
        }
        return out;
    }

    @Test
    void smallAndLargeBatchesGiveTheSameProduct() {
        SplittableRandom r = new SplittableRandom(3);
        int k = 37;
        int n = 150; // more than two blocks of 64 weight rows
        byte[] q = new byte[n * k];
        float[] scale = new float[n];
        float[] bias = new float[n];
        for (int i = 0; i < q.length; i++) {
            q[i] = (byte) (r.nextInt(255) - 127);
        }
        for (int j = 0; j < n; j++) {
            scale[j] = (float) (0.01 * (1 + r.nextDouble()));
            bias[j] = (float) r.nextDouble();
        }
        for (int m : new int[] {1, Int8Matmul.DIRECT_ROWS, Int8Matmul.DIRECT_ROWS + 1, 100}) {
            float[] x = new float[m * k];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextDouble() * 2 - 1);
            }
            for (boolean withBias : new boolean[] {false, true}) {
                Tensor out = Int8Matmul.linear(Tensor.of(x, m, k), q, n, scale, withBias ? Tensor.of(bias, n) : null);
                assertArrayEquals(new int[] {m, n}, out.shape());
                double[] want = reference(x, m, k, q, n, scale, withBias ? bias : null);
                float[] got = out.toFloatArray();
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-4, "m=" + m + " element " + i);
                }
            }
        }
        // a non-contiguous input view gives the same
        Tensor x = Tensor.randn(new Generator(1), k, 12).t();
        assertArrayEquals(
                Int8Matmul.linear(x.contiguous(), q, n, scale, null).toFloatArray(),
                Int8Matmul.linear(x, q, n, scale, null).toFloatArray(),
                0f);
    }

    @Test
    void badArgumentsAreNamed() {
        byte[] q = new byte[6];
        float[] s = {1, 1};
        String m = assertThrows(
                        IllegalArgumentException.class, () -> Int8Matmul.linear(Tensor.zeros(2, 4), q, 2, s, null))
                .getMessage();
        assertTrue(m.contains("weights of 6 values and 2 scales do not make (2, 4)"), m);
        m = assertThrows(
                        IllegalArgumentException.class,
                        () -> Int8Matmul.linear(Tensor.zeros(DType.FLOAT64, 2, 3), q, 2, s, null))
                .getMessage();
        assertTrue(m.contains("expected FLOAT32 activations (m, k)"), m);
        m = assertThrows(
                        IllegalArgumentException.class,
                        () -> Int8Matmul.linear(Tensor.zeros(2, 3), q, 2, s, Tensor.zeros(3)))
                .getMessage();
        assertTrue(m.contains("expected a FLOAT32 bias (2)"), m);
    }
}
