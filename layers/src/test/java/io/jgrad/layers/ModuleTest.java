package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {
    /** A model with named children, as users write them. */
    static final class Net extends Module {
        final Sequential encoder =
                registerModule("encoder", new Sequential(new Linear(4, 5), new BatchNorm1d(5), new ReLU()));
        final Linear head = registerModule("head", new Linear(5, 2));

        @Override
        public Variable forward(Variable x) {
            return head.call(encoder.call(x));
        }
    }

    /** A module with two inputs. */
    static final class Bilinear extends Module {
        Bilinear() {
            registerParameter("w", new Parameter(Tensor.ones(3, 3)));
        }

        @Override
        public Variable forward(Variable... in) {
            return in[0].matmul(param("w")).mul(in[1]).sum(1, false);
        }
    }

    static Tensor input(int... shape) {
        return Tensor.randn(new Generator(11), shape);
    }

    @Test
    void dottedNamesFollowPyTorch() {
        Net net = new Net();
        assertEquals(
                List.of(
                        "encoder.0.weight",
                        "encoder.0.bias",
                        "encoder.1.weight",
                        "encoder.1.bias",
                        "head.weight",
                        "head.bias"),
                new ArrayList<>(net.namedParameters().keySet()));
        assertEquals(
                List.of(
                        "encoder.0.weight",
                        "encoder.0.bias",
                        "encoder.1.weight",
                        "encoder.1.bias",
                        "encoder.1.running_mean",
                        "encoder.1.running_var",
                        "encoder.1.num_batches_tracked",
                        "head.weight",
                        "head.bias"),
                new ArrayList<>(net.stateDict().keySet()));
        assertEquals(
                List.of("encoder.1.running_mean", "encoder.1.running_var", "encoder.1.num_batches_tracked"),
                new ArrayList<>(net.namedBuffers().keySet()));
        assertEquals(
                List.of("", "encoder", "encoder.0", "encoder.1", "encoder.2", "head"),
                new ArrayList<>(net.namedModules().keySet()));
        assertEquals(
                List.of("encoder", "head"), new ArrayList<>(net.namedChildren().keySet()));
        assertEquals(4 * 5 + 5 + 5 + 5 + 5 * 2 + 2, net.numParameters());
        assertSame(net.head.weight(), net.parameters().get(4));
        Tensor nbt = net.stateDict().get("encoder.1.num_batches_tracked");
        assertEquals(DType.INT64, nbt.dtype(), "int64 like PyTorch's");
        assertEquals(0, nbt.dim());
    }

    @Test
    void absentBiasIsNotListed() {
        Linear l = new Linear(3, 2, false);
        assertEquals(List.of("weight"), new ArrayList<>(l.stateDict().keySet()));
        assertNull(l.bias());
        BatchNorm2d bn = new BatchNorm2d(3, 1e-5, 0.1, false, false);
        assertTrue(bn.stateDict().isEmpty());
    }

    /** A module holding a given parameter and, optionally, a child. */
    static final class Holder extends Module {
        Holder(Parameter p, Module child) {
            registerParameter("p", p);
            if (child != null) {
                registerModule("c", child);
            }
        }

        @Override
        public Variable forward(Variable x) {
            return x;
        }
    }

    @Test
    void parametersComeInTheOrderOfNamedParameters() {
        // parameters() walks the tree without building names; it must list what namedParameters() lists,
        // in its order: modules and parameters shared by several owners once, at their first place, and
        // absent biases left out
        Parameter shared = new Parameter(Tensor.ones(2));
        Linear a = new Linear(3, 3);
        Linear noBias = new Linear(3, 2, false);
        Module tree = new Sequential(
                new Holder(shared, a), a, new Holder(shared, noBias), new Sequential(noBias, new Linear(2, 2)));
        List<Parameter> want = new ArrayList<>(tree.namedParameters().values());
        List<Parameter> got = tree.parameters();
        assertEquals(6, want.size()); // shared, a.weight, a.bias, noBias.weight, and the last Linear's two
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertSame(want.get(i), got.get(i), "parameter " + i);
        }
    }

    @Test
    void sharedParametersAreListedOnceButSavedUnderEachName() {
        Linear a = new Linear(3, 3);
        Sequential s = new Sequential(a, new ReLU(), a);
        assertEquals(2, s.parameters().size());
        assertEquals(
                List.of("0.weight", "0.bias", "2.weight", "2.bias"),
                new ArrayList<>(s.stateDict().keySet()));
        assertEquals(12, s.numParameters());
    }

    @Test
    void sequentialIndexingAndNames() {
        Sequential s = new Sequential(new Linear(2, 3)).add(new Tanh()).add("out", new Linear(3, 1));
        assertEquals(3, s.size());
        assertTrue(s.get(1) instanceof Tanh);
        assertTrue(s.get(-1) instanceof Linear);
        assertEquals(List.of("0", "1", "out"), new ArrayList<>(s.namedChildren().keySet()));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> s.get(3));
        assertTrue(e.getMessage().contains("index 3 is out of range for 3 modules"), e.getMessage());
        int n = 0;
        for (Module m : s) {
            assertNotNull(m);
            n++;
        }
        assertEquals(3, n);
        assertArrayEquals(
                new int[] {4, 1}, s.forward(Variable.constant(input(4, 2))).shape());
        ModuleList list = new ModuleList(new Linear(2, 2), new Linear(2, 2));
        assertEquals(
                List.of("0.weight", "0.bias", "1.weight", "1.bias"),
                new ArrayList<>(list.stateDict().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> list.forward(Variable.constant(input(1, 2))));
    }

    @Test
    void registrationErrorsNameTheProblem() {
        Module m = new Module() {};
        Sequential s = new Sequential();
        s.add("a", new ReLU());
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> s.add("a", new ReLU()));
        assertTrue(dup.getMessage().contains("'a' is already registered"), dup.getMessage());
        IllegalArgumentException dot = assertThrows(IllegalArgumentException.class, () -> s.add("a.b", new ReLU()));
        assertTrue(dot.getMessage().contains("invalid name 'a.b'"), dot.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> m.parameter("weight"));
        assertTrue(none.getMessage().contains("no parameter named 'weight'"), none.getMessage());
        IllegalArgumentException lin = assertThrows(
                IllegalArgumentException.class, () -> new Linear(3, 2).forward(Variable.constant(input(4, 5))));
        assertTrue(lin.getMessage().contains("input features 5"), lin.getMessage());
    }

    @Test
    void trainAndEvalReachEveryModule() {
        Net net = new Net();
        assertTrue(net.isTraining());
        net.eval();
        for (Module m : net.modules()) {
            assertFalse(m.isTraining());
        }
        net.encoder.train();
        assertTrue(net.encoder.get(1).isTraining());
        assertFalse(net.isTraining());
        net.train(true);
        assertTrue(net.head.isTraining());
    }

    @Test
    void freezeStopsGradientsOfASubtree() {
        Net net = new Net();
        net.encoder.freeze();
        assertEquals(2, net.trainableParameters().size());
        Variable loss = net.forward(Variable.constant(input(6, 4))).square().sum();
        loss.backward();
        assertNull(net.encoder.get(0).parameter("weight").grad());
        assertNull(net.encoder.get(1).parameter("weight").grad());
        assertNotNull(net.head.weight().grad());
        net.zeroGrad();
        assertNull(net.head.weight().grad());
        net.encoder.unfreeze();
        net.forward(Variable.constant(input(6, 4))).square().sum().backward();
        assertNotNull(net.encoder.get(0).parameter("weight").grad());
        assertEquals(6, net.trainableParameters().size());
    }

    @Test
    void toStringPrintsTheTreeLikePyTorch() {
        Sequential s = new Sequential(
                new Linear(4, 3), new ReLU(), new Sequential(new Dropout(0.25), new Linear(3, 1, false)));
        String expected = """
                          Sequential(
                            (0): Linear(inFeatures=4, outFeatures=3, bias=true)
                            (1): ReLU()
                            (2): Sequential(
                              (0): Dropout(p=0.25)
                              (1): Linear(inFeatures=3, outFeatures=1, bias=false)
                            )
                          )\
                          """;
        assertEquals(expected, s.toString());
        assertEquals(
                "BatchNorm2d(8, eps=1.0E-5, momentum=0.1, affine=true, trackRunningStats=true)",
                new BatchNorm2d(8).toString());
    }

    @Test
    void summaryListsShapesAndCountsWithoutChangingTheModel() {
        Net net = new Net();
        Map<String, Tensor> before = copy(net.stateDict());
        String s = net.summary(7, 4);
        String[] lines = s.split("\\R");
        assertTrue(
                lines[0].startsWith("Layer (type)")
                        && lines[0].contains("Output Shape")
                        && lines[0].contains("Param #"),
                s);
        assertTrue(
                row(lines, "Net").contains("(7, 2)") && row(lines, "Net").trim().endsWith("47"), s);
        assertTrue(row(lines, "  encoder (Sequential)").contains("(7, 5)"), s);
        assertTrue(
                row(lines, "    0 (Linear)").contains("(7, 5)")
                        && row(lines, "    0 (Linear)").trim().endsWith("25"),
                s);
        assertTrue(row(lines, "    1 (BatchNorm1d)").trim().endsWith("10"), s);
        assertTrue(
                row(lines, "  head (Linear)").contains("(7, 2)")
                        && row(lines, "  head (Linear)").trim().endsWith("12"),
                s);
        assertTrue(s.contains("Total params: 47"), s);
        assertTrue(s.contains("Trainable params: 47"), s);
        assertTrue(net.isTraining() && net.encoder.get(1).isTraining());
        for (Map.Entry<String, Tensor> e : before.entrySet()) {
            assertTrue(e.getValue().equal(net.stateDict().get(e.getKey())), e.getKey() + " changed");
        }
        net.head.freeze();
        assertTrue(net.summary(1, 4).contains("Non-trainable params: 12"));
        Sequential big = new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 10));
        assertTrue(big.summary(1, 784).contains("Total params: 407,050"), big.summary(1, 784));
    }

    private static String row(String[] lines, String start) {
        for (String l : lines) {
            if (l.startsWith(start + " ") || l.equals(start)) {
                return l;
            }
        }
        throw new AssertionError("no row starting with '" + start + "' in\n" + String.join("\n", lines));
    }

    static Map<String, Tensor> copy(Map<String, Tensor> sd) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        sd.forEach((k, v) -> m.put(k, v.clone()));
        return m;
    }

    @Test
    void stateDictRoundTripGivesTheSameOutputs() {
        Net a = new Net();
        a.forward(Variable.constant(input(8, 4))); // move the running statistics
        a.eval();
        Net b = new Net();
        b.resetParameters(new Generator(99));
        b.eval();
        Tensor x = input(3, 4);
        assertFalse(a.forward(Variable.constant(x))
                .data()
                .allClose(b.forward(Variable.constant(x)).data(), 0, 1e-6));
        LoadResult r = b.loadStateDict(a.stateDict());
        assertTrue(r.isClean());
        assertTrue(a.forward(Variable.constant(x))
                .data()
                .equal(b.forward(Variable.constant(x)).data()));
        assertEquals(1, b.stateDict().get("encoder.1.num_batches_tracked").item());
        // values are copied into the existing tensors (optimizers keep their references)
        assertFalse(b.head.weight().data().sharesStorage(a.head.weight().data()));
    }

    @Test
    void strictLoadingListsProblemsAndChangesNothing() {
        Net net = new Net();
        Map<String, Tensor> before = copy(net.stateDict());
        Map<String, Tensor> bad = copy(new Net().stateDict());
        bad.remove("head.bias");
        bad.put("head.weight", Tensor.zeros(5, 2));
        bad.put("extra.weight", Tensor.zeros(1));
        StateDictException e = assertThrows(StateDictException.class, () -> net.loadStateDict(bad, true));
        assertTrue(e.getMessage().contains("missing keys: [head.bias]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys: [extra.weight]"), e.getMessage());
        assertTrue(e.getMessage().contains("head.weight: expected shape (2, 5), got (5, 2)"), e.getMessage());
        assertEquals(List.of("head.bias"), e.result().missingKeys());
        for (Map.Entry<String, Tensor> en : before.entrySet()) {
            assertTrue(en.getValue().equal(net.stateDict().get(en.getKey())), en.getKey() + " was modified");
        }
        // non-strict: the matching keys load, the rest is reported
        LoadResult r = net.loadStateDict(bad, false);
        assertEquals(List.of("head.bias"), r.missingKeys());
        assertEquals(List.of("extra.weight"), r.unexpectedKeys());
        assertEquals(1, r.mismatchedKeys().size());
        assertTrue(net.encoder.get(0).parameter("weight").data().equal(bad.get("encoder.0.weight")));
        assertTrue(net.head.weight().data().equal(before.get("head.weight")));
        // integer buffers do not take floating values
        Map<String, Tensor> wrongType = copy(net.stateDict());
        wrongType.put("encoder.1.num_batches_tracked", Tensor.scalar(3.5));
        StateDictException t = assertThrows(StateDictException.class, () -> net.loadStateDict(wrongType));
        assertTrue(t.getMessage().contains("expected dtype int64, got float32"), t.getMessage());
    }

    @Test
    void loadingConvertsFloatTypes() {
        Linear a = new Linear(3, 2);
        Linear b = (Linear) new Linear(3, 2).to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, b.weight().dtype());
        b.loadStateDict(a.stateDict());
        assertEquals(DType.FLOAT64, b.weight().dtype());
        assertTrue(b.weight().data().allClose(a.weight().data().to(DType.FLOAT64), 0, 0));
    }

    @Test
    void toConvertsParametersAndFloatBuffersOnly() {
        Net net = new Net();
        net.encoder.get(0).parameter("bias").requiresGrad(false);
        net.to(DType.FLOAT64);
        for (Parameter p : net.parameters()) {
            assertEquals(DType.FLOAT64, p.dtype());
        }
        assertFalse(net.encoder.get(0).parameter("bias").requiresGrad());
        assertEquals(DType.FLOAT64, net.stateDict().get("encoder.1.running_var").dtype());
        assertEquals(
                DType.INT64,
                net.stateDict().get("encoder.1.num_batches_tracked").dtype());
        assertEquals(
                DType.FLOAT64,
                net.forward(Variable.constant(input(3, 4).to(DType.FLOAT64))).dtype());
    }

    @Test
    void functionalCallSubstitutesParametersTemporarily() {
        Linear l = new Linear(3, 2);
        Variable w = new Variable(Tensor.zeros(2, 3), true);
        Variable b = new Variable(Tensor.ones(2), true);
        Variable y = l.functionalCall(Map.of("weight", w, "bias", b), Variable.constant(input(4, 3)));
        assertTrue(y.data().equal(Tensor.ones(4, 2)));
        y.sum().backward();
        assertNotNull(w.grad());
        assertNull(l.weight().grad());
        assertFalse(l.forward(Variable.constant(input(4, 3))).data().equal(Tensor.ones(4, 2)));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> l.functionalCall(
                        Map.of("weight", new Variable(Tensor.zeros(3, 2))), Variable.constant(input(4, 3))));
        assertTrue(
                e.getMessage().contains("'weight' has shape (2, 3) but the substitute has shape (3, 2)"),
                e.getMessage());
        IllegalArgumentException n = assertThrows(
                IllegalArgumentException.class,
                () -> l.functionalCall(Map.of("wieght", w), Variable.constant(input(4, 3))));
        assertTrue(n.getMessage().contains("no parameter named 'wieght'"), n.getMessage());
        Net net = new Net();
        Variable hw = new Variable(Tensor.zeros(2, 5));
        Variable out = net.functionalCall(Map.of("head.weight", hw), Variable.constant(input(3, 4)));
        assertTrue(out.data().allClose(net.head.bias().data().unsqueeze(0).expand(3, 2), 0, 0));
    }

    @Test
    void multiInputModules() {
        Bilinear m = new Bilinear();
        Variable a = Variable.constant(Tensor.ones(2, 3));
        Variable b = Variable.constant(Tensor.ones(2, 3));
        assertTrue(m.forward(a, b).data().equal(Tensor.full(9, 2)));
        assertTrue(m.call(a, b).data().equal(Tensor.full(9, 2)));
        assertThrows(UnsupportedOperationException.class, () -> m.forward(a));
    }

    @Test
    void forwardHooksSeeEveryCallUntilRemoved() {
        Sequential s = new Sequential(new Linear(2, 3), new ReLU());
        List<int[]> shapes = new ArrayList<>();
        Module.Handle h = s.get(0).registerForwardHook((m, in, out) -> shapes.add(out.shape()));
        s.forward(Variable.constant(input(5, 2)));
        assertEquals(1, shapes.size());
        assertArrayEquals(new int[] {5, 3}, shapes.get(0));
        h.close();
        h.close();
        s.forward(Variable.constant(input(5, 2)));
        assertEquals(1, shapes.size());
    }

    @Test
    void residualAddsTheShortcut() {
        Linear body = new Linear(3, 3);
        Residual r = new Residual(body);
        Variable x = Variable.constant(input(2, 3));
        assertTrue(r.forward(x).data().allClose(body.forward(x).data().add(x.data()), 0, 0));
        assertEquals(
                List.of("body.weight", "body.bias"),
                new ArrayList<>(r.stateDict().keySet()));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Residual(new Linear(3, 2)).forward(x));
        assertTrue(e.getMessage().contains("does not match the input"), e.getMessage());
    }

    @Test
    void resetParametersRepeatsForAGenerator() {
        Net a = new Net();
        Net b = new Net();
        a.resetParameters(new Generator(5));
        b.resetParameters(new Generator(5));
        for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
            assertTrue(e.getValue().equal(b.stateDict().get(e.getKey())), e.getKey());
        }
        Generator.manualSeed(17);
        Linear c = new Linear(6, 4);
        Generator.manualSeed(17);
        Linear d = new Linear(6, 4);
        assertTrue(c.weight().data().equal(d.weight().data()));
    }

    @Test
    void reshapeAndFlattenKeepTheBatch() {
        Variable x = Variable.constant(input(2, 3, 4));
        assertArrayEquals(new int[] {2, 12}, new Flatten().forward(x).shape());
        assertArrayEquals(new int[] {2, 4, 3}, new Reshape(4, -1).forward(x).shape());
        assertArrayEquals(new int[] {6, 4}, new Flatten(0, 1).forward(x).shape());
        assertArrayEquals(new int[] {2, 3}, new GlobalAvgPool().forward(x).shape());
        assertArrayEquals(
                new int[] {2, 3, 1}, new GlobalMaxPool(true).forward(x).shape());
    }

    @Test
    void normalizationLayerKeepsItsStatisticsInTheStateDict(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        io.jgrad.core.Generator g = new io.jgrad.core.Generator(3);
        Tensor train = Tensor.randn(g, 200, 3)
                .mul(Tensor.of(new float[] {1, 5, 0.1f}, 3))
                .add(Tensor.of(new float[] {2, -3, 7}, 3));
        Normalization norm = new Normalization(3).adapt(train);
        Variable z = norm.forward(Variable.constant(train));
        double[] m = z.data().mean(0, false).toDoubleArray();
        double[] v = z.data().square().mean(0, false).toDoubleArray();
        for (int j = 0; j < 3; j++) {
            org.junit.jupiter.api.Assertions.assertEquals(0, m[j], 1e-5);
            org.junit.jupiter.api.Assertions.assertEquals(1, v[j], 1e-4);
        }
        org.junit.jupiter.api.Assertions.assertEquals(
                java.util.Set.of("mean", "variance"), norm.stateDict().keySet());
        java.nio.file.Path f = dir.resolve("norm.safetensors");
        Sequential model = new Sequential(norm, new Linear(3, 2));
        model.save(f);
        Sequential back = new Sequential(new Normalization(3), new Linear(3, 2));
        back.load(f);
        Tensor x = Tensor.randn(g, 5, 3);
        org.junit.jupiter.api.Assertions.assertTrue(
                back.call(x).data().allClose(model.call(x).data(), 0, 0));
        // gradients pass through it (and not into the statistics)
        Variable in = Variable.param(x);
        norm.forward(in).sum().backward();
        double[] gx = in.grad().select(0, 0).toDoubleArray();
        double[] std = norm.variance().sqrt().toDoubleArray();
        for (int j = 0; j < 3; j++) {
            org.junit.jupiter.api.Assertions.assertEquals(1 / std[j], gx[j], 1e-4 / std[j]);
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> norm.forward(Variable.constant(Tensor.zeros(2, 4))));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("(2, 4)"), e.getMessage());
    }
}
