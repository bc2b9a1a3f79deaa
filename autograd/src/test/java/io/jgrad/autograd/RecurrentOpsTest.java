package io.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** The fused LSTM and GRU cells against their definitions written with basic operations. */
class RecurrentOpsTest {
    private final Generator g = new Generator(5);

    static Variable[] lstmReference(Variable gates, Variable c) {
        int h = c.size(1);
        Variable i = gates.narrow(1, 0, h).sigmoid();
        Variable f = gates.narrow(1, h, h).sigmoid();
        Variable gg = gates.narrow(1, 2 * h, h).tanh();
        Variable o = gates.narrow(1, 3 * h, h).sigmoid();
        Variable cn = f.mul(c).add(i.mul(gg));
        return new Variable[] {o.mul(cn.tanh()), cn};
    }

    static Variable gruReference(Variable xg, Variable hg, Variable h) {
        int n = h.size(1);
        Variable r = xg.narrow(1, 0, n).add(hg.narrow(1, 0, n)).sigmoid();
        Variable z = xg.narrow(1, n, n).add(hg.narrow(1, n, n)).sigmoid();
        Variable nn = xg.narrow(1, 2 * n, n).add(r.mul(hg.narrow(1, 2 * n, n))).tanh();
        return z.rsub(1).mul(nn).add(z.mul(h));
    }

    @Test
    void lstmCellGradCheck() {
        Tensor gates = Tensor.randn(g, DType.FLOAT64, 3, 8);
        Tensor c = Tensor.randn(g, DType.FLOAT64, 3, 2);
        GradCheck.check(
                v -> {
                    Variable[] hc = NN.lstmCell(v[0], v[1]);
                    return hc[0].mul(2).add(hc[1].square());
                },
                gates,
                c);
    }

    @Test
    void lstmCellMatchesReferenceInFloat32() {
        Tensor gates = Tensor.randn(g, 4, 12);
        Tensor c = Tensor.randn(g, 4, 3);
        Tensor wh = Tensor.randn(g, 4, 3);
        Tensor wc = Tensor.randn(g, 4, 3);
        Variable g1 = Variable.param(gates);
        Variable c1 = Variable.param(c);
        Variable[] a = NN.lstmCell(g1, c1);
        a[0].mul(Variable.constant(wh))
                .add(a[1].mul(Variable.constant(wc)))
                .sum()
                .backward();
        Variable g2 = Variable.param(gates);
        Variable c2 = Variable.param(c);
        Variable[] b = lstmReference(g2, c2);
        b[0].mul(Variable.constant(wh))
                .add(b[1].mul(Variable.constant(wc)))
                .sum()
                .backward();
        assertArrayEquals(b[0].data().toFloatArray(), a[0].data().toFloatArray(), 1e-6f);
        assertArrayEquals(b[1].data().toFloatArray(), a[1].data().toFloatArray(), 1e-6f);
        assertArrayEquals(g2.grad().toFloatArray(), g1.grad().toFloatArray(), 1e-5f);
        assertArrayEquals(c2.grad().toFloatArray(), c1.grad().toFloatArray(), 1e-5f);
    }

    @Test
    void gruCellGradCheckAndReference() {
        Tensor xg = Tensor.randn(g, DType.FLOAT64, 2, 9);
        Tensor hg = Tensor.randn(g, DType.FLOAT64, 2, 9);
        Tensor h = Tensor.randn(g, DType.FLOAT64, 2, 3);
        GradCheck.check(v -> NN.gruCell(v[0], v[1], v[2]), xg, hg, h);
        Variable out = NN.gruCell(Variable.constant(xg), Variable.constant(hg), Variable.constant(h));
        Variable ref = gruReference(Variable.constant(xg), Variable.constant(hg), Variable.constant(h));
        assertArrayEquals(ref.data().toDoubleArray(), out.data().toDoubleArray(), 1e-14);
    }

    @Test
    void cellsSecondOrder() {
        Tensor gates = Tensor.randn(g, DType.FLOAT64, 2, 8);
        Tensor c = Tensor.randn(g, DType.FLOAT64, 2, 2);
        GradCheck.checkSecondOrder(
                v -> {
                    Variable[] hc = NN.lstmCell(v[0], v[1]);
                    return hc[0].mul(2).add(hc[1].square());
                },
                gates,
                c);
        Tensor xg = Tensor.randn(g, DType.FLOAT64, 2, 6);
        Tensor hg = Tensor.randn(g, DType.FLOAT64, 2, 6);
        Tensor h = Tensor.randn(g, DType.FLOAT64, 2, 2);
        GradCheck.checkSecondOrder(v -> NN.gruCell(v[0], v[1], v[2]), xg, hg, h);
    }

    /** d/d(inputs) of the squared norm of the cell's input gradients: a gradient penalty on one step. */
    private static Tensor[] penaltyGradients(boolean lstm, Tensor... in) {
        Variable[] v = new Variable[in.length];
        for (int i = 0; i < in.length; i++) {
            v[i] = Variable.param(in[i]);
        }
        Variable y;
        if (lstm) {
            Variable[] hc = NN.lstmCell(v[0], v[1]);
            y = hc[0].add(hc[1].mul(0.5));
        } else {
            y = NN.gruCell(v[0], v[1], v[2]);
        }
        Variable gx = Autograd.grad(y.sum(), java.util.List.of(v[0]), true).get(0);
        java.util.List<Variable> r = Autograd.grad(gx.square().sum(), java.util.List.of(v), false);
        Tensor[] out = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = r.get(i).data();
        }
        return out;
    }

    @Test
    void cellsSecondOrderFloat32MatchesFloat64() {
        for (boolean lstm : new boolean[] {true, false}) {
            Tensor[] in64 = lstm
                    ? new Tensor[] {Tensor.randn(g, DType.FLOAT64, 3, 12), Tensor.randn(g, DType.FLOAT64, 3, 3)}
                    : new Tensor[] {
                        Tensor.randn(g, DType.FLOAT64, 3, 9),
                        Tensor.randn(g, DType.FLOAT64, 3, 9),
                        Tensor.randn(g, DType.FLOAT64, 3, 3)
                    };
            Tensor[] in32 = new Tensor[in64.length];
            for (int i = 0; i < in64.length; i++) {
                in32[i] = in64[i].to(DType.FLOAT32);
            }
            Tensor[] want = penaltyGradients(lstm, in64);
            Tensor[] got = penaltyGradients(lstm, in32);
            for (int i = 0; i < want.length; i++) {
                org.junit.jupiter.api.Assertions.assertEquals(DType.FLOAT32, got[i].dtype());
                double[] a = want[i].toDoubleArray();
                double[] b = got[i].toDoubleArray();
                for (int k = 0; k < a.length; k++) {
                    org.junit.jupiter.api.Assertions.assertEquals(
                            a[k],
                            b[k],
                            1e-5 * (1 + Math.abs(a[k])),
                            (lstm ? "lstm" : "gru") + " input " + i + " element " + k);
                }
            }
        }
    }

    @Test
    void shapeErrorsAreClear() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> NN.lstmCell(Variable.constant(Tensor.zeros(2, 7)), Variable.constant(Tensor.zeros(2, 2))));
        org.junit.jupiter.api.Assertions.assertTrue(
                e.getMessage().contains("lstmCell") && e.getMessage().contains("(2, 7)"));
    }

    @Test
    void integerCellsAreRefusedByName() {
        Variable g = Variable.constant(Tensor.zeros(DType.INT32, 2, 8));
        Variable c = Variable.constant(Tensor.zeros(DType.INT32, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NN.lstmCell(g, c));
        org.junit.jupiter.api.Assertions.assertTrue(
                e.getMessage().contains("lstmCell") && e.getMessage().contains("int32"), e.getMessage());
        Variable x = Variable.constant(Tensor.zeros(DType.INT64, 2, 6));
        Variable h = Variable.constant(Tensor.zeros(DType.INT64, 2, 2));
        e = assertThrows(IllegalArgumentException.class, () -> NN.gruCell(x, x, h));
        org.junit.jupiter.api.Assertions.assertTrue(
                e.getMessage().contains("gruCell") && e.getMessage().contains("int64"), e.getMessage());
    }
}
