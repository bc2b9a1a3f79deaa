package io.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** Which types can require gradients, and INT64 indices in the differentiable ops. */
class DtypeRulesTest {
    @Test
    void onlyFloat32AndFloat64CanRequireGradients() {
        for (DType dt : new DType[] {DType.INT32, DType.INT64, DType.BOOL, DType.FLOAT16, DType.BFLOAT16}) {
            Tensor t = Tensor.zeros(dt, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Variable(t, true));
            assertTrue(
                    e.getMessage().contains("only floating point tensors can require gradients")
                            && e.getMessage().contains(dt.toString()),
                    e.getMessage());
            if (dt.isStorageOnly()) {
                assertTrue(e.getMessage().contains("to(DType.FLOAT32)"), e.getMessage());
            }
            Variable c = Variable.constant(t);
            assertThrows(IllegalArgumentException.class, () -> c.requiresGrad(true));
        }
    }

    @Test
    void int64IndicesGiveTheSameValuesAndGradientsAsInt32() {
        Generator g = new Generator(3);
        Tensor w0 = Tensor.randn(g, DType.FLOAT64, 5, 3);
        int[] ids = {4, 0, 4, 2};
        Tensor[] grads = new Tensor[2];
        Tensor[] outs = new Tensor[2];
        for (int k = 0; k < 2; k++) {
            Tensor idx = k == 0 ? Tensor.of(ids, 2, 2) : Tensor.of(ids, 2, 2).to(DType.INT64);
            Variable w = new Variable(w0.clone(), true);
            Variable y =
                    NN.embedding(idx, w).add(w.indexSelect(0, idx.reshape(-1)).sum());
            y.sum().backward();
            outs[k] = y.data();
            grads[k] = w.grad();
        }
        assertTrue(outs[0].equal(outs[1]));
        assertTrue(grads[0].equal(grads[1]));
        assertEquals(DType.FLOAT64, grads[1].dtype());
    }

    @Test
    void maskBasedBackwardRulesKeepTheGradientType() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Variable x = new Variable(Tensor.of(new double[] {-1, 0.5, 2, 2}).to(dt), true);
            Variable y = new Variable(Tensor.of(new double[] {0, 0.5, 1, 3}).to(dt), true);
            Variable out = x.relu()
                    .add(x.leakyRelu(0.1))
                    .add(x.clamp(0, 1))
                    .add(x.maximum(y))
                    .add(x.abs().amax(new int[] {0}, false));
            out.sum().backward();
            assertEquals(dt, x.grad().dtype());
            // relu' + leakyRelu' + clamp' + d max(x, y) (ties split) + d amax |x| (the 0-d amax is broadcast
            // over the 4 elements, and its gradient 4 shared between the two 2s)
            double[] want = {0 + 0.1 + 0 + 0 + 0, 1 + 1 + 1 + 0.5 + 0, 1 + 1 + 0 + 1 + 2, 1 + 1 + 0 + 0 + 2};
            double[] got = x.grad().toDoubleArray();
            for (int k = 0; k < want.length; k++) {
                assertEquals(want[k], got[k], 1e-6, dt + " element " + k);
            }
            assertEquals(dt, y.grad().dtype());
        }
    }
}
