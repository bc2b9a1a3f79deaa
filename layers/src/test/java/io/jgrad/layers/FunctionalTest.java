package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** The functional normalizations equal their layers and check their arguments. */
class FunctionalTest {
    @Test
    void functionsEqualTheLayers() {
        Generator g = new Generator(5);
        Variable x = Variable.constant(Tensor.randn(g, 4, 6, 3, 3));
        BatchNorm2d bn = new BatchNorm2d(6);
        bn.weight().data().copy_(Tensor.randn(g, 6));
        Tensor rm = Tensor.zeros(6);
        Tensor rv = Tensor.ones(6);
        Tensor y = Functional.batchNorm(x, rm, rv, bn.weight(), bn.bias(), true, 0.1, 1e-5)
                .data();
        assertTrue(y.equal(bn.forward(x).data()));
        assertTrue(rm.equal(bn.runningMean()) && rv.equal(bn.runningVar()));
        bn.eval();
        assertTrue(Functional.batchNorm(x, rm, rv, bn.weight(), bn.bias(), false, 0.1, 1e-5)
                .data()
                .equal(bn.forward(x).data()));
        GroupNorm gn = new GroupNorm(3, 6);
        assertTrue(Functional.groupNorm(x, 3, gn.parameter("weight"), gn.parameter("bias"), 1e-5)
                .data()
                .equal(gn.forward(x).data()));
        LayerNorm ln = new LayerNorm(3, 3);
        assertTrue(Functional.layerNorm(x, new int[] {3, 3}, ln.weight(), ln.bias(), 1e-5)
                .data()
                .equal(ln.forward(x).data()));
    }

    @Test
    void argumentsAreChecked() {
        Variable x = Variable.constant(Tensor.zeros(2, 4, 3));
        IllegalArgumentException a = assertThrows(
                IllegalArgumentException.class, () -> Functional.layerNorm(x, new int[] {4}, null, null, 1e-5));
        assertTrue(a.getMessage().contains("(2, 4, 3) does not end with the normalized shape (4,)"), a.getMessage());
        IllegalArgumentException b = assertThrows(
                IllegalArgumentException.class,
                () -> Functional.batchNorm(x, Tensor.zeros(3), Tensor.ones(3), null, null, true, 0.1, 1e-5));
        assertTrue(b.getMessage().contains("do not match 4 channels"), b.getMessage());
        IllegalArgumentException c =
                assertThrows(IllegalArgumentException.class, () -> Functional.groupNorm(x, 3, null, null, 1e-5));
        assertTrue(c.getMessage().contains("C divisible by 3"), c.getMessage());
        IllegalArgumentException d = assertThrows(
                IllegalArgumentException.class,
                () -> Functional.batchNorm(
                        Variable.constant(Tensor.zeros(1, 4)), null, null, null, null, true, 0.1, 1e-5));
        assertTrue(d.getMessage().contains("more than 1 value per channel"), d.getMessage());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Functional.layerNorm(x, new int[] {3}, new Variable(Tensor.ones(4)), null, 1e-5));
        assertTrue(e.getMessage().contains("weight or bias of shape (4,) does not match (3,)"), e.getMessage());
    }
}
