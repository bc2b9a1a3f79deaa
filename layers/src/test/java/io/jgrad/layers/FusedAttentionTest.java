package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.GradCheck;
import io.jgrad.autograd.Variable;
import io.jgrad.autograd.fused.PackedSelfAttention;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attention without masks, dropout or weights runs as one fused operation ({@code
 * scaledDotProductAttention}); with the weights requested it is the composed masked softmax between two
 * products. Both give the same output and gradients, bit for bit, on heads viewed out of projections;
 * the fused one passes the FLOAT64 gradient checks at first and second order.
 */
class FusedAttentionTest {
    /** (B, L, H * d) projections viewed as heads (B, H, L, d), as MultiheadAttention does. */
    private static Tensor heads(Generator g, DType dt, int len, int d) {
        return Tensor.randn(g, DType.FLOAT64, 2, len, 3, d).to(dt);
    }

    private static Variable view(Variable x) {
        return x.permute(0, 2, 1, 3);
    }

    @Test
    void fusedAndComposedGiveTheSameBits() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (boolean causal : new boolean[] {false, true}) {
                Generator g = new Generator(3);
                Tensor q = heads(g, dt, 19, 8);
                Tensor k = heads(g, dt, 19, 8);
                Tensor v = heads(g, dt, 19, 6);
                Tensor go = Tensor.randn(g, dt, 2, 3, 19, 6);
                Tensor[][] grads = new Tensor[2][];
                Tensor[] outs = new Tensor[2];
                for (int fused = 0; fused < 2; fused++) {
                    Variable[] in = {new Variable(q, true), new Variable(k, true), new Variable(v, true)};
                    AttentionResult r = Attention.scaledDotProduct(
                            view(in[0]), view(in[1]), view(in[2]), null, null, causal, 0, null, fused == 0);
                    Variable out = r.output();
                    String at = dt + " causal=" + causal;
                    assertEquals(
                            fused == 1 ? "scaledDotProductAttention" : "matmul",
                            out.gradFn().name(),
                            at);
                    if (fused == 1) {
                        assertNull(r.weights(), at + ": no weights when not asked for");
                    } else {
                        assertNotNull(r.weights(), at);
                    }
                    outs[fused] = out.data();
                    List<Variable> gs = Autograd.grad(
                            List.of(out.mul(Variable.constant(go)).sum()), List.of(in), null, false, false);
                    grads[fused] = new Tensor[] {
                        gs.get(0).data(), gs.get(1).data(), gs.get(2).data()
                    };
                    if (fused == 1) {
                        // laid out as the projections the heads were viewed from: back to them is a view
                        assertTrue(out.data().permute(0, 2, 1, 3).isContiguous(), at + ": output layout");
                        for (Tensor gr : grads[fused]) {
                            assertTrue(gr.isContiguous(), at + ": gradient layout");
                        }
                    }
                }
                String at = dt + " causal=" + causal;
                assertArrayEquals(outs[0].toDoubleArray(), outs[1].toDoubleArray(), 0, at + " output");
                String[] names = {"dq", "dk", "dv"};
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(grads[0][i].toDoubleArray(), grads[1][i].toDoubleArray(), 0, at + " " + names[i]);
                }
            }
        }
    }

    @Test
    void fusedAttentionGradientsAtFirstAndSecondOrder() {
        Generator g = new Generator(4);
        for (boolean causal : new boolean[] {false, true}) {
            Tensor q = Tensor.randn(g, DType.FLOAT64, 2, 4, 3, 3);
            Tensor k = Tensor.randn(g, DType.FLOAT64, 2, 5, 3, 3);
            Tensor v = Tensor.randn(g, DType.FLOAT64, 2, 5, 3, 2);
            int[] recorded = {0};
            java.util.function.Function<Variable[], Variable> f = in -> {
                Variable out = Attention.scaledDotProduct(view(in[0]), view(in[1]), view(in[2]), null, causal);
                if (out.gradFn() != null) { // recorded: the fused operation (the checks also evaluate without)
                    assertEquals("scaledDotProductAttention", out.gradFn().name());
                    recorded[0]++;
                }
                return out;
            };
            GradCheck.check(f, q, k, v);
            GradCheck.checkSecondOrder(f, q, k, v);
            assertTrue(recorded[0] > 0, "the checks differentiated the fused operation");
        }
    }

    /** Matrices without batch dimensions, and a batch of one query: the fused path with its checks. */
    @Test
    void unbatchedAndSingleQueryAttention() {
        Generator g = new Generator(9);
        for (int lq : new int[] {1, 4}) {
            Tensor q = Tensor.randn(g, DType.FLOAT64, lq, 3);
            Tensor k = Tensor.randn(g, DType.FLOAT64, 5, 3);
            Tensor v = Tensor.randn(g, DType.FLOAT64, 5, 2);
            java.util.function.Function<Variable[], Variable> f = in -> {
                Variable out = Attention.scaledDotProduct(in[0], in[1], in[2]);
                if (out.gradFn() != null) {
                    assertEquals("scaledDotProductAttention", out.gradFn().name());
                }
                return out;
            };
            GradCheck.check(f, q, k, v);
            GradCheck.checkSecondOrder(f, q, k, v);
            Variable[] in = {new Variable(q), new Variable(k), new Variable(v)};
            Variable composed =
                    new io.jgrad.autograd.fused.ScaledDotProductAttention(1 / Math.sqrt(3), false).composedForward(in);
            assertArrayEquals(
                    composed.data().toDoubleArray(), f.apply(in).data().toDoubleArray(), 0, "lq=" + lq);
        }
    }

    @Test
    void multiheadAttentionTakesTheFusedPathOnlyWithoutWeights() {
        Generator.manualSeed(5);
        MultiheadAttention m = new MultiheadAttention(8, 2, 0, true, true);
        Variable x = new Variable(Tensor.randn(new Generator(6), 2, 5, 8), true);
        AttentionResult without = m.attend(x, x, x, null, false, null, true, true);
        AttentionResult with = m.attend(x, x, x, null, true, null, true, true);
        assertNull(without.weights());
        assertNotNull(with.weights());
        assertArrayEquals(
                with.output().data().toDoubleArray(), without.output().data().toDoubleArray(), 0, "the same output");
    }
    /** q, k and v of packed projections (B, L, 3E) sliced and viewed as heads, attended, heads concatenated. */
    private static Variable sliced(Variable x, int heads, boolean causal) {
        int b = x.size(0);
        int l = x.size(1);
        int e = x.size(2) / 3;
        Variable[] p = new Variable[3];
        for (int i = 0; i < 3; i++) {
            p[i] = x.narrow(2, i * e, e).reshape(b, l, heads, e / heads).permute(0, 2, 1, 3);
        }
        Variable o = Attention.scaledDotProduct(p[0], p[1], p[2], null, causal);
        assertEquals("scaledDotProductAttention", o.gradFn().name());
        return o.permute(0, 2, 1, 3).reshape(b, l, e);
    }

    @Test
    void packedSelfAttentionEqualsTheSlicedHeadsBitForBit() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (boolean causal : new boolean[] {false, true}) {
                Generator g = new Generator(11);
                Tensor x = Tensor.randn(g, DType.FLOAT64, 2, 7, 36).to(dt);
                Tensor go = Tensor.randn(g, dt, 2, 7, 12);
                String at = dt + " causal=" + causal;
                Tensor[] outs = new Tensor[2];
                Tensor[] grads = new Tensor[2];
                for (int packed = 0; packed < 2; packed++) {
                    Variable in = new Variable(x, true);
                    Variable out = packed == 1
                            ? new PackedSelfAttention(3, 1 / Math.sqrt(4), causal).apply(in)
                            : sliced(in, 3, causal);
                    outs[packed] = out.data();
                    grads[packed] = Autograd.grad(
                                    List.of(out.mul(Variable.constant(go)).sum()), List.of(in), null, false, false)
                            .get(0)
                            .data();
                    if (packed == 1) {
                        assertEquals("packedSelfAttention", out.gradFn().name(), at);
                        assertTrue(out.data().isContiguous(), at + ": the heads concatenated as a view");
                    }
                }
                assertArrayEquals(new int[] {2, 7, 12}, outs[1].shape(), at);
                assertArrayEquals(outs[0].toDoubleArray(), outs[1].toDoubleArray(), 0, at + " output");
                assertArrayEquals(grads[0].toDoubleArray(), grads[1].toDoubleArray(), 0, at + " gradient");
            }
        }
    }

    @Test
    void packedSelfAttentionGradientsAtFirstAndSecondOrder() {
        Generator g = new Generator(12);
        for (boolean causal : new boolean[] {false, true}) {
            // a strided input too: the projections transposed from (L, B, 3E)
            Tensor x = Tensor.randn(g, DType.FLOAT64, 2, 4, 12);
            Tensor seqFirst = Tensor.randn(g, DType.FLOAT64, 4, 2, 12);
            java.util.function.Function<Variable[], Variable> f = in -> {
                Variable out = new PackedSelfAttention(2, 0.7, causal).apply(in[0]);
                Variable t = new PackedSelfAttention(2, 0.7, causal).apply(in[1].transpose(0, 1));
                return out.add(t.mul(t));
            };
            GradCheck.check(f, x, seqFirst);
            GradCheck.checkSecondOrder(f, x, seqFirst);
            Variable[] in = {new Variable(x), new Variable(seqFirst.transpose(0, 1))};
            for (Variable v : in) {
                Variable composed = new PackedSelfAttention(2, 0.7, causal).composedForward(v);
                assertArrayEquals(
                        composed.data().toDoubleArray(),
                        new PackedSelfAttention(2, 0.7, causal).apply(v).data().toDoubleArray(),
                        0,
                        "causal=" + causal);
            }
        }
    }

    @Test
    void packedSelfAttentionRejectsAWidthNotThreeTimesTheHeads() {
        Variable x = new Variable(Tensor.zeros(2, 3, 10));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new PackedSelfAttention(2, 1, false).apply(x));
        assertTrue(
                e.getMessage().contains("packedSelfAttention") && e.getMessage().contains("(2, 3, 10)"),
                e.getMessage());
        assertTrue(!PackedSelfAttention.accepts(x, 2) && !PackedSelfAttention.accepts(x, 1));
        assertTrue(PackedSelfAttention.accepts(new Variable(Tensor.zeros(2, 3, 12)), 2));
    }

    /**
     * Self-attention in MultiheadAttention takes the packed path (one product by in_proj_weight): the same
     * output and weight gradients, bit for bit, as the same inputs given as three variables (three
     * products), and the input gradient of the sum of the three within rounding.
     */
    @Test
    void multiheadSelfAttentionProjectsOnceAndMatchesThreeProjections() {
        for (boolean batchFirst : new boolean[] {true, false}) {
            for (boolean causal : new boolean[] {false, true}) {
                Generator.manualSeed(8);
                MultiheadAttention m = new MultiheadAttention(12, 3, 0, true, batchFirst);
                m.to(DType.FLOAT64);
                Tensor x = Tensor.randn(new Generator(9), DType.FLOAT64, 2, 5, 12);
                Tensor go = Tensor.randn(new Generator(10), DType.FLOAT64, 2, 5, 12);
                String at = "batchFirst=" + batchFirst + " causal=" + causal;
                Variable self = new Variable(x, true);
                Variable out = m.attend(self, self, self, null, false, null, true, causal)
                        .output();
                out.mul(Variable.constant(go)).sum().backward();
                // the packed path written out: one product by in_proj_weight, the packed attention, out_proj
                java.util.Map<String, io.jgrad.autograd.Parameter> ps = m.namedParameters();
                Variable manual = new Variable(x, true);
                Variable in = batchFirst ? manual : manual.transpose(0, 1);
                Variable qkv = io.jgrad.autograd.NN.linear(in, ps.get("in_proj_weight"), ps.get("in_proj_bias"));
                Variable o = io.jgrad.autograd.NN.linear(
                        new PackedSelfAttention(3, 1 / Math.sqrt(4), causal).apply(qkv),
                        ps.get("out_proj.weight"),
                        ps.get("out_proj.bias"));
                o = batchFirst ? o : o.transpose(0, 1);
                Tensor dManual = Autograd.grad(
                                List.of(o.mul(Variable.constant(go)).sum()), List.of(manual), null, false, false)
                        .get(0)
                        .data();
                assertArrayEquals(o.data().toDoubleArray(), out.data().toDoubleArray(), 0, at + " packed output");
                assertArrayEquals(dManual.toDoubleArray(), self.grad().toDoubleArray(), 0, at + " packed dx");
                Tensor dw = m.parameter("in_proj_weight").grad().clone();
                Tensor db = m.parameter("in_proj_bias").grad().clone();
                m.zeroGrad();
                Variable[] three = {new Variable(x, true), new Variable(x, true), new Variable(x, true)};
                Variable ref = m.attend(three[0], three[1], three[2], null, false, null, true, causal)
                        .output();
                ref.mul(Variable.constant(go)).sum().backward();
                assertArrayEquals(ref.data().toDoubleArray(), out.data().toDoubleArray(), 0, at + " output");
                assertArrayEquals(
                        m.parameter("in_proj_weight").grad().toDoubleArray(), dw.toDoubleArray(), 0, at + " dW");
                assertArrayEquals(
                        m.parameter("in_proj_bias").grad().toDoubleArray(), db.toDoubleArray(), 0, at + " db");
                Tensor sum = three[0].grad().add(three[1].grad()).add(three[2].grad());
                assertArrayEquals(sum.toDoubleArray(), self.grad().toDoubleArray(), 1e-12, at + " dx");
            }
        }
    }
}
