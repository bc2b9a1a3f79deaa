package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attention's masked softmax ({@link AttentionKernels}) of every kernel implementation against naive
 * loops in double written here: key counts around the vector widths, blocking and additive masks given
 * as broadcast views, causal masking, rows with every key blocked, and the dropout keep mask.
 */
class AttentionKernelsTest {
    private static final int B = 2;
    private static final int LQ = 3;

    /** Naive weights of scores s (B, LQ, cols) with a blocking mask pad (B, cols) and an additive add (LQ, cols). */
    private static double[] naive(double[] s, int cols, double scale, int[] pad, double[] add, boolean causal) {
        double[] p = new double[B * LQ * cols];
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < LQ; i++) {
                int base = (b * LQ + i) * cols;
                double[] z = new double[cols];
                double mx = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) {
                    boolean blocked = pad[b * cols + j] != 0 || (causal && j > i);
                    z[j] = blocked ? Double.NEGATIVE_INFINITY : s[base + j] * scale + add[i * cols + j];
                    mx = Math.max(mx, z[j]);
                }
                if (mx == Double.NEGATIVE_INFINITY) {
                    continue; // every key blocked: zeros
                }
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    sum += Math.exp(z[j] - mx);
                }
                for (int j = 0; j < cols; j++) {
                    p[base + j] = Math.exp(z[j] - mx) / sum;
                }
            }
        }
        return p;
    }

    private static void close(String what, double[] want, double[] got, double tol) {
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= tol)) {
                fail(what + " [" + i + "]: got " + got[i] + ", expected " + want[i]);
            }
        }
    }

    @Test
    void maskedSoftmaxAndBackwardAgainstNaiveLoops() {
        Generator g = new Generator(5);
        for (int cols : new int[] {1, 3, 5, 16, 17, 33}) {
            double[] s = Tensor.randn(g, DType.FLOAT64, B * LQ * cols)
                    .mul(3)
                    .to(DType.FLOAT32)
                    .toDoubleArray();
            double[] gw = Tensor.randn(g, DType.FLOAT64, B * LQ * cols)
                    .to(DType.FLOAT32)
                    .toDoubleArray();
            int[] pad = new int[B * cols];
            pad[cols - 1] = 1; // batch 0's last key is padding
            pad[cols] = 1; // batch 1's first key too: with causal masking its query 0 has no key
            double[] add = new double[LQ * cols];
            for (int k = 0; k < add.length; k++) {
                add[k] = k % 4 == 1 ? Double.NEGATIVE_INFINITY : (float) (0.25 * (k % 3) - 0.3);
            }
            int[] shape = {B, LQ, cols};
            Tensor padT = Tensor.wrap(pad, B, 1, cols).expand(shape);
            Tensor addT = Tensor.wrap(add.clone(), LQ, cols).expand(shape);
            double scale = 0.7;
            for (boolean causal : new boolean[] {false, true}) {
                double[] want = naive(s, cols, scale, pad, add, causal);
                double[] wantDs = new double[want.length];
                for (int r = 0; r < B * LQ; r++) {
                    double dot = 0;
                    for (int j = 0; j < cols; j++) {
                        dot += gw[r * cols + j] * want[r * cols + j];
                    }
                    for (int j = 0; j < cols; j++) {
                        int e = r * cols + j;
                        wantDs[e] = scale * want[e] * (gw[e] - dot);
                    }
                }
                String at = "cols=" + cols + " causal=" + causal;
                for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    double tol = dt == DType.FLOAT32 ? 2e-6 : 1e-14;
                    Tensor st = Tensor.wrap(s.clone(), shape).to(dt);
                    // the additive mask in the other type: the kernel converts it
                    Tensor addOther = addT.to(dt == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32);
                    for (Tensor addMask : new Tensor[] {addT.to(dt), addOther}) {
                        for (Kernels k : KernelSets.all()) {
                            Tensor p = Tensor.zeros(dt, shape);
                            AttentionKernels.maskedSoftmax(k, st, scale, causal, List.of(padT, addMask), p);
                            close(k.name() + " " + dt + " weights " + at, want, p.toDoubleArray(), tol);
                            Tensor ds = Tensor.zeros(dt, shape);
                            Tensor gt = Tensor.wrap(gw.clone(), shape).to(dt);
                            AttentionKernels.maskedSoftmaxBackward(k, p, gt, scale, ds);
                            close(k.name() + " " + dt + " score gradient " + at, wantDs, ds.toDoubleArray(), tol * 10);
                        }
                    }
                }
            }
        }
    }

    @Test
    void keepMaskAndDrop() {
        int n = 37;
        boolean[] keep = AttentionKernels.keepMask(new Generator(9), n, 0.3);
        Generator ref = new Generator(9);
        for (int k = 0; k < n; k++) {
            assertEquals(ref.nextDouble() < 0.7, keep[k], "keep flag " + k);
        }
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            // a view at an offset: the kernel reads from the view's offset
            Tensor in = Tensor.randn(new Generator(2), dt, n + 3).narrow(0, 3, n);
            double[] x = in.toDoubleArray();
            double[] want = new double[n];
            for (int k = 0; k < n; k++) {
                want[k] = keep[k] ? (dt == DType.FLOAT32 ? (float) x[k] * (float) (1 / 0.7) : x[k] * (1 / 0.7)) : 0;
            }
            assertArrayEquals(want, AttentionKernels.drop(in, keep, 0.3).toDoubleArray(), 0, dt + " drop");
        }
    }
}
