package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attention's masked softmax ({@link AttentionKernels}) of every kernel implementation against naive
 * loops in double written here: key counts around the vector widths, blocking and additive masks given
 * as broadcast views, causal masking, rows with every key blocked, and the dropout keep mask; the fused
 * attention and its backward against naive loops and, bit for bit, against the products and softmax
 * they fuse.
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

    // ------------------------------------------------------------------------------------------ fused attention

    /** Batch (2, 3) of heads; the queries, keys and values are heads of (2, L, 3, d) projections. */
    private static final int NB = 6;

    /** (2, L, 3, cols) -> (2, 3, L, cols): rows of stride 3 * cols, as MultiheadAttention's heads. */
    private static Tensor heads(Generator g, DType dt, int len, int cols) {
        return Tensor.randn(g, DType.FLOAT64, 2, len, 3, cols).to(dt).permute(0, 2, 1, 3);
    }

    /**
     * Naive attention in double over NB row-major matrices: {out, dq, dk, dv} given the output's
     * gradient go.
     */
    private static double[][] naiveAttention(
            double[] q,
            double[] k,
            double[] v,
            double[] go,
            int lq,
            int lk,
            int d,
            int dv,
            double scale,
            boolean causal) {
        double[] out = new double[NB * lq * dv];
        double[] dq = new double[NB * lq * d];
        double[] dk = new double[NB * lk * d];
        double[] dvv = new double[NB * lk * dv];
        for (int b = 0; b < NB; b++) {
            double[] p = new double[lq * lk];
            double[] ds = new double[lq * lk];
            for (int i = 0; i < lq; i++) {
                double mx = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < lk; j++) {
                    double z = 0;
                    for (int c = 0; c < d; c++) {
                        z += q[(b * lq + i) * d + c] * k[(b * lk + j) * d + c];
                    }
                    p[i * lk + j] = causal && j > i ? Double.NEGATIVE_INFINITY : z * scale;
                    mx = Math.max(mx, p[i * lk + j]);
                }
                double sum = 0;
                for (int j = 0; j < lk; j++) {
                    p[i * lk + j] = Math.exp(p[i * lk + j] - mx);
                    sum += p[i * lk + j];
                }
                double dot = 0;
                for (int j = 0; j < lk; j++) {
                    p[i * lk + j] /= sum;
                    double dp = 0;
                    for (int c = 0; c < dv; c++) {
                        out[(b * lq + i) * dv + c] += p[i * lk + j] * v[(b * lk + j) * dv + c];
                        dp += go[(b * lq + i) * dv + c] * v[(b * lk + j) * dv + c];
                    }
                    ds[i * lk + j] = dp;
                    dot += dp * p[i * lk + j];
                }
                for (int j = 0; j < lk; j++) {
                    ds[i * lk + j] = scale * p[i * lk + j] * (ds[i * lk + j] - dot);
                }
            }
            for (int i = 0; i < lq; i++) {
                for (int j = 0; j < lk; j++) {
                    for (int c = 0; c < d; c++) {
                        dq[(b * lq + i) * d + c] += ds[i * lk + j] * k[(b * lk + j) * d + c];
                        dk[(b * lk + j) * d + c] += ds[i * lk + j] * q[(b * lq + i) * d + c];
                    }
                    for (int c = 0; c < dv; c++) {
                        dvv[(b * lk + j) * dv + c] += p[i * lk + j] * go[(b * lq + i) * dv + c];
                    }
                }
            }
        }
        return new double[][] {out, dq, dk, dvv};
    }

    private static double scaleOf(double[] x) {
        double m = 0;
        for (double e : x) {
            m = Math.max(m, Math.abs(e));
        }
        return m;
    }

    /**
     * The fused attention and its backward of every kernel implementation against naive loops, on
     * heads of projections (rows of stride 3 d), causal or not, with query and key counts that are not
     * multiples of the register tiles and values wider than the queries.
     */
    @Test
    void fusedAttentionAgainstNaiveLoops() {
        int[][] sizes = {{37, 53, 24, 40}, {5, 5, 3, 2}, {64, 64, 32, 32}, {1, 7, 4, 3}};
        for (int[] sz : sizes) {
            int lq = sz[0];
            int lk = sz[1];
            int d = sz[2];
            int dv = sz[3];
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Generator g = new Generator(7);
                Tensor q = heads(g, dt, lq, d);
                Tensor k = heads(g, dt, lk, d);
                Tensor v = heads(g, dt, lk, dv);
                Tensor go = heads(g, dt, lq, dv);
                double scale = 1 / Math.sqrt(d);
                for (boolean causal : new boolean[] {false, true}) {
                    double[][] want = naiveAttention(
                            q.contiguous().toDoubleArray(),
                            k.contiguous().toDoubleArray(),
                            v.contiguous().toDoubleArray(),
                            go.contiguous().toDoubleArray(),
                            lq,
                            lk,
                            d,
                            dv,
                            scale,
                            causal);
                    double tol = dt == DType.FLOAT32 ? 2e-5 : 1e-12;
                    for (Kernels kern : KernelSets.all()) {
                        String at = kern.name() + " " + dt + " " + java.util.Arrays.toString(sz) + " causal=" + causal;
                        // the output and gradients as heads of (2, L, 3, cols) arrays too: rows of stride 3 cols
                        Tensor out = Tensor.full(dt, Double.NaN, 2, lq, 3, dv).permute(0, 2, 1, 3);
                        AttentionKernels.attention(kern, q, k, v, scale, causal, out);
                        Tensor[] grads = {
                            Tensor.full(dt, Double.NaN, 2, lq, 3, d).permute(0, 2, 1, 3),
                            Tensor.full(dt, Double.NaN, 2, lk, 3, d).permute(0, 2, 1, 3),
                            Tensor.full(dt, Double.NaN, 2, lk, 3, dv).permute(0, 2, 1, 3)
                        };
                        AttentionKernels.attentionBackward(
                                kern, q, k, v, go, scale, causal, grads[0], grads[1], grads[2]);
                        close(at + " output", want[0], out.toDoubleArray(), tol * scaleOf(want[0]));
                        String[] names = {"dq", "dk", "dv"};
                        for (int i = 0; i < 3; i++) {
                            close(
                                    at + " " + names[i],
                                    want[i + 1],
                                    grads[i].toDoubleArray(),
                                    tol * scaleOf(want[i + 1]));
                        }
                    }
                }
            }
        }
    }

    /**
     * Bit for bit the values of the operations it fuses: {@code q k^T} and the weights times v as
     * batched products, {@link AttentionKernels#maskedSoftmax} and its backward, and the products of
     * the backward as the autograd engine forms them ({@code dk} as the transpose of {@code q^T ds}).
     */
    @Test
    void fusedAttentionGivesTheBitsOfTheOperationsItFuses() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Generator g = new Generator(8);
            int lq = 45;
            int lk = 45;
            Tensor q = heads(g, dt, lq, 32);
            Tensor k = heads(g, dt, lk, 32);
            Tensor v = heads(g, dt, lk, 20);
            Tensor go = heads(g, dt, lq, 20);
            double scale = 0.3;
            for (boolean causal : new boolean[] {false, true}) {
                Tensor s = q.matmul(k.transpose(-1, -2));
                Tensor p = Tensor.zeros(dt, s.shape());
                AttentionKernels.maskedSoftmax(s, scale, causal, List.of(), p);
                Tensor out = Tensor.zeros(dt, 2, 3, lq, 20);
                AttentionKernels.attention(q, k, v, scale, causal, out);
                String at = dt + " causal=" + causal;
                assertArrayEquals(p.matmul(v).toDoubleArray(), out.toDoubleArray(), 0, at + " output");
                Tensor ds = Tensor.zeros(dt, s.shape());
                AttentionKernels.maskedSoftmaxBackward(p, go.matmul(v.transpose(-1, -2)), scale, ds);
                Tensor dq = Tensor.zeros(dt, q.shape());
                Tensor dk = Tensor.zeros(dt, k.shape());
                Tensor dv = Tensor.zeros(dt, v.shape());
                AttentionKernels.attentionBackward(q, k, v, go, scale, causal, dq, dk, dv);
                assertArrayEquals(ds.matmul(k).toDoubleArray(), dq.toDoubleArray(), 0, at + " dq");
                assertArrayEquals(
                        q.transpose(-1, -2)
                                .matmul(ds)
                                .transpose(-1, -2)
                                .contiguous()
                                .toDoubleArray(),
                        dk.toDoubleArray(),
                        0,
                        at + " dk");
                assertArrayEquals(p.transpose(-1, -2).matmul(go).toDoubleArray(), dv.toDoubleArray(), 0, at + " dv");
            }
        }
    }

    /** Shapes, strides and types the fused attention cannot take are refused with their description. */
    @Test
    void fusedAttentionRefusesWhatItCannotTake() {
        Generator g = new Generator(1);
        Tensor q = Tensor.randn(g, DType.FLOAT32, 2, 4, 8);
        Tensor k = Tensor.randn(g, DType.FLOAT32, 2, 5, 8);
        Tensor v = Tensor.randn(g, DType.FLOAT32, 2, 5, 3);
        Tensor out = Tensor.zeros(DType.FLOAT32, 2, 4, 3);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionKernels.attention(q, Tensor.randn(g, DType.FLOAT32, 2, 5, 7), v, 1, false, out));
        assertTrue(e.getMessage().contains("attention") && e.getMessage().contains("[2, 5, 7]"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionKernels.attention(q, k, Tensor.randn(g, DType.FLOAT32, 3, 5, 3), 1, false, out));
        assertTrue(e.getMessage().contains("[3, 5, 3]"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionKernels.attention(q, k, v.to(DType.FLOAT64), 1, false, out));
        assertTrue(e.getMessage().contains("FLOAT64"), e.getMessage());
        // keys whose columns are not contiguous: a transposed view
        Tensor kt = Tensor.randn(g, DType.FLOAT32, 2, 8, 5).transpose(1, 2);
        e = assertThrows(IllegalArgumentException.class, () -> AttentionKernels.attention(q, kt, v, 1, false, out));
        assertTrue(e.getMessage().contains("strides"), e.getMessage());
        // operand() makes such a view contiguous, and then it is taken
        AttentionKernels.attention(q, AttentionKernels.operand(kt), v, 1, false, out);
        Tensor go = Tensor.randn(g, DType.FLOAT32, 2, 4, 4);
        e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionKernels.attentionBackward(q, k, v, go, 1, false, q.clone(), k.clone(), v.clone()));
        assertTrue(e.getMessage().contains("gradient") && e.getMessage().contains("[2, 4, 4]"), e.getMessage());
    }
}
