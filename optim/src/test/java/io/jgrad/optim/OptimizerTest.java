package io.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optimizer base: validation messages, groups, frozen parameters, state dicts, and the fused Adam path. */
class OptimizerTest {

    static Parameter param(double... v) {
        return new Parameter(Tensor.of(v, v.length));
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertEquals(expected, ex.getMessage());
    }

    @Test
    void hyperParameterValidationMessages() {
        List<Parameter> p = List.of(param(1, 2));
        assertMessage(
                "Adam: invalid beta1 1.2 (must be in [0, 1))",
                () -> new Adam(p, Adam.options().betas(1.2, 0.999)));
        assertMessage(
                "Adam: invalid beta2 1 (must be in [0, 1))",
                () -> new Adam(p, Adam.options().betas(0.9, 1.0)));
        assertMessage("Adam: invalid lr -0.001 (must be >= 0)", () -> new Adam(p, -1e-3));
        assertMessage(
                "AdamW: invalid eps -1.0E-8 (must be >= 0)",
                () -> new AdamW(p, Adam.options().eps(-1e-8)));
        assertMessage(
                "Adam: invalid weight_decay NaN (must be >= 0)",
                () -> new Adam(p, Adam.options().weightDecay(Double.NaN)));
        assertMessage(
                "Adam: invalid amsgrad 2 (a flag must be 0 (false) or 1 (true))",
                () -> new Adam(p, Adam.options().set("amsgrad", 2)));
        assertMessage(
                "SGD: lr is required (e.g. new SGD(params, 0.1))",
                () -> new SGD(p, SGD.options().momentum(0.9)));
        assertMessage(
                "SGD: invalid momentum -0.5 (must be >= 0)",
                () -> new SGD(p, SGD.options().lr(0.1).momentum(-0.5)));
        assertMessage(
                "SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum 0 and dampening 0",
                () -> new SGD(p, SGD.options().lr(0.1).nesterov(true)));
        assertMessage(
                "SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum 0.9 and dampening 0.1",
                () -> new SGD(
                        p, SGD.options().lr(0.1).momentum(0.9).dampening(0.1).nesterov(true)));
        assertMessage(
                "Adagrad: invalid lr_decay -1 (must be >= 0)",
                () -> new Adagrad(p, Adagrad.options().lrDecay(-1)));
        assertMessage(
                "Adagrad: invalid initial_accumulator_value -0.1 (must be >= 0)",
                () -> new Adagrad(p, Adagrad.options().initialAccumulatorValue(-0.1)));
        assertMessage(
                "Adadelta: invalid rho 1.5 (must be in [0, 1])",
                () -> new Adadelta(p, Adadelta.options().rho(1.5)));
        assertMessage(
                "RMSprop: invalid alpha -0.99 (must be >= 0)",
                () -> new RMSprop(p, RMSprop.options().alpha(-0.99)));
        assertMessage(
                "RMSprop: invalid momentum -1 (must be >= 0)",
                () -> new RMSprop(p, RMSprop.options().momentum(-1)));
        assertMessage(
                "Nadam: invalid momentum_decay -0.004 (must be >= 0)",
                () -> new Nadam(p, Nadam.options().momentumDecay(-4e-3)));
        assertMessage(
                "Adamax: invalid beta1 -0.1 (must be in [0, 1))",
                () -> new Adamax(p, Adamax.options().betas(-0.1, 0.9)));
        assertMessage(
                "Adam: unknown hyper-parameter 'momentum' (known: lr, beta1, beta2, eps, weight_decay, amsgrad, "
                        + "decoupled_weight_decay, maximize)",
                () -> new Adam(p, Adam.options().set("momentum", 0.9)));
    }

    @Test
    void groupsValidateChangesAndRefuseBadParameterLists() {
        Parameter a = param(1, 2);
        Parameter b = param(3);
        SGD sgd = new SGD(List.of(a), SGD.options().lr(0.1).momentum(0.9).nesterov(true));
        ParamGroup g = sgd.paramGroups().get(0);
        assertMessage(
                "SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum 0 and dampening 0",
                () -> g.set("momentum", 0));
        assertEquals(0.9, g.get("momentum"), 0, "a refused change keeps the old value");
        assertMessage("SGD: invalid lr -1 (must be >= 0)", () -> sgd.setLr(0, -1));
        sgd.setLr(0.2);
        assertEquals(0.2, sgd.lr(0), 0);
        assertMessage(
                "SGD: parameter 0 (2,) appears more than once (in this group or in another group)",
                () -> sgd.addParamGroup(List.of(a)));
        assertMessage("SGD: got an empty parameter list", () -> sgd.addParamGroup(List.of()));
        b.name("bias");
        assertMessage(
                "SGD: parameter 1 'bias' (1,) appears more than once (in this group or in another group)",
                () -> new SGD(List.of(b, b), 0.1));
        assertMessage(
                "SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum 0 and dampening 0",
                () -> sgd.addParamGroup(List.of(b), SGD.options().lr(0.01).momentum(0))); // nesterov stays on
        sgd.addParamGroup(List.of(b), SGD.options().lr(0.01).momentum(0).nesterov(false));
        assertEquals(2, sgd.paramGroups().size());
        assertEquals(0.01, sgd.lr(1), 0);
        assertEquals(0.0, sgd.paramGroups().get(1).get("dampening"), 0, "defaults fill the rest");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.get("betas"));
        assertTrue(e.getMessage().contains("no hyper-parameter 'betas'"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> sgd.lr(2));
        assertMessage(
                "SGD: parameter 0 has dtype int32; only floating point parameters can be optimized",
                () -> new SGD(List.of(new Parameter(Tensor.of(new int[] {1}, 1), false)), 0.1));
    }

    @Test
    void frozenParametersAndMissingGradientsAreSkipped() {
        Parameter a = param(1, 2);
        Parameter frozen = param(3, 4);
        Parameter noGrad = param(5);
        Adam adam = new Adam(List.of(a, frozen, noGrad), 0.1);
        a.setGrad(Tensor.of(new double[] {1, -1}, 2));
        frozen.setGrad(Tensor.of(new double[] {1, 1}, 2));
        frozen.requiresGrad(false);
        adam.step();
        assertArrayEquals(new double[] {0.9, 2.1}, a.data().toDoubleArray(), 1e-7);
        assertArrayEquals(new double[] {3, 4}, frozen.data().toDoubleArray(), 0);
        assertArrayEquals(new double[] {5}, noGrad.data().toDoubleArray(), 0);
        assertNotNull(adam.state(a));
        assertNull(adam.state(frozen), "no state for a frozen parameter");
        assertNull(adam.state(noGrad), "state is created lazily, at the first update");
        adam.zeroGrad();
        assertNull(a.grad());
        a.setGrad(Tensor.of(new double[] {2, 2}, 2));
        adam.zeroGrad(false);
        assertArrayEquals(new double[] {0, 0}, a.grad().toDoubleArray(), 0);
    }

    @Test
    void stateDictNamesAndMismatches() {
        Parameter a = param(1, 2);
        Parameter b = param(3);
        Adam adam = new Adam(List.of(a), Adam.options().lr(0.01).amsgrad(true));
        adam.addParamGroup(List.of(b), Adam.options().lr(0.02));
        a.setGrad(Tensor.of(new double[] {1, -1}, 2));
        adam.step();
        Map<String, Tensor> d = adam.stateDict();
        assertEquals(0.01, d.get("param_groups.0.lr").item(), 0);
        assertEquals(0, d.get("param_groups.0.lr").dim());
        assertEquals(DType.FLOAT64, d.get("param_groups.1.lr").dtype());
        assertEquals(1.0, d.get("param_groups.0.amsgrad").item(), 0);
        assertEquals(0.999, d.get("param_groups.1.beta2").item(), 0);
        assertArrayEquals(new int[] {1}, d.get("param_groups.1.params").toIntArray());
        assertEquals(1.0, d.get("state.0.step").item(), 0);
        assertArrayEquals(new int[] {2}, d.get("state.0.exp_avg").shape());
        assertTrue(d.containsKey("state.0.max_exp_avg_sq"));
        assertTrue(d.keySet().stream().noneMatch(k -> k.startsWith("state.1.")), "b has no gradient yet: no state");

        Adam other = new Adam(List.of(param(0, 0)), 0.5);
        assertMessage(
                "Adam.loadStateDict: '" + "param_groups.1.lr' refers to group 1 but the optimizer has 1 groups",
                () -> other.loadStateDict(d));
        Adam shapes = new Adam(List.of(param(0, 0, 0)), 0.5);
        shapes.addParamGroup(List.of(param(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shapes.loadStateDict(d));
        assertTrue(e.getMessage().contains("has shape (2,) but parameter 0 has shape (3,)"), e.getMessage());
        Map<String, Tensor> bad = new LinkedHashMap<>(d);
        bad.put("momentum_buffer", Tensor.scalar(1));
        Adam same = new Adam(List.of(param(0, 0)), 0.5);
        same.addParamGroup(List.of(param(0)));
        assertMessage("Adam.loadStateDict: unexpected key 'momentum_buffer'", () -> same.loadStateDict(bad));
        SGD sgd = new SGD(List.of(param(0, 0)), 0.1);
        sgd.addParamGroup(List.of(param(0)));
        assertMessage(
                "SGD.loadStateDict: group 0 has no 'momentum' (saved by a different optimizer?)",
                () -> sgd.loadStateDict(d));
        same.loadStateDict(d);
        assertEquals(0.01, same.lr(0), 0);
        assertEquals(0.02, same.lr(1), 0);
    }

    @Test
    void stateDictLoadsIntoFloat32Parameters() {
        Parameter a = new Parameter(Tensor.of(new float[] {1, 2}, 2));
        Adam adam = new Adam(List.of(a), 0.1);
        a.setGrad(Tensor.of(new float[] {1, -1}, 2));
        adam.step();
        Map<String, Tensor> d = new LinkedHashMap<>(adam.stateDict());
        d.replaceAll((k, v) -> v.to(DType.FLOAT64)); // e.g. saved as doubles by another tool
        Parameter b = new Parameter(Tensor.of(new float[] {1, 2}, 2));
        Adam other = new Adam(List.of(b), 0.1);
        other.loadStateDict(d);
        assertEquals(DType.FLOAT32, other.state(b).buffer("exp_avg").dtype());
    }

    /**
     * The fused FLOAT32 kernel against the tensor path on the same FLOAT32 parameters, for plain Adam,
     * L2 weight decay, AdamW and maximize, over sizes that hit the kernels' vector tails and the
     * parallel split.
     */
    @Test
    void fusedFloat32AdamMatchesTensorPath() {
        List<Adam.Options> variants = List.of(
                Adam.options().lr(0.01),
                Adam.options().lr(0.01).weightDecay(0.1),
                Adam.options()
                        .lr(0.01)
                        .weightDecay(0.1)
                        .decoupledWeightDecay(true)
                        .betas(0.8, 0.99),
                Adam.options().lr(0.02).maximize(true).eps(1e-6));
        int[] sizes = {1, 7, 17, 33, 100_003};
        for (int vi = 0; vi < variants.size(); vi++) {
            for (int n : sizes) {
                Generator g = new Generator(n + 31L * vi);
                Tensor init = Tensor.randn(g, DType.FLOAT32, n);
                Parameter fast = new Parameter(init.clone());
                Parameter slow = new Parameter(init.clone());
                Adam fastOpt = new Adam(List.of(fast), variants.get(vi));
                Adam slowOpt = new Adam(List.of(slow), variants.get(vi));
                slowOpt.fused = false;
                double beta1 = fastOpt.paramGroups().get(0).get("beta1");
                double[] terms = new double[n]; // sum over steps of |(1 - beta1) g|, decayed like m
                for (int s = 0; s < 10; s++) {
                    Tensor grad = Tensor.randn(g, DType.FLOAT32, n);
                    float[] gv = grad.toFloatArray();
                    for (int i = 0; i < n; i++) {
                        terms[i] = beta1 * terms[i] + (1 - beta1) * Math.abs(gv[i]);
                    }
                    fast.setGrad(grad.clone());
                    slow.setGrad(grad.clone());
                    fastOpt.step();
                    slowOpt.step();
                }
                float[] a = fast.data().toFloatArray();
                float[] b = slow.data().toFloatArray();
                for (int i = 0; i < n; i++) {
                    assertEquals(
                            b[i],
                            a[i],
                            2e-6 * Math.max(1, Math.abs(b[i])),
                            "variant " + vi + " n " + n + " [" + i + "]");
                }
                // Both paths weight g and g^2 by 1 - beta computed in double and rounded to float (as PyTorch
                // does), so the moments agree to float rounding: relative to the sums of their terms (v's terms
                // are positive: relative to v itself).
                double rel = 1e-6;
                double rel1 = 1e-6;
                float[] va = fastOpt.state(fast).buffer("exp_avg_sq").toFloatArray();
                float[] vb = slowOpt.state(slow).buffer("exp_avg_sq").toFloatArray();
                float[] ma = fastOpt.state(fast).buffer("exp_avg").toFloatArray();
                float[] mb = slowOpt.state(slow).buffer("exp_avg").toFloatArray();
                for (int i = 0; i < n; i++) {
                    assertEquals(
                            vb[i],
                            va[i],
                            rel * Math.abs(vb[i]),
                            "variant " + vi + " n " + n + " exp_avg_sq [" + i + "]");
                    assertEquals(mb[i], ma[i], rel1 * terms[i], "variant " + vi + " n " + n + " exp_avg [" + i + "]");
                }
            }
        }
    }

    /** The fused path must change the parameter's version counter like any in-place update. */
    @Test
    void fusedPathBumpsVersion() {
        Parameter p = new Parameter(Tensor.of(new float[] {1, 2, 3}, 3));
        Adam adam = new Adam(List.of(p), 0.1);
        p.setGrad(Tensor.of(new float[] {1, 1, 1}, 3));
        int before = p.data().version();
        adam.step();
        assertTrue(p.data().version() > before);
    }

    @Test
    void defaultsMatchPyTorch() {
        List<Parameter> p = List.of(param(1));
        assertEquals(1e-3, new Adam(p).lr(0), 0);
        assertEquals(0.01, new AdamW(p).defaults().get("weight_decay"), 0);
        assertEquals(1.0, new AdamW(p).defaults().get("decoupled_weight_decay"), 0);
        assertEquals(0.0, new Adam(p).defaults().get("weight_decay"), 0);
        assertEquals(1e-2, new Adagrad(p).lr(0), 0);
        assertEquals(1e-10, new Adagrad(p).defaults().get("eps"), 0);
        assertEquals(1.0, new Adadelta(p).lr(0), 0);
        assertEquals(1e-6, new Adadelta(p).defaults().get("eps"), 0);
        assertEquals(0.99, new RMSprop(p).defaults().get("alpha"), 0);
        assertEquals(2e-3, new Nadam(p).lr(0), 0);
        assertEquals(4e-3, new Nadam(p).defaults().get("momentum_decay"), 0);
        assertEquals(2e-3, new Adamax(p).lr(0), 0);
        List<String> names = new ArrayList<>();
        for (Optimizer o : List.of(
                new SGD(p, 0.1),
                new Adam(p),
                new AdamW(p),
                new Adagrad(p),
                new Adadelta(p),
                new RMSprop(p),
                new Nadam(p),
                new Adamax(p))) {
            names.add(o.name());
        }
        assertEquals(List.of("SGD", "Adam", "AdamW", "Adagrad", "Adadelta", "RMSprop", "Nadam", "Adamax"), names);
    }
}
