package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.GradCheck;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The functional model API: graphs of layer calls built on symbolic inputs. */
class FunctionalModelTest {
    @TempDir
    Path dir;

    /** The two-tower model written by hand: a shared encoder, a merged head and a head on one tower. */
    static final class TwoTower extends Module {
        final Linear encoder = registerModule("encoder", new Linear(6, 8));
        final Linear kind = registerModule("kind", new Linear(16, 3));
        final Linear score = registerModule("score", new Linear(8, 1));

        List<Variable> forwardBoth(Variable left, Variable right) {
            Variable a = encoder.call(left).tanh();
            Variable b = encoder.call(right).tanh();
            return List.of(kind.call(Variable.cat(List.of(a, b), 1)), score.call(a.mul(b)));
        }
    }

    /** The same model as a graph, with layers of its own that get the weights of {@code t} through its state dict. */
    static Model twoTowerGraph(TwoTower t) {
        SymbolicTensor left = Input.of("left", 6);
        SymbolicTensor right = Input.of("right", 6);
        Linear encoder = new Linear(6, 8);
        SymbolicTensor a = new Tanh().call(encoder.call("encoder", left));
        SymbolicTensor b = new Tanh().call(encoder.call(right));
        SymbolicTensor kind = new Linear(16, 3).call("kind", new Concatenate().call(a, b));
        SymbolicTensor score = new Linear(8, 1).call("score", new Multiply().call(a, b));
        Model m = new Model(List.of(left, right), List.of(kind, score));
        m.to(DType.FLOAT64);
        m.loadStateDict(t.stateDict()); // strict: the same names
        return m;
    }

    static TwoTower twoTower() {
        TwoTower t = new TwoTower();
        t.to(DType.FLOAT64);
        t.resetParameters(new Generator(3));
        return t;
    }

    @Test
    void twoTowerEqualsTheSubclassInOutputsAndGradients() {
        TwoTower t = twoTower();
        Model m = twoTowerGraph(t);
        Generator g = new Generator(11);
        Tensor x1 = Tensor.randn(g, DType.FLOAT64, 5, 6);
        Tensor x2 = Tensor.randn(g, DType.FLOAT64, 5, 6);
        Tensor w = Tensor.randn(g, DType.FLOAT64, 5, 3);

        List<Variable> expected = t.forwardBoth(Variable.constant(x1), Variable.constant(x2));
        expected.get(0)
                .mul(Variable.constant(w))
                .sum()
                .add(expected.get(1).square().sum())
                .backward();
        Map<String, Tensor> expectedGrads = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : t.namedParameters().entrySet()) {
            expectedGrads.put(e.getKey(), e.getValue().grad().clone());
        }
        t.zeroGrad();

        List<Variable> got = m.forward(List.of(Variable.constant(x1), Variable.constant(x2)));
        assertEquals(2, got.size());
        assertArrayEquals(
                expected.get(0).data().toDoubleArray(), got.get(0).data().toDoubleArray(), 1e-12);
        assertArrayEquals(
                expected.get(1).data().toDoubleArray(), got.get(1).data().toDoubleArray(), 1e-12);
        assertArrayEquals(new int[] {5, 3}, got.get(0).shape());
        assertArrayEquals(new int[] {5, 1}, got.get(1).shape());
        got.get(0)
                .mul(Variable.constant(w))
                .sum()
                .add(got.get(1).square().sum())
                .backward();
        // the same parameters under the same names; the shared encoder got both towers' gradients
        assertEquals(expectedGrads.keySet(), m.namedParameters().keySet());
        assertTrue(m.layer("encoder").parameter("weight") != t.encoder.parameter("weight"), "separate weights");
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            assertArrayEquals(
                    expectedGrads.get(e.getKey()).toDoubleArray(),
                    e.getValue().grad().toDoubleArray(),
                    1e-12,
                    e.getKey());
        }
        assertEquals(t.numParameters(), m.numParameters());
        assertEquals(List.of("left", "right"), m.inputNames());
        assertEquals(List.of("kind", "score"), m.outputNames());

        Map<String, Variable> named = m.forward(Map.of("right", Variable.constant(x2), "left", Variable.constant(x1)));
        assertEquals(List.of("kind", "score"), new ArrayList<>(named.keySet()));
        assertArrayEquals(
                expected.get(1).data().toDoubleArray(),
                named.get("score").data().toDoubleArray(),
                1e-12);
    }

    @Test
    void gradientsOfAMultiInputModelMatchFiniteDifferencesAtBothOrders() {
        Model m = twoTowerGraph(twoTower());
        SymbolicTensor l = Input.of("l", DType.FLOAT64, 6);
        SymbolicTensor r = Input.of("r", DType.FLOAT64, 6);
        List<SymbolicTensor> both = m.callAll("towers", l, r);
        Module proj = new Linear(3, 1).to(DType.FLOAT64);
        Model summed = new Model(List.of(l, r), new Add().call(proj.call(both.get(0)), both.get(1)));
        summed.to(DType.FLOAT64);
        Map<String, Parameter> params = summed.namedParameters();
        List<String> names = new ArrayList<>(params.keySet());
        Generator g = new Generator(5);
        Tensor[] all = new Tensor[2 + names.size()];
        all[0] = Tensor.randn(g, DType.FLOAT64, 3, 6);
        all[1] = Tensor.randn(g, DType.FLOAT64, 3, 6);
        for (int i = 0; i < names.size(); i++) {
            all[2 + i] = params.get(names.get(i)).data().clone();
        }
        java.util.function.Function<Variable[], Variable> f = in -> {
            Map<String, Variable> sub = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                sub.put(names.get(i), in[2 + i]);
            }
            return summed.functionalCall(sub, in[0], in[1]);
        };
        GradCheck.check(f, all);
        GradCheck.checkSecondOrder(f, all);
    }

    @Test
    void sharedLayersShareParametersAndNamesAreStable() throws Exception {
        Model a = mlpWithSkip(new Generator(1));
        Model b = mlpWithSkip(new Generator(2));
        assertEquals(
                List.of("linear.weight", "linear.bias", "linear_1.weight", "linear_1.bias", "head.weight", "head.bias"),
                new ArrayList<>(a.stateDict().keySet()));
        assertEquals(a.stateDict().keySet(), b.stateDict().keySet());
        assertEquals(
                List.of("linear", "re_lu", "linear_1", "add", "head"),
                new ArrayList<>(a.layers().keySet()));
        // linear_1 is applied twice: its parameters appear once
        assertEquals(4 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2, a.numParameters());

        Tensor x = Tensor.randn(new Generator(9), 7, 4);
        assertFalse(close(
                a.forward(Variable.constant(x)).data(),
                b.forward(Variable.constant(x)).data()));
        Path file = dir.resolve("m.safetensors");
        a.save(file);
        b.load(file);
        assertTrue(close(
                a.forward(Variable.constant(x)).data(),
                b.forward(Variable.constant(x)).data()));
        b.loadStateDict(mlpWithSkip(new Generator(3)).stateDict());
    }

    /** A graph with a shared layer applied twice and a skip connection. */
    static Model mlpWithSkip(Generator g) {
        SymbolicTensor x = Input.of("x", 4);
        Linear shared = new Linear(8, 8);
        SymbolicTensor h = new ReLU().call(new Linear(4, 8).call(x));
        SymbolicTensor y = new Add().call(h, shared.call(shared.call(h)));
        Model m = new Model(x, new Linear(8, 2).call("head", y));
        m.resetParameters(g);
        return m;
    }

    private static boolean close(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i] - y[i]) > 1e-6) {
                return false;
            }
        }
        return x.length == y.length;
    }

    @Test
    void automaticNamesFollowKeras() {
        assertEquals("linear", Model.snakeCase("Linear"));
        assertEquals("conv2d", Model.snakeCase("Conv2d"));
        assertEquals("batch_norm2d", Model.snakeCase("BatchNorm2d"));
        assertEquals("lstm_cell", Model.snakeCase("LSTMCell"));
        assertEquals("lstm", Model.snakeCase("LSTM"));
        assertEquals("re_lu", Model.snakeCase("ReLU"));
        assertEquals("conv_transpose2d", Model.snakeCase("ConvTranspose2d"));
        assertEquals("multihead_attention", Model.snakeCase("MultiheadAttention"));
    }

    @Test
    void shapesAreInferredWhenTheGraphIsBuilt() {
        SymbolicTensor image = Input.of("image", 1, 28, 28);
        SymbolicTensor c = new Conv2d(1, 4, 3).call(image);
        assertArrayEquals(new int[] {4, 26, 26}, c.shape());
        assertEquals("(N, 4, 26, 26)", c.formatShape());
        SymbolicTensor f = new Flatten().call(new MaxPool2d(2).call(c));
        assertArrayEquals(new int[] {4 * 13 * 13}, f.shape());
        SymbolicTensor tokens = Input.of("tokens", DType.INT32, 5);
        SymbolicTensor e = new Embedding(10, 3).call(tokens);
        assertArrayEquals(new int[] {5, 3}, e.shape());
        assertEquals(DType.INT32, tokens.dtype());
        assertTrue(tokens.isInput());
        assertSame(null, tokens.layer());
        assertEquals(List.of(image), c.inbound());
    }

    @Test
    void openSizesFollowTheInputsThroughTheGraph() {
        SymbolicTensor tokens = Input.of("tokens", DType.INT32, -1);
        SymbolicTensor e = new Embedding(10, 4).call(tokens);
        assertArrayEquals(new int[] {-1, 4}, e.shape());
        assertEquals("(N, ?, 4)", e.formatShape());
        LSTM lstm = new LSTM(4, 6);
        SymbolicTensor seq = lstm.call(e);
        assertEquals("(N, ?, 6)", seq.formatShape());
        SymbolicTensor pooled = new Lambda("mean over time", v -> v.mean(new int[] {1}, false)).call(seq);
        assertEquals("(N, 6)", pooled.formatShape());
        Model m = new Model(tokens, new Linear(6, 2).call(pooled));
        assertTrue(m.summary().contains("(N, ?, 6)"), m.summary());
        for (int length : new int[] {1, 3, 11}) {
            Tensor t = Tensor.of(new int[2 * length], 2, length);
            Variable expected = m.layer("linear")
                    .call(lstm.call(m.layer("embedding").call(Variable.constant(t)))
                            .mean(new int[] {1}, false));
            assertTrue(close(expected.data(), m.forward(Variable.constant(t)).data()), "length " + length);
        }
        // a fixed size is still checked
        SymbolicTensor signal = Input.of("signal", 2, -1);
        SymbolicTensor c = new Conv1d(2, 3, 3).call(signal);
        assertEquals("(N, 3, ?)", c.formatShape());
        Model conv = new Model(signal, c);
        assertArrayEquals(
                new int[] {4, 3, 18},
                conv.forward(Variable.constant(Tensor.zeros(4, 2, 20))).shape());
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class, () -> conv.forward(Variable.constant(Tensor.zeros(4, 3, 20))));
        assertEquals("Model: input 'signal' expects batches of shape (N, 2, ?), got (4, 3, 20)", bad.getMessage());
        IllegalArgumentException tooShort =
                assertThrows(IllegalArgumentException.class, () -> new Conv1d(2, 3, 12).call(signal));
        assertTrue(
                tooShort.getMessage().contains("(tried on a batch of 2 zeros with open sizes 8)"),
                tooShort.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Input.of("x", -2));
    }

    @Test
    void theBuildProbeLeavesBatchNormAndModesUntouched() {
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.train();
        SymbolicTensor y = bn.call(Input.of("x", 3));
        assertTrue(bn.isTraining());
        assertArrayEquals(new double[] {0, 0, 0}, bn.buffer("running_mean").toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 1}, bn.buffer("running_var").toDoubleArray());
        assertArrayEquals(new int[] {3}, y.shape());
    }

    @Test
    void theBuildProbeKeepsTheStatesOfStatefulRecurrentLayers() {
        LSTM lstm = new LSTM(3, 5, RecurrentOptions.defaults().stateful(true));
        lstm.forward(Variable.constant(Tensor.ones(4, 6, 3)));
        Tensor[] before = lstm.carriedStates();
        assertNotNull(before[0]);
        SymbolicTensor y = lstm.call(Input.of("seq", 6, 3));
        assertArrayEquals(new int[] {6, 5}, y.shape());
        assertSame(before[0], lstm.carriedStates()[0]);
        assertSame(before[1], lstm.carriedStates()[1]);
    }

    @Test
    void nestedModelsAreLayers() {
        SymbolicTensor in = Input.of("in", 4);
        Model tower = new Model(in, new Tanh().call(new Linear(4, 5).call(in)));
        SymbolicTensor a = Input.of("a", 4);
        SymbolicTensor b = Input.of("b", 4);
        SymbolicTensor ta = tower.call("tower", a);
        SymbolicTensor tb = tower.call(b);
        Model outer = new Model(List.of(a, b), new Linear(5, 1).call("out", new Average().call(ta, tb)));
        assertEquals(
                List.of("tower.linear.weight", "tower.linear.bias", "out.weight", "out.bias"),
                new ArrayList<>(outer.stateDict().keySet()));
        Tensor xa = Tensor.randn(new Generator(1), 3, 4);
        Tensor xb = Tensor.randn(new Generator(2), 3, 4);
        Variable expected = outer.layer("out")
                .call(tower.call(Variable.constant(xa))
                        .add(tower.call(Variable.constant(xb)))
                        .div(2));
        Variable got = outer.forward(Variable.constant(xa), Variable.constant(xb));
        assertTrue(close(expected.data(), got.data()));
        // a one-input, one-output model is an ordinary module
        Sequential seq = new Sequential(tower, new Linear(5, 2));
        assertArrayEquals(new int[] {3, 2}, seq.forward(Variable.constant(xa)).shape());
        // a nested model with two outputs gives both
        SymbolicTensor c = Input.of("c", 4);
        SymbolicTensor h = new Linear(4, 3).call(c);
        Model two = new Model(List.of(c), List.of(new ReLU().call("pos", h), new Sigmoid().call("prob", h)));
        SymbolicTensor d = Input.of("d", 4);
        List<SymbolicTensor> outs = two.callAll("inner", d);
        Model wrap = new Model(List.of(d), outs);
        assertEquals(List.of("inner_pos", "inner_prob"), wrap.outputNames());
        String summary = wrap.summary();
        assertTrue(summary.contains("inner (Model)") && summary.contains("(N, 3), (N, 3)"), summary);
        Model again = new Model(List.of(d), List.of(new Add().call(outs.get(0), outs.get(1))));
        assertTrue(again.summary().contains("inner:0, inner:1"), again.summary());
        assertEquals(
                "SymbolicTensor(layer 'inner' (Model) output 1, (N, 3), float32)",
                outs.get(1).toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> two.call(d));
        assertTrue(e.getMessage().contains("2 outputs") && e.getMessage().contains("callAll"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> two.forward(Variable.constant(xa)));
        assertTrue(s.getMessage().contains("[pos, prob]"), s.getMessage());
        assertTrue(close(
                wrap.forward(List.of(Variable.constant(xa))).get(1).data(),
                two.forward(List.of(Variable.constant(xa))).get(1).data()));
    }

    @Test
    void anOutputNotReachableFromTheInputsIsNamed() {
        SymbolicTensor a = Input.of("a", 4);
        SymbolicTensor stray = Input.of("stray", 4);
        SymbolicTensor ya = new Linear(4, 2).call("head_a", a);
        SymbolicTensor yb = new Linear(4, 2).call("head_b", stray);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Model(List.of(a), List.of(ya, yb)));
        assertTrue(
                e.getMessage().contains("output 1 (layer 'head_b' (Linear)) is not reachable from the inputs [a]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("input 'stray'"), e.getMessage());
        IllegalArgumentException unused =
                assertThrows(IllegalArgumentException.class, () -> new Model(List.of(a, stray), List.of(ya)));
        assertTrue(unused.getMessage().contains("input 'stray' is not used"), unused.getMessage());
        IllegalArgumentException notInput = assertThrows(IllegalArgumentException.class, () -> new Model(ya, ya));
        assertTrue(
                notInput.getMessage().contains("inputs must come from Input.of")
                        && notInput.getMessage().contains("head_a"),
                notInput.getMessage());
    }

    @Test
    void aShapeMismatchAtAMergeNamesTheMergeAndItsInputs() {
        SymbolicTensor x = Input.of("x", 4);
        SymbolicTensor p = new Linear(4, 8).call("wide", x);
        SymbolicTensor q = new Linear(4, 6).call("narrow", x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Add().call("sum", p, q));
        String msg = e.getMessage();
        assertTrue(
                msg.startsWith(
                        "layer 'sum' (Add) cannot be called on [the output of layer 'wide' (Linear) (N, 8), the output of"
                                + " layer 'narrow' (Linear) (N, 6)]"),
                msg);
        IllegalArgumentException cat = assertThrows(
                IllegalArgumentException.class, () -> new Concatenate(1).call(p, new Reshape(2, 3).call(q)));
        assertTrue(
                cat.getMessage().contains("Concatenate(axis=1)")
                        && cat.getMessage().contains("(N, 2, 3)"),
                cat.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> new Add().call(p));
        assertTrue(one.getMessage().contains("at least 2 inputs"), one.getMessage());
    }

    @Test
    void aLayerReusedWithIncompatibleShapesIsNamed() {
        Linear encoder = new Linear(6, 8);
        SymbolicTensor a = Input.of("a", 6);
        SymbolicTensor b = Input.of("b", 5);
        encoder.call("encoder", a);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encoder.call("encoder", b));
        assertTrue(
                e.getMessage().startsWith("layer 'encoder' (Linear) cannot be called on [input 'b' (N, 5)]"),
                e.getMessage());
        IllegalArgumentException unnamed = assertThrows(IllegalArgumentException.class, () -> encoder.call(b));
        assertTrue(
                unnamed.getMessage()
                        .startsWith(
                                "layer Linear(inFeatures=6, outFeatures=8, bias=true) cannot be called on [input 'b' (N, 5)]"),
                unnamed.getMessage());
    }

    @Test
    void badNamesAndInputsAreRejected() {
        SymbolicTensor x = Input.of("x", 3);
        Linear l = new Linear(3, 3);
        SymbolicTensor y1 = l.call("first", x);
        SymbolicTensor y2 = l.call("second", y1);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> new Model(x, y2));
        assertTrue(twice.getMessage().contains("called under two names, 'first' and 'second'"), twice.getMessage());
        SymbolicTensor z = new Linear(3, 3).call("x", x);
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> new Model(x, z));
        assertTrue(
                clash.getMessage().contains("'x'") && clash.getMessage().contains("already used by an input"),
                clash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Input.of("a.b", 3));
        assertThrows(IllegalArgumentException.class, () -> Input.of("a", 0, 3));
        assertThrows(IllegalArgumentException.class, () -> new Linear(3, 3).call("a.b", x));
        Model m = new Model(x, new Linear(3, 2).call(x));
        IllegalArgumentException shape =
                assertThrows(IllegalArgumentException.class, () -> m.forward(Variable.constant(Tensor.zeros(4, 5))));
        assertEquals("Model: input 'x' expects batches of shape (N, 3), got (4, 5)", shape.getMessage());
        IllegalArgumentException count = assertThrows(
                IllegalArgumentException.class,
                () -> m.forward(List.of(Variable.constant(Tensor.zeros(4, 3)), Variable.constant(Tensor.zeros(4, 3)))));
        assertTrue(count.getMessage().contains("expected 1 inputs [x], got 2"), count.getMessage());
        IllegalArgumentException batchFirst =
                assertThrows(IllegalArgumentException.class, () -> new Lambda("sum", v -> v.sum()).call(x));
        assertTrue(batchFirst.getMessage().contains("does not keep the batch dimension"), batchFirst.getMessage());
    }

    @Test
    void summaryShowsTheGraph() {
        SymbolicTensor left = Input.of("left", 6);
        SymbolicTensor right = Input.of("right", 6);
        Linear enc = new Linear(6, 8);
        SymbolicTensor a = enc.call("encoder", left);
        SymbolicTensor b = enc.call(right);
        SymbolicTensor kind = new Linear(16, 3).call("kind", new Concatenate().call(a, b));
        SymbolicTensor score = new Linear(8, 1).call("score", new Multiply().call(a, b));
        Model m = new Model(List.of(left, right), List.of(kind, score));
        m.layer("kind").freeze();
        String nl = System.lineSeparator();
        String expected = String.join(
                nl,
                "Layer (type)                Output Shape   Param #   Connected to",
                "=".repeat(72),
                "left (Input)                (N, 6)               0",
                "right (Input)               (N, 6)               0",
                "encoder (Linear)            (N, 8)              56   left",
                "encoder[1] (Linear)         (N, 8)          shared   right",
                "concatenate (Concatenate)   (N, 16)              0   encoder, encoder[1]",
                "kind (Linear)               (N, 3)              51   concatenate",
                "multiply (Multiply)         (N, 8)               0   encoder, encoder[1]",
                "score (Linear)              (N, 1)               9   multiply",
                "=".repeat(72),
                "Inputs: [left, right]",
                "Outputs: [kind, score]",
                "Total params: 116",
                "Trainable params: 65",
                "Non-trainable params: 51",
                "");
        assertEquals(expected, m.summary());
    }

    @Test
    void aSingleOutputModelWorksWithModuleSummaryAndEvalModes() {
        SymbolicTensor x = Input.of("x", 4);
        Dropout drop = new Dropout(0.5);
        Model m = new Model(x, new Linear(4, 2).call(drop.call(x)));
        m.eval();
        assertFalse(drop.isTraining());
        Tensor in = Tensor.ones(3, 4);
        try (var off = Autograd.noGrad()) {
            assertTrue(close(
                    m.forward(Variable.constant(in)).data(),
                    m.layer("linear").call(Variable.constant(in)).data()));
        }
        String s = m.summary(2, 4);
        assertTrue(s.contains("linear (Linear)") && s.contains("(2, 2)"), s);
        assertNotNull(m.toString());
        assertTrue(m.toString().startsWith("Model(\n  inputs=[x], outputs=[linear]"), m.toString());
    }
}
