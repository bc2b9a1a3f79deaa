package io.jgrad.core;

import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Kernels;

/**
 * The product of float activations with int8 weights quantized per output row, the core of
 * post-training weight quantization: {@code out = x (q * scale)^T + bias}, where row j of the weight
 * is {@code q[j] * scale[j]}.
 *
 * <p>Small batches (up to {@value #DIRECT_ROWS} rows, such as batch-1 inference) run the int8 kernel
 * ({@link Kernels#int8Gemm}, Vector API or plain Java), which reads one byte per weight and widens in
 * registers: there the product is bound by memory traffic and int8 weights move a quarter of the
 * bytes of float ones. Larger batches are bound by arithmetic, which the packed float GEMM does best:
 * blocks of 64 weight rows are widened to float and multiplied by it, so only one block of
 * float weights exists at a time.
 */
public final class Int8Matmul {
    /** The largest batch run by the int8 kernel directly. */
    public static final int DIRECT_ROWS = 8;
    /** Weight rows widened to float at a time for larger batches. */
    static final int BLOCK = 64;

    private Int8Matmul() {}

    /**
     * {@code x (q * scale)^T + bias}.
     *
     * @param x FLOAT32 activations (m, k)
     * @param q int8 weights (n, k) in row-major order, {@code n * k} values
     * @param n the number of output rows of the weight
     * @param scale the scale of each weight row (n)
     * @param bias FLOAT32 (n), or null
     * @return FLOAT32 (m, n)
     */
    public static Tensor linear(Tensor x, byte[] q, int n, float[] scale, Tensor bias) {
        if (x.dtype() != DType.FLOAT32 || x.dim() != 2) {
            throw new IllegalArgumentException("Int8Matmul.linear: expected FLOAT32 activations (m, k), got "
                    + x.dtype() + " " + Shape.format(x.shape()));
        }
        int m = x.size(0);
        int k = x.size(1);
        if (n < 1 || q.length != (long) n * k || scale.length != n) {
            throw new IllegalArgumentException(
                    "Int8Matmul.linear: weights of " + q.length + " values and " + scale.length
                            + " scales do not make (" + n + ", " + k + ") for activations " + Shape.format(x.shape()));
        }
        if (bias != null && (bias.dtype() != DType.FLOAT32 || bias.dim() != 1 || bias.size(0) != n)) {
            throw new IllegalArgumentException("Int8Matmul.linear: expected a FLOAT32 bias (" + n + "), got "
                    + bias.dtype() + " " + Shape.format(bias.shape()));
        }
        Tensor xc = x.contiguous();
        float[] a = xc.floatData();
        int ao = xc.offset();
        float[] out = new float[m * n];
        Kernels kernels = KernelProvider.kernels();
        if (m <= DIRECT_ROWS) {
            kernels.int8Gemm(m, n, k, a, ao, k, q, 0, k, scale, 0, out, 0, n);
        } else {
            float[] block = new float[Math.min(BLOCK, n) * k];
            for (int j0 = 0; j0 < n; j0 += BLOCK) {
                int nb = Math.min(BLOCK, n - j0);
                for (int jj = 0; jj < nb; jj++) {
                    float s = scale[j0 + jj];
                    int src = (j0 + jj) * k;
                    for (int p = 0; p < k; p++) {
                        block[jj * k + p] = q[src + p] * s;
                    }
                }
                // out[:, j0 : j0 + nb] = x block^T
                kernels.sgemm(false, true, m, nb, k, 1f, a, ao, k, block, 0, k, 0f, out, j0, n);
            }
        }
        if (bias != null) {
            Tensor bc = bias.contiguous();
            float[] b = bc.floatData();
            int bo = bc.offset();
            for (int i = 0; i < m; i++) {
                kernels.add(out, i * n, b, bo, out, i * n, n);
            }
        }
        return Tensor.wrap(out, m, n);
    }
}
