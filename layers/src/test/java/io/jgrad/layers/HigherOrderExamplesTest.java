package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's higher-order examples, run as printed, and their results checked. */
class HigherOrderExamplesTest {
    @Test
    void wganGpCriticStepAsInTheReadme() {
        Generator gen = new Generator(7);
        Tensor real = Tensor.randn(gen, 4, 1, 28, 28);
        Tensor fake = Tensor.randn(gen, 4, 1, 28, 28).mul(0.5);
        // --- as in the README
        Sequential critic = new Sequential(
                new Conv2d(1, 16, 3, 1, 1),
                new LeakyReLU(0.2),
                new MaxPool2d(2),
                new Flatten(),
                new Linear(16 * 14 * 14, 1));
        Adam opt = new Adam(critic.parameters(), new Adam.Options().lr(1e-4).betas(0.5, 0.9));

        Tensor eps = Tensor.rand(gen, real.size(0), 1, 1, 1);
        Variable xHat = Variable.param(eps.mul(real).add(eps.rsub(1).mul(fake)));
        Variable dx =
                Autograd.grad(critic.forward(xHat).sum(), List.of(xHat), true).get(0);
        Variable penalty =
                dx.flatten(1, -1).norm(2, new int[] {1}, false).sub(1).square().mean();
        Variable loss = critic.forward(Variable.constant(fake))
                .mean()
                .sub(critic.forward(Variable.constant(real)).mean())
                .add(penalty.mul(10));
        opt.zeroGrad();
        loss.backward();
        // ---
        Parameter w0 = critic.parameters().get(0);
        Tensor withPenalty = w0.grad().clone();
        // the same step without the penalty gives another conv weight gradient: the penalty reached it
        opt.zeroGrad();
        critic.forward(Variable.constant(fake))
                .mean()
                .sub(critic.forward(Variable.constant(real)).mean())
                .backward();
        Tensor without = w0.grad();
        double diff = withPenalty.sub(without).abs().max().item();
        assertTrue(
                diff > 1e-4 * (1 + without.abs().max().item()), "penalty changed the conv weight gradient by " + diff);
        assertTrue(penalty.item() > 0 && Double.isFinite(loss.item()));
        Tensor before = w0.data().clone();
        opt.step();
        assertTrue(w0.data().sub(before).abs().max().item() > 0);
    }

    @Test
    void hessianVectorProductAsInTheReadmeEqualsFiniteDifferences() {
        Generator gen = new Generator(8);
        Sequential model = new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 5));
        model.to(DType.FLOAT64);
        Variable x = Variable.constant(Tensor.randn(gen, DType.FLOAT64, 6, 3));
        Tensor labels = Tensor.of(new int[] {0, 4, 2, 2, 1, 3});
        List<Tensor> v = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            v.add(Tensor.randn(gen, DType.FLOAT64, p.shape()));
        }
        // --- as in the README
        List<Variable> params = new ArrayList<>(model.parameters());
        Variable loss = new CrossEntropyLoss().forward(model.forward(x), Variable.constant(labels));
        List<Variable> g = Autograd.grad(List.of(loss), params, null, true, true);
        Variable gv = null;
        for (int i = 0; i < params.size(); i++) {
            Variable t = g.get(i).mul(Variable.constant(v.get(i))).sum();
            gv = gv == null ? t : gv.add(t);
        }
        List<Variable> hv = Autograd.grad(gv, params, false);
        // --- H v = (grad(w + h v) - grad(w - h v)) / 2h
        double h = 1e-5;
        List<Tensor> plus = gradAt(model, x, labels, v, h);
        List<Tensor> minus = gradAt(model, x, labels, v, -h);
        for (int i = 0; i < params.size(); i++) {
            double[] got = hv.get(i).data().toDoubleArray();
            double[] a = plus.get(i).toDoubleArray();
            double[] b = minus.get(i).toDoubleArray();
            for (int k = 0; k < got.length; k++) {
                double want = (a[k] - b[k]) / (2 * h);
                assertEquals(want, got[k], 1e-6 * (1 + Math.abs(want)), "parameter " + i + " element " + k);
            }
        }
    }

    /** The loss gradient with every parameter moved by {@code step * v}, then moved back. */
    private static List<Tensor> gradAt(Module model, Variable x, Tensor labels, List<Tensor> v, double step) {
        List<Parameter> ps = model.parameters();
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).data().add_(v.get(i), step);
        }
        List<Variable> vs = new ArrayList<>(ps);
        Variable loss = new CrossEntropyLoss().forward(model.forward(x), Variable.constant(labels));
        List<Tensor> out = new ArrayList<>();
        for (Variable gi : Autograd.grad(List.of(loss), vs, null, false, false)) {
            out.add(gi.data());
        }
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).data().add_(v.get(i), -step);
        }
        return out;
    }
}
