package io.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Tensor;
import io.jgrad.testing.Fixtures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each optimizer and option against PyTorch 1.13: 20 steps on a small MLP from fixed weights (FLOAT64)
 * must land on PyTorch's weights (fixture written by {@code src/test/python/make_fixtures.py}).
 * Also: resuming from a state dict saved after 10 steps lands on the same weights.
 */
class OptimizerParityTest {
    static final Map<String, Tensor> FX = Fixtures.load("/torch/optimizers.txt");
    static final String[] NAMES = {"w1", "b1", "w2", "b2"};
    static final int STEPS = 20;
    static final double TOL = 1e-10;

    /** The model's parameters, from the fixture's initial weights. */
    static final class Model {
        final Map<String, Parameter> p = new LinkedHashMap<>();

        Model() {
            for (String n : NAMES) {
                Parameter par = new Parameter(Fixtures.get(FX, "init." + n).clone());
                par.name(n);
                p.put(n, par);
            }
        }

        List<Parameter> all() {
            return new ArrayList<>(p.values());
        }

        /** mean((tanh(x W1^T + b1) W2^T + b2 - target)^2), backward, returns the loss. */
        double lossAndBackward() {
            Variable x = Variable.constant(Fixtures.get(FX, "x"));
            Variable t = Variable.constant(Fixtures.get(FX, "target"));
            Variable h = NN.linear(x, p.get("w1"), p.get("b1")).tanh();
            Variable y = NN.linear(h, p.get("w2"), p.get("b2"));
            Variable loss = y.sub(t).square().mean();
            loss.backward();
            return loss.item();
        }
    }

    /** The optimizer of each fixture case; keep in sync with CASES in make_fixtures.py. */
    static final Map<String, Function<Model, Optimizer>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("sgd", m -> new SGD(m.all(), 0.1));
        CASES.put("sgd_momentum", m -> new SGD(m.all(), SGD.options().lr(0.1).momentum(0.9)));
        CASES.put(
                "sgd_dampening",
                m -> new SGD(m.all(), SGD.options().lr(0.1).momentum(0.9).dampening(0.5)));
        CASES.put(
                "sgd_nesterov",
                m -> new SGD(m.all(), SGD.options().lr(0.1).momentum(0.9).nesterov(true)));
        CASES.put(
                "sgd_wd",
                m -> new SGD(m.all(), SGD.options().lr(0.1).momentum(0.9).weightDecay(0.01)));
        CASES.put(
                "sgd_maximize",
                m -> new SGD(m.all(), SGD.options().lr(0.05).weightDecay(0.01).maximize(true)));
        CASES.put("sgd_groups", m -> {
            SGD o = new SGD(
                    List.of(m.p.get("w1"), m.p.get("w2")), SGD.options().lr(0.1).momentum(0.9));
            o.addParamGroup(
                    List.of(m.p.get("b1"), m.p.get("b2")),
                    SGD.options().lr(0.02).weightDecay(0.1).momentum(0.5));
            return o;
        });
        CASES.put("adagrad", m -> new Adagrad(m.all(), Adagrad.options().lr(0.1)));
        CASES.put(
                "adagrad_decay",
                m -> new Adagrad(
                        m.all(),
                        Adagrad.options()
                                .lr(0.1)
                                .lrDecay(0.01)
                                .initialAccumulatorValue(0.1)
                                .weightDecay(0.01)
                                .eps(1e-8)));
        CASES.put("adadelta", m -> new Adadelta(m.all(), Adadelta.options().lr(1.0)));
        CASES.put(
                "adadelta_opts",
                m -> new Adadelta(
                        m.all(), Adadelta.options().lr(0.5).rho(0.8).eps(1e-5).weightDecay(0.01)));
        CASES.put("rmsprop", m -> new RMSprop(m.all(), RMSprop.options().lr(0.01)));
        CASES.put(
                "rmsprop_centered",
                m -> new RMSprop(m.all(), RMSprop.options().lr(0.01).alpha(0.9).centered(true)));
        CASES.put(
                "rmsprop_momentum",
                m -> new RMSprop(
                        m.all(), RMSprop.options().lr(0.01).momentum(0.9).weightDecay(0.01)));
        CASES.put(
                "rmsprop_centered_momentum",
                m -> new RMSprop(
                        m.all(), RMSprop.options().lr(0.005).centered(true).momentum(0.5)));
        CASES.put("adam", m -> new Adam(m.all(), 0.01));
        CASES.put(
                "adam_amsgrad",
                m -> new Adam(m.all(), Adam.options().lr(0.01).betas(0.8, 0.99).amsgrad(true)));
        CASES.put("adam_wd", m -> new Adam(m.all(), Adam.options().lr(0.01).weightDecay(0.1)));
        CASES.put(
                "adam_maximize",
                m -> new Adam(m.all(), Adam.options().lr(0.01).eps(1e-6).maximize(true)));
        CASES.put("adamw", m -> new AdamW(m.all(), Adam.options().lr(0.01).weightDecay(0.1)));
        CASES.put(
                "adamw_amsgrad",
                m -> new AdamW(
                        m.all(), Adam.options().lr(0.01).weightDecay(0.05).amsgrad(true)));
        CASES.put("nadam", m -> new Nadam(m.all(), Nadam.options().lr(0.01)));
        CASES.put(
                "nadam_wd",
                m -> new Nadam(
                        m.all(),
                        Nadam.options()
                                .lr(0.01)
                                .betas(0.85, 0.99)
                                .weightDecay(0.01)
                                .momentumDecay(0.01)));
        CASES.put(
                "nadam_corrected",
                m -> new Nadam(
                        m.all(), Nadam.options().lr(0.01).betas(0.85, 0.99).correctedMuNext(true)));
        CASES.put("adamax", m -> new Adamax(m.all(), Adamax.options().lr(0.01)));
        CASES.put(
                "adamax_wd",
                m -> new Adamax(
                        m.all(),
                        Adamax.options().lr(0.02).betas(0.8, 0.99).eps(1e-6).weightDecay(0.01)));
    }

    static Stream<Arguments> cases() {
        return CASES.keySet().stream().map(Arguments::of);
    }

    static void assertWeights(String label, Model m, String prefix) {
        for (String n : NAMES) {
            Tensor expected = Fixtures.get(FX, prefix + "." + n);
            Tensor actual = m.p.get(n).data();
            assertArrayEquals(expected.shape(), actual.shape(), label + " " + n + " shape");
            double[] e = expected.toDoubleArray();
            double[] a = actual.toDoubleArray();
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], a[i], TOL * Math.max(1, Math.abs(e[i])), label + " " + n + "[" + i + "]");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void twentyStepsMatchPyTorch(String name) {
        Model m = new Model();
        Optimizer opt = CASES.get(name).apply(m);
        double[] losses = new double[STEPS];
        for (int s = 0; s < STEPS; s++) {
            opt.zeroGrad();
            losses[s] = m.lossAndBackward();
            opt.step();
        }
        assertWeights(name, m, name);
        double[] expected = Fixtures.get(FX, name + ".losses").toDoubleArray();
        for (int s = 0; s < STEPS; s++) {
            assertEquals(expected[s], losses[s], TOL * Math.max(1, Math.abs(expected[s])), name + " loss at step " + s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void closureStepsMatchPyTorch(String name) {
        Model m = new Model();
        Optimizer opt = CASES.get(name).apply(m);
        for (int s = 0; s < STEPS; s++) {
            opt.step(() -> {
                opt.zeroGrad();
                return m.lossAndBackward();
            });
        }
        assertWeights(name + " (closure)", m, name);
    }

    /**
     * 10 steps, save, a new optimizer loads the state, 10 more steps: PyTorch's 20-step weights. The
     * saved tensors are copies: stepping the old optimizer afterwards does not change them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resumeFromStateDict(String name) {
        Model m = new Model();
        Optimizer first = CASES.get(name).apply(m);
        for (int s = 0; s < STEPS / 2; s++) {
            first.zeroGrad();
            m.lossAndBackward();
            first.step();
        }
        Map<String, Tensor> saved = first.stateDict();
        Map<String, Tensor> weights = new LinkedHashMap<>();
        m.p.forEach((n, par) -> weights.put(n, par.data().clone()));
        Map<String, double[]> before = new LinkedHashMap<>();
        saved.forEach((k, v) -> before.put(k, v.toDoubleArray()));
        for (String key : saved.keySet()) {
            assertTrue(key.startsWith("param_groups.") || key.startsWith("state."), key);
        }

        first.zeroGrad();
        m.lossAndBackward();
        first.step();
        saved.forEach((k, v) -> assertArrayEquals(before.get(k), v.toDoubleArray(), 0, "saved " + k + " changed"));

        m.p.forEach((n, par) -> par.data().copy_(weights.get(n))); // back to the weights of step 10
        Optimizer second = CASES.get(name).apply(m);
        second.loadStateDict(saved);
        for (int s = STEPS / 2; s < STEPS; s++) {
            second.zeroGrad();
            m.lossAndBackward();
            second.step();
        }
        assertWeights(name + " (resumed)", m, name);
    }
}
