package io.jgrad.layers;

import static io.jgrad.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import io.jgrad.testing.Fixtures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Second-order gradients equal PyTorch's, in FLOAT64, for the same weights loaded from PyTorch's
 * state dicts (fixtures from {@code src/test/python/make_second_order_fixtures.py}): a WGAN-GP step
 * on a conv critic (conv, leaky ReLU, max and average pooling, linear); gradient penalties
 * {@code sum(grad_x^2)} through recurrent layers, multi-head attention and normalization layers;
 * Hessian-vector products of cross entropy (label smoothing, class weights, ignore index) and NLL,
 * with respect to a linear layer's parameters and to the logits.
 *
 * <p>Every penalty and product case has a first-order twin (forward values and the first-order
 * input or parameter gradients, without {@code createGraph}), so that a failure of the second-order
 * test with a passing first-order twin points at the double backward of an operation.
 */
class SecondOrderParityTest {
    static final double ATOL = 1e-10;
    static final double RTOL = 1e-8;

    static Map<String, Tensor> load(String name) {
        return Fixtures.load("/torch/SECOND_" + name + ".txt");
    }

    static <M extends Module> M loaded(M m, Map<String, Tensor> f) {
        m.to(DType.FLOAT64);
        m.loadStateDict(Fixtures.stateDict(f, "p."), true);
        return m;
    }

    static Variable constant(Map<String, Tensor> f, String name) {
        assertTrue(f.containsKey(name), "fixture has no " + name);
        return Variable.constant(f.get(name));
    }

    /** The gradient of a parameter, zeros when the backward pass left it empty. */
    static Tensor gradOrZeros(Parameter p) {
        return p.grad() != null ? p.grad() : Tensor.zerosLike(p.data());
    }

    static void checkParameterGradients(Module m, Map<String, Tensor> f, String prefix, String what) {
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            Tensor expected = f.get(prefix + e.getKey());
            assertTrue(expected != null, what + ": no PyTorch gradient " + prefix + e.getKey());
            assertClose(expected, gradOrZeros(e.getValue()), ATOL, RTOL, what + ": gradient of " + e.getKey());
        }
    }

    /**
     * A gradient computed with {@code createGraph} must be recorded (here it always depends on the
     * inputs); one that is not has silently lost its second-order terms.
     */
    static void assertDifferentiable(Variable g, String what) {
        assertTrue(
                g.requiresGrad(),
                what + ": computed with createGraph but not recorded (does not require gradients): "
                        + "an op's backward used values instead of recorded ops, second-order terms were dropped");
    }

    // ------------------------------------------------------------------------------------------ WGAN-GP

    static Sequential critic() {
        return new Sequential(
                new Conv2d(1, 4, 3, 1, 1),
                new LeakyReLU(0.2),
                new MaxPool2d(2),
                new Conv2d(4, 4, 3, 1, 1),
                new LeakyReLU(0.2),
                new AvgPool2d(2, 1, 0),
                new Flatten(),
                new Linear(16, 1));
    }

    @Test
    void wganGpConvCritic() {
        Map<String, Tensor> f = load("wgan_gp_conv");
        Sequential critic = loaded(critic(), f);
        Variable real = constant(f, "real");
        Variable fake = constant(f, "fake");
        Variable eps = constant(f, "eps");
        Variable mixed = eps.mul(real).add(eps.rsub(1).mul(fake));
        assertClose(f.get("xhat"), mixed.data(), ATOL, RTOL, "interpolation");
        Variable xhat = new Variable(mixed.data(), true);

        Variable dReal = critic.forward(real).mean();
        Variable dFake = critic.forward(fake).mean();
        assertClose(f.get("d_real"), dReal.data(), ATOL, RTOL, "critic(real).mean()");
        assertClose(f.get("d_fake"), dFake.data(), ATOL, RTOL, "critic(fake).mean()");
        Variable gx =
                Autograd.grad(critic.forward(xhat).sum(), List.of(xhat), true).get(0);
        assertClose(f.get("gxhat"), gx.data(), ATOL, RTOL, "gradient of the critic at xhat");
        assertDifferentiable(gx, "gradient of the critic at xhat");
        Variable penalty =
                gx.flatten(1, -1).norm(2, new int[] {1}, false).sub(1).square().mean();
        assertClose(f.get("penalty"), penalty.data(), ATOL, RTOL, "gradient penalty");
        Variable loss = dFake.sub(dReal).add(penalty.mul(10));
        assertClose(f.get("loss"), loss.data(), ATOL, RTOL, "critic loss");

        List<String> names = new ArrayList<>(critic.namedParameters().keySet());
        List<Variable> params = new ArrayList<>(critic.namedParameters().values());
        List<Variable> gp = Autograd.grad(List.of(penalty), params, null, true, false);
        for (int i = 0; i < names.size(); i++) {
            assertClose(
                    f.get("gp." + names.get(i)), gp.get(i).data(), ATOL, RTOL, "penalty gradient of " + names.get(i));
        }
        loss.backward();
        checkParameterGradients(critic, f, "g.", "WGAN-GP loss");
    }

    // ------------------------------------------------------------------------------------------ gradient penalties

    /** A module and how to call it: the named outputs (y, hn, cn, w) of the module on x. */
    record PenaltyCase(
            String name,
            String label,
            Supplier<Module> make,
            BiFunction<Module, Variable, Map<String, Variable>> call) {
        PenaltyCase(String name, Supplier<Module> make, BiFunction<Module, Variable, Map<String, Variable>> call) {
            this(name, name, make, call);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static Map<String, Variable> single(Module m, Variable x) {
        Map<String, Variable> o = new LinkedHashMap<>();
        o.put("y", m.forward(x));
        return o;
    }

    static Map<String, Variable> recurrent(Module m, Variable x) {
        RNNOutput out = ((RNNBase) m).run(x);
        Map<String, Variable> o = new LinkedHashMap<>();
        o.put("y", out.output());
        o.put("hn", out.hN());
        if (out.cN() != null) {
            o.put("cn", out.cN());
        }
        return o;
    }

    static Map<String, Variable> mhaPlain(Module m, Variable x) {
        Map<String, Variable> o = new LinkedHashMap<>();
        o.put(
                "y",
                ((MultiheadAttention) m)
                        .attend(x, x, x, null, false, null, true, false)
                        .output());
        return o;
    }

    /** Query i attends keys j &lt;= i: an INT32 mask (non-zero = not allowed) or the causal flag. */
    static BiFunction<Module, Variable, Map<String, Variable>> mhaCausal(boolean flag) {
        return (m, x) -> {
            int l = x.size(1);
            int[] mask = new int[l * l];
            for (int i = 0; i < l; i++) {
                for (int j = i + 1; j < l; j++) {
                    mask[i * l + j] = 1;
                }
            }
            AttentionResult r = ((MultiheadAttention) m)
                    .attend(x, x, x, null, true, flag ? null : Tensor.of(mask, l, l), true, flag);
            Map<String, Variable> o = new LinkedHashMap<>();
            o.put("y", r.output());
            o.put("w", r.weights());
            return o;
        };
    }

    static RecurrentOptions o() {
        return RecurrentOptions.defaults();
    }

    static List<PenaltyCase> penaltyCases() {
        List<PenaltyCase> c = new ArrayList<>();
        c.add(new PenaltyCase("lstm_2l_bf", () -> new LSTM(3, 4, o().numLayers(2)), SecondOrderParityTest::recurrent));
        c.add(new PenaltyCase(
                "lstm_tf", () -> new LSTM(3, 4, o().batchFirst(false)), SecondOrderParityTest::recurrent));
        c.add(new PenaltyCase(
                "lstm_bi_bf", () -> new LSTM(3, 4, o().bidirectional(true)), SecondOrderParityTest::recurrent));
        c.add(new PenaltyCase("gru_2l_bf", () -> new GRU(3, 4, o().numLayers(2)), SecondOrderParityTest::recurrent));
        c.add(new PenaltyCase("gru_tf", () -> new GRU(3, 4, o().batchFirst(false)), SecondOrderParityTest::recurrent));
        c.add(new PenaltyCase(
                "rnn_tanh_2l_bf", () -> new RNN(3, 4, o().numLayers(2)), SecondOrderParityTest::recurrent));
        c.add(new PenaltyCase(
                "rnn_tanh_tf", () -> new RNN(3, 4, o().batchFirst(false)), SecondOrderParityTest::recurrent));
        c.add(new PenaltyCase(
                "mha_self", () -> new MultiheadAttention(4, 2, 0, true, true), SecondOrderParityTest::mhaPlain));
        c.add(new PenaltyCase("mha_causal", () -> new MultiheadAttention(4, 2, 0, true, true), mhaCausal(false)));
        c.add(new PenaltyCase(
                "mha_causal",
                "mha_causal (causal flag)",
                () -> new MultiheadAttention(4, 2, 0, true, true),
                mhaCausal(true)));
        c.add(new PenaltyCase(
                "layernorm",
                () -> new Sequential(new Linear(3, 5), new LayerNorm(5), new Tanh()),
                SecondOrderParityTest::single));
        c.add(new PenaltyCase(
                "batchnorm1d",
                () -> new Sequential(new Linear(3, 4), new BatchNorm1d(4), new Tanh()),
                SecondOrderParityTest::single));
        c.add(new PenaltyCase(
                "batchnorm2d",
                () -> new Sequential(new Conv2d(2, 3, 3, 1, 1), new BatchNorm2d(3), new Tanh()),
                SecondOrderParityTest::single));
        c.add(new PenaltyCase(
                "groupnorm",
                () -> new Sequential(new Conv2d(2, 4, 3, 1, 1), new GroupNorm(2, 4), new Tanh()),
                SecondOrderParityTest::single));
        c.add(new PenaltyCase(
                "instancenorm2d",
                () -> new Sequential(
                        new Conv2d(2, 3, 3, 1, 1), new InstanceNorm2d(3, 1e-5, 0.1, true, false), new Tanh()),
                SecondOrderParityTest::single));
        return c;
    }

    /** The weighted sum of the outputs whose input gradient is penalized; checks every output. */
    static Variable weighedOutputs(PenaltyCase c, Map<String, Tensor> f, Module m, Variable x) {
        Map<String, Variable> outs = c.call().apply(m, x);
        Variable s = null;
        for (Map.Entry<String, Variable> e : outs.entrySet()) {
            String k = e.getKey();
            assertClose(f.get(k), e.getValue().data(), ATOL, RTOL, c + " output " + k);
            Variable t = e.getValue()
                    .mul(constant(f, k.equals("y") ? "r" : "r" + k.charAt(0)))
                    .sum();
            s = s == null ? t : s.add(t);
        }
        return s;
    }

    @TestFactory
    Stream<DynamicTest> penaltiesFirstOrder() {
        return penaltyCases().stream()
                .map(c -> DynamicTest.dynamicTest(c + " first order", () -> {
                    Map<String, Tensor> f = load("gp_" + c.name());
                    Module m = loaded(c.make().get(), f);
                    Variable x = new Variable(f.get("x"), true);
                    Variable gx = Autograd.grad(List.of(weighedOutputs(c, f, m, x)), List.of(x), null, false, false)
                            .get(0);
                    assertClose(f.get("gx"), gx.data(), ATOL, RTOL, c + " input gradient");
                    assertClose(f.get("penalty"), gx.data().mul(gx.data()).sum(), ATOL, RTOL, c + " penalty value");
                }));
    }

    @TestFactory
    Stream<DynamicTest> penaltiesSecondOrder() {
        return penaltyCases().stream()
                .map(c -> DynamicTest.dynamicTest(c + " second order", () -> {
                    Map<String, Tensor> f = load("gp_" + c.name());
                    Module m = loaded(c.make().get(), f);
                    Variable x = new Variable(f.get("x"), true);
                    Variable gx = Autograd.grad(weighedOutputs(c, f, m, x), List.of(x), true)
                            .get(0);
                    assertClose(f.get("gx"), gx.data(), ATOL, RTOL, c + " input gradient");
                    assertDifferentiable(gx, c + " input gradient");
                    Variable penalty = gx.square().sum();
                    assertClose(f.get("penalty"), penalty.data(), ATOL, RTOL, c + " penalty");
                    penalty.backward();
                    assertTrue(
                            x.grad() != null,
                            c + ": the penalty has no gradient with respect to the input (PyTorch's is not zero): "
                                    + "the input gradient does not depend on the input, second-order terms were dropped");
                    assertClose(f.get("ggx"), x.grad(), ATOL, RTOL, c + " penalty gradient of the input");
                    checkParameterGradients(m, f, "g.", c + " penalty");
                }));
    }

    // ------------------------------------------------------------------------------------------ Hessian-vector
    // products

    record HvpCase(String name, Function<Map<String, Tensor>, Loss> loss) {}

    static Tensor weightOf(Map<String, Tensor> f) {
        return f.get("weight");
    }

    static List<HvpCase> hvpCases() {
        return List.of(
                new HvpCase("ce_smooth", f -> new CrossEntropyLoss(null, Losses.IGNORE_INDEX, 0.1, Reduction.MEAN)),
                new HvpCase("ce_smooth_weight_ignore", f -> new CrossEntropyLoss(weightOf(f), 2, 0.2, Reduction.MEAN)),
                new HvpCase(
                        "ce_weight_ignore",
                        f -> new CrossEntropyLoss(weightOf(f), Losses.IGNORE_INDEX, 0, Reduction.MEAN)),
                new HvpCase("nll_log_softmax", f -> new NLLLoss(weightOf(f), Losses.IGNORE_INDEX, Reduction.MEAN) {
                    @Override
                    public Variable forward(Variable input, Variable target) {
                        return super.forward(input.logSoftmax(1), target);
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> hessianVectorProductsFirstOrder() {
        return hvpCases().stream().map(c -> DynamicTest.dynamicTest(c.name() + " first order", () -> runHvp(c, false)));
    }

    @TestFactory
    Stream<DynamicTest> hessianVectorProductsSecondOrder() {
        return hvpCases().stream().map(c -> DynamicTest.dynamicTest(c.name() + " second order", () -> runHvp(c, true)));
    }

    static void runHvp(HvpCase c, boolean second) {
        Map<String, Tensor> f = load("hvp_" + c.name());
        Linear lin = loaded(new Linear(3, 5), f);
        Loss lossFn = c.loss().apply(f);
        Variable target = Variable.constant(f.get("target").to(DType.INT32));
        Variable logits = lin.forward(constant(f, "x"));
        assertClose(f.get("logits"), logits.data(), ATOL, RTOL, c.name() + " logits");
        Variable loss = lossFn.forward(logits, target);
        assertClose(f.get("loss"), loss.data(), ATOL, RTOL, c.name() + " loss");
        Parameter w = lin.parameter("weight");
        Parameter b = lin.parameter("bias");
        List<Variable> g = Autograd.grad(List.of(loss), List.of(w, b), null, second, second);
        assertClose(f.get("g.weight"), g.get(0).data(), ATOL, RTOL, c.name() + " gradient of the weight");
        assertClose(f.get("g.bias"), g.get(1).data(), ATOL, RTOL, c.name() + " gradient of the bias");

        Variable z = new Variable(f.get("z"), true);
        Variable gz = Autograd.grad(List.of(lossFn.forward(z, target)), List.of(z), null, second, second)
                .get(0);
        assertClose(f.get("gz"), gz.data(), ATOL, RTOL, c.name() + " gradient of the logits");
        if (!second) {
            return;
        }
        assertDifferentiable(g.get(0), c.name() + " gradient of the weight");
        assertDifferentiable(g.get(1), c.name() + " gradient of the bias");
        assertDifferentiable(gz, c.name() + " gradient of the logits");
        Variable dot = g.get(0)
                .mul(constant(f, "v.weight"))
                .sum()
                .add(g.get(1).mul(constant(f, "v.bias")).sum());
        dot.backward();
        assertClose(f.get("hvp.weight"), gradOrZeros(w), ATOL, RTOL, c.name() + " Hessian-vector product (weight)");
        assertClose(f.get("hvp.bias"), gradOrZeros(b), ATOL, RTOL, c.name() + " Hessian-vector product (bias)");
        Variable hz = Autograd.grad(gz.mul(constant(f, "vz")).sum(), List.of(z), false)
                .get(0);
        assertClose(f.get("hvpz"), hz.data(), ATOL, RTOL, c.name() + " Hessian-vector product (logits)");
    }
}
