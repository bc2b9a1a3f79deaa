package io.jgrad.layers;

import static io.jgrad.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import io.jgrad.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Outputs, input and parameter gradients, and running statistics of every layer equal PyTorch's for
 * the same weights and inputs (fixtures from {@code src/test/python/make_layer_fixtures.py}), in
 * FLOAT64 (tight) and FLOAT32 (float rounding).
 */
class LayerParityTest {
    record Case(String name, Supplier<Module> make, boolean train) {}

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("linear", () -> new Linear(5, 3), true));
        c.add(new Case("linear_nobias", () -> new Linear(5, 3, false), true));
        c.add(new Case("linear_3d", () -> new Linear(5, 3), true));
        c.add(new Case("relu", ReLU::new, true));
        c.add(new Case("leaky_relu", () -> new LeakyReLU(0.2), true));
        c.add(new Case("elu", () -> new ELU(0.7), true));
        c.add(new Case("selu", SELU::new, true));
        c.add(new Case("gelu", GELU::new, true));
        c.add(new Case("gelu_tanh", () -> new GELU(true), true));
        c.add(new Case("mish", Mish::new, true));
        c.add(new Case("silu", SiLU::new, true));
        c.add(new Case("tanh", Tanh::new, true));
        c.add(new Case("sigmoid", Sigmoid::new, true));
        c.add(new Case("softmax", () -> new Softmax(1), true));
        c.add(new Case("log_softmax", () -> new LogSoftmax(1), true));
        c.add(new Case("softmax_dim0", () -> new Softmax(0), true));
        c.add(new Case("identity", Identity::new, true));
        c.add(new Case("flatten", Flatten::new, true));
        c.add(new Case("layernorm", () -> new LayerNorm(5), true));
        c.add(new Case("layernorm_2d", () -> new LayerNorm(4, 5), true));
        c.add(new Case("layernorm_noaffine", () -> new LayerNorm(new int[] {5}, 1e-5, false), true));
        c.add(new Case("groupnorm", () -> new GroupNorm(2, 6), true));
        c.add(new Case("groupnorm_noaffine", () -> new GroupNorm(3, 6, 1e-5, false), true));
        c.add(new Case("instancenorm", () -> new InstanceNorm2d(3), true));
        c.add(new Case("instancenorm_track", () -> new InstanceNorm2d(3, 1e-5, 0.1, true, true), false));
        c.add(new Case("instancenorm_track_train", () -> new InstanceNorm2d(3, 1e-5, 0.1, true, true), true));
        c.add(new Case("batchnorm1d", () -> new BatchNorm1d(4), true));
        c.add(new Case("batchnorm1d_3d", () -> new BatchNorm1d(4), true));
        c.add(new Case("batchnorm2d", () -> new BatchNorm2d(3), true));
        c.add(new Case("batchnorm2d_noaffine", () -> new BatchNorm2d(3, 1e-5, 0.1, false, true), true));
        c.add(new Case("batchnorm2d_notrack_eval", () -> new BatchNorm2d(3, 1e-5, 0.1, true, false), false));
        c.add(new Case("batchnorm1d_steps", () -> new BatchNorm1d(4, 1e-5, 0.3, true, true), false));
        c.add(new Case("batchnorm2d_steps", () -> new BatchNorm2d(3), false));
        c.add(new Case("batchnorm2d_cumulative", () -> new BatchNorm2d(3, 1e-5, Double.NaN, true, true), false));
        c.add(new Case("weightnorm_linear", () -> new WeightNorm(new Linear(5, 3)), true));
        c.add(new Case("weightnorm_linear_dim1", () -> new WeightNorm(new Linear(5, 3), 1), true));
        c.add(new Case("global_avg", GlobalAvgPool::new, true));
        c.add(new Case("global_max", GlobalMaxPool::new, true));
        c.addAll(ConvCases.cases());
        c.addAll(ResamplingCases.cases());
        return c;
    }

    @TestFactory
    Stream<DynamicTest> float64() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c, DType.FLOAT64, 1e-10, 1e-8)));
    }

    @TestFactory
    Stream<DynamicTest> float32() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c, DType.FLOAT32, 2e-4, 2e-4)));
    }

    static void run(Case c, DType dt, double atol, double rtol) {
        Map<String, Tensor> f = Fixtures.load("/torch/LAYER_" + c.name() + ".txt");
        Module m = c.make().get().to(dt);
        m.loadStateDict(Fixtures.stateDict(f, "p."), true);
        if (f.containsKey("x0")) {
            m.train();
            for (int i = 0; f.containsKey("x" + i); i++) {
                Variable y = m.forward(Variable.constant(f.get("x" + i).to(dt)));
                assertClose(f.get("y" + i), y.data(), atol, rtol, c.name() + " step " + i + " output");
            }
            m.eval();
        } else {
            m.train(c.train());
        }
        Variable x = new Variable(f.get("x").to(dt), true);
        Variable y = m.forward(x);
        assertTrue(y.dtype() == dt, c.name() + ": output dtype " + y.dtype());
        assertClose(f.get("y"), y.data(), atol, rtol, c.name() + " output");
        y.mul(Variable.constant(f.get("r").to(dt))).sum().backward();
        assertClose(f.get("gx"), x.grad(), atol, rtol, c.name() + " input gradient");
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            Tensor expected = f.get("g." + e.getKey());
            assertTrue(expected != null, c.name() + ": no PyTorch gradient for parameter " + e.getKey());
            assertClose(expected, e.getValue().grad(), atol, rtol, c.name() + " gradient of " + e.getKey());
        }
        Map<String, Tensor> after = Fixtures.stateDict(f, "s.");
        Map<String, Tensor> mine = m.stateDict();
        assertTrue(
                after.keySet().equals(mine.keySet()),
                c.name() + ": state dict keys " + mine.keySet() + " instead of " + after.keySet());
        for (Map.Entry<String, Tensor> e : after.entrySet()) {
            assertClose(e.getValue(), mine.get(e.getKey()), atol, rtol, c.name() + " state " + e.getKey());
        }
    }
}
