package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.GradCheck;
import io.jgrad.autograd.Variable;
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
}
