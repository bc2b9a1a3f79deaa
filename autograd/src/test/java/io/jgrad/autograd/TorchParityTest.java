package io.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.core.Tensor;
import io.jgrad.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forward values and gradients equal to PyTorch's (fixtures from src/test/python/make_fixtures.py). */
class TorchParityTest {
    static void close(Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), tol);
    }

    @Test
    void chainOfOpsMatchesPyTorch() {
        Map<String, Tensor> f = Fixtures.load("/torch/chain.txt");
        Variable x = Variable.param(f.get("x"));
        Variable w = Variable.param(f.get("w"));
        Variable b = Variable.param(f.get("b"));
        Variable y = x.matmul(w).add(b);
        Variable z = y.gelu();
        Variable s = z.softmax(1);
        Variable loss = s.mul(y.logSoftmax(1))
                .sum()
                .add(y.logsumexp(1, false).mean())
                .add(y.var(new int[] {1}, 1, false).sum())
                .add(y.sigmoid().pow(3).mean())
                .add(y.tanh().abs().max())
                .add(y.amax(new int[] {0}, false).sum())
                .add(y.norm());
        assertEquals(f.get("loss").item(), loss.item(), 1e-12);
        loss.backward();
        close(f.get("grad_x"), x.grad(), 1e-12);
        close(f.get("grad_w"), w.grad(), 1e-12);
        close(f.get("grad_b"), b.grad(), 1e-12);
    }

    @Test
    void tiesAreHandledAsPyTorch() {
        Map<String, Tensor> f = Fixtures.load("/torch/ties.txt");
        Tensor xv = Tensor.of(new double[] {1, 3, 3, 2, 5, 5, 5, 1}, 2, 4);
        Variable x = Variable.param(xv);
        Variable wts = Variable.constant(Tensor.of(new double[] {1, 2}));
        x.amax(new int[] {1}, false).mul(wts).sum().backward();
        close(f.get("amax_grad"), x.grad(), 1e-15);
        x.zeroGrad();
        x.max().backward();
        close(f.get("maxall_grad"), x.grad(), 1e-15);
        x.zeroGrad();
        x.max(1, false).mul(wts).sum().backward();
        close(f.get("maxdim_grad"), x.grad(), 1e-15);
        close(f.get("maxdim_idx"), xv.argmax(1, false).to(io.jgrad.core.DType.FLOAT64), 0);
        Variable a = Variable.param(Tensor.of(new double[] {1, 2, 3}));
        Variable c = Variable.param(Tensor.of(new double[] {1, 3, 2}));
        a.maximum(c).sum().backward();
        close(f.get("maximum_grad_a"), a.grad(), 1e-15);
        close(f.get("maximum_grad_b"), c.grad(), 1e-15);
    }

    @Test
    void gradientPenaltyDoubleBackwardMatchesPyTorch() {
        Map<String, Tensor> f = Fixtures.load("/torch/double_backward.txt");
        Variable x = Variable.constant(f.get("x"));
        Variable w1 = Variable.param(f.get("w1"));
        Variable b1 = Variable.param(f.get("b1"));
        Variable w2 = Variable.param(f.get("w2"));
        Variable b2 = Variable.param(f.get("b2"));
        List<Variable> params = List.of(w1, b1, w2, b2);
        Variable out = NN.linear(NN.linear(x, w1, b1).tanh(), w2, b2);
        Variable loss = out.pow(2).mean();
        assertEquals(f.get("loss").item(), loss.item(), 1e-12);
        List<Variable> grads = Autograd.grad(loss, params, true);
        Variable penalty = null;
        for (Variable g : grads) {
            Variable s = g.mul(g).sum();
            penalty = penalty == null ? s : penalty.add(s);
        }
        assertEquals(f.get("penalty").item(), penalty.item(), 1e-12);
        penalty.backward();
        close(f.get("grad_w1"), w1.grad(), 1e-12);
        close(f.get("grad_b1"), b1.grad(), 1e-12);
        close(f.get("grad_w2"), w2.grad(), 1e-12);
        close(f.get("grad_b2"), b2.grad(), 1e-12);
    }

    @Test
    void hessianVectorProductMatchesPyTorch() {
        Map<String, Tensor> f = Fixtures.load("/torch/double_backward.txt");
        Variable x = Variable.constant(f.get("x"));
        Variable w1 = Variable.param(f.get("w1"));
        Variable b1 = Variable.param(f.get("b1"));
        Variable w2 = Variable.param(f.get("w2"));
        Variable b2 = Variable.param(f.get("b2"));
        Variable loss = NN.linear(NN.linear(x, w1, b1).tanh(), w2, b2).pow(2).mean();
        Variable g = Autograd.grad(loss, List.of(w1), true).get(0);
        Variable hv = Autograd.grad(
                        g.mul(Variable.constant(Tensor.onesLike(w1.data()))).sum(), List.of(w1), false)
                .get(0);
        close(f.get("hvp_w1"), hv.data(), 1e-12);
    }
}
