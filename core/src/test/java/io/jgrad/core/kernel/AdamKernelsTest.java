package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused Adam/AdamW update ({@link AdamKernels}) of every kernel implementation against the update
 * rule written as a naive loop in double here: without weight decay, with an L2 penalty (through the
 * scratch tensor) and with decoupled decay, on views at storage offsets, on lengths that span several
 * parallel chunks.
 */
class AdamKernelsTest {
    @Test
    void updateMatchesTheRule() {
        double lr = 1e-2;
        double beta1 = 0.9;
        double beta2 = 0.999;
        double eps = 1e-8;
        int t = 3;
        double stepSize = lr / (1 - Math.pow(beta1, t));
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        Generator g = new Generator(4);
        for (int n : new int[] {1, 17, 70_001}) {
            for (int mode = 0; mode < 3; mode++) {
                double wdecay = mode == 0 ? 0 : 0.1;
                boolean decoupled = mode == 2;
                for (Kernels k : KernelSets.all()) {
                    Tensor p = Tensor.randn(g, DType.FLOAT32, n + 2).narrow(0, 2, n);
                    Tensor grad = Tensor.randn(g, DType.FLOAT32, n + 1).narrow(0, 1, n);
                    Tensor m = Tensor.randn(g, DType.FLOAT32, n).mul(0.1);
                    Tensor v = Tensor.randn(g, DType.FLOAT32, n).mul(0.1).abs();
                    Tensor work = mode == 1 ? Tensor.zeros(DType.FLOAT32, n) : null;
                    double[] p0 = p.toDoubleArray();
                    double[] g0 = grad.toDoubleArray();
                    double[] m0 = m.toDoubleArray();
                    double[] v0 = v.toDoubleArray();
                    AdamKernels.update(
                            k, p, grad, m, v, work, lr, beta1, beta2, eps, wdecay, decoupled, stepSize, bias2Sqrt);
                    double[] p1 = p.toDoubleArray();
                    double[] m1 = m.toDoubleArray();
                    double[] v1 = v.toDoubleArray();
                    double[] w1 = work == null ? null : work.toDoubleArray();
                    assertEquals(g0[n - 1], grad.toDoubleArray()[n - 1], 0, "the gradient is not modified");
                    for (int i = 0; i < n; i++) {
                        double pi = decoupled ? p0[i] * (1 - lr * wdecay) : p0[i];
                        double gi = decoupled ? g0[i] : g0[i] + wdecay * p0[i];
                        double mi = beta1 * m0[i] + (1 - beta1) * gi;
                        double vi = beta2 * v0[i] + (1 - beta2) * gi * gi;
                        double upd = stepSize * mi / (Math.sqrt(vi) / bias2Sqrt + eps);
                        String at = k.name() + " n=" + n + " mode=" + mode + " i=" + i;
                        assertEquals(mi, m1[i], 1e-6 * (Math.abs(m0[i]) + Math.abs(gi)), at + " m");
                        assertEquals(vi, v1[i], 1e-6 * (v0[i] + gi * gi), at + " v");
                        // the update's relative error grows where m nearly cancels
                        double tol = 1e-6 * (Math.abs(pi) + Math.abs(upd))
                                + 1e-6
                                        * stepSize
                                        * (Math.abs(m0[i]) + Math.abs(gi))
                                        / (Math.sqrt(vi) / bias2Sqrt + eps);
                        assertEquals(pi - upd, p1[i], tol, at + " p");
                        if (mode == 1) {
                            assertEquals(gi, w1[i], 1e-6 * Math.abs(gi) + 1e-7, at + " work");
                        }
                    }
                }
            }
        }
    }
}
