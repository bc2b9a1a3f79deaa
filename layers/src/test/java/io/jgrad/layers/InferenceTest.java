package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Inference#optimize}: the input-major weight layout changes no output, no gradient and no file. */
class InferenceTest {
    @TempDir
    Path tmp;

    /** A model, the input shape it takes after the batch size, and how to run it. */
    private record Case(
            String name, Supplier<Module> make, int[] sample, Function<Module, Function<Tensor, Tensor>> run) {}

    private static Function<Tensor, Tensor> plain(Module m) {
        return x -> m.call(Variable.constant(x)).data();
    }

    /** The output, then the final states, of a recurrent layer. */
    private static Function<Tensor, Tensor> recurrent(Module m) {
        return x -> {
            RNNOutput o = ((RNNBase) m).run(Variable.constant(x));
            Tensor h = o.hN().data().reshape(-1);
            Tensor all = Tensor.cat(0, o.output().data().reshape(-1), h);
            return o.cN() == null ? all : Tensor.cat(0, all, o.cN().data().reshape(-1));
        };
    }

    private static final List<Case> CASES = List.of(
            new Case(
                    "mlp",
                    () -> new Sequential(
                            new Linear(37, 21), new ReLU(), new Linear(21, 9), new Tanh(), new Linear(9, 4)),
                    new int[] {37},
                    InferenceTest::plain),
            new Case(
                    "lstm",
                    () -> new LSTM(5, 19, RecurrentOptions.defaults().numLayers(2)),
                    new int[] {3, 5},
                    InferenceTest::recurrent),
            new Case(
                    "gru",
                    () -> new GRU(5, 19, RecurrentOptions.defaults().bidirectional(true)),
                    new int[] {3, 5},
                    InferenceTest::recurrent),
            new Case("lstm cell", () -> new LSTMCell(6, 11), new int[] {6}, InferenceTest::plain),
            new Case("gru cell", () -> new GRUCell(6, 11), new int[] {6}, InferenceTest::plain),
            new Case(
                    "attention",
                    () -> new MultiheadAttention(12, 3, 0, true, true),
                    new int[] {4, 12},
                    InferenceTest::plain));

    private static int[] batchOf(int rows, int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = rows;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }

    private static Module build(Case c, DType dtype, long seed) {
        Module m = c.make.get();
        m.resetParameters(new Generator(seed));
        m.to(dtype);
        return m.eval();
    }

    @Test
    void outputsAreBitForBitThoseOfTheModelBeforeForEveryBatchSize() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Case c : CASES) {
                Module m = build(c, dtype, 3);
                Map<String, Parameter> params = m.namedParameters();
                Map<String, Tensor> before = new LinkedHashMap<>();
                for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
                    before.put(e.getKey(), e.getValue().clone());
                }
                int[] rows = {1, 2, 3, 5, 8};
                List<Tensor> inputs = new ArrayList<>();
                List<Tensor> expected = new ArrayList<>();
                try (var off = Autograd.noGrad()) {
                    for (int r : rows) {
                        Tensor x = Tensor.randn(new Generator(r), dtype, batchOf(r, c.sample));
                        inputs.add(x);
                        expected.add(c.run.apply(m).apply(x));
                    }
                    m.train();
                    assertSame(m, Inference.optimize(m));
                    assertFalse(m.isTraining(), "optimize puts the model in evaluation mode");
                    int relaid = 0;
                    for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
                        assertSame(params.get(e.getKey()), e.getValue(), "the parameter objects are kept");
                        if (e.getValue().dim() == 2) {
                            assertTrue(Inference.isInputMajor(e.getValue().data()), c.name + " " + e.getKey());
                            relaid++;
                        }
                        assertArrayEquals(
                                before.get(e.getKey()).toDoubleArray(),
                                e.getValue().data().toDoubleArray(),
                                "the values are kept: " + e.getKey());
                    }
                    assertTrue(relaid >= 2, c.name + ": " + relaid + " weights re-laid");
                    for (int i = 0; i < rows.length; i++) {
                        assertArrayEquals(
                                expected.get(i).toDoubleArray(),
                                c.run.apply(m).apply(inputs.get(i)).toDoubleArray(),
                                c.name + " " + dtype + ", batch " + rows[i]);
                    }
                    Inference.optimize(m); // a second call changes nothing
                    assertArrayEquals(
                            expected.get(0).toDoubleArray(),
                            c.run.apply(m).apply(inputs.get(0)).toDoubleArray(),
                            c.name + " optimized twice");
                }
            }
        }
    }

    @Test
    void savedLoadedAndOverwrittenWeightsReachTheNextForwardPass() throws Exception {
        for (Case c : CASES) {
            Module optimized = Inference.optimize(build(c, DType.FLOAT32, 4));
            Module other = build(c, DType.FLOAT32, 5);
            Tensor x = Tensor.randn(new Generator(6), DType.FLOAT32, batchOf(1, c.sample));
            try (var off = Autograd.noGrad()) {
                // the file holds the values in PyTorch's layout, whatever the layout in memory
                Path file = tmp.resolve(c.name.replace(' ', '-') + ".safetensors");
                optimized.save(file);
                Module reloaded = build(c, DType.FLOAT32, 7);
                reloaded.load(file);
                assertArrayEquals(
                        c.run.apply(optimized).apply(x).toFloatArray(),
                        c.run.apply(reloaded).apply(x).toFloatArray(),
                        c.name + ": saved and loaded");
                // new values loaded into the optimized model are used: no stale copy
                optimized.loadStateDict(other.stateDict());
                assertArrayEquals(
                        c.run.apply(other).apply(x).toFloatArray(),
                        c.run.apply(optimized).apply(x).toFloatArray(),
                        c.name + ": loaded after optimize");
                for (Parameter p : optimized.parameters()) {
                    p.data().mul_(0.5);
                }
                for (Parameter p : other.parameters()) {
                    p.data().mul_(0.5);
                }
                assertArrayEquals(
                        c.run.apply(other).apply(x).toFloatArray(),
                        c.run.apply(optimized).apply(x).toFloatArray(),
                        c.name + ": changed in place after optimize");
            }
        }
    }

    @Test
    void gradientsAndATrainingStepAreThoseOfTheModelBefore() {
        for (Case c : CASES) {
            Module a = build(c, DType.FLOAT64, 8);
            Module b = Inference.optimize(build(c, DType.FLOAT64, 8));
            a.train();
            b.train();
            Tensor x = Tensor.randn(new Generator(9), DType.FLOAT64, batchOf(5, c.sample));
            for (int step = 0; step < 2; step++) {
                Variable la = lossOf(a, x);
                Variable lb = lossOf(b, x);
                la.backward();
                lb.backward();
                List<Parameter> pa = a.parameters();
                List<Parameter> pb = b.parameters();
                for (int i = 0; i < pa.size(); i++) {
                    assertArrayEquals(
                            pa.get(i).grad().toDoubleArray(),
                            pb.get(i).grad().toDoubleArray(),
                            c.name + " step " + step + ", gradient of "
                                    + pa.get(i).name());
                    for (Parameter p : new Parameter[] {pa.get(i), pb.get(i)}) {
                        try (var off = Autograd.noGrad()) {
                            p.data().sub_(p.grad().mul(0.1));
                        }
                    }
                }
            }
        }
    }

    private static Variable lossOf(Module m, Tensor x) {
        m.zeroGrad();
        Variable out =
                m instanceof RNNBase ? ((RNNBase) m).run(Variable.constant(x)).output() : m.call(Variable.constant(x));
        return out.mul(out).sum();
    }

    @Test
    void aNullModelIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Inference.optimize(null));
        assertTrue(e.getMessage().contains("Inference.optimize"), e.getMessage());
        assertFalse(Inference.isInputMajor(Tensor.zeros(3, 4)));
        assertTrue(Inference.isInputMajor(Tensor.zeros(4, 3).t()));
        assertFalse(Inference.isInputMajor(Tensor.zeros(4)));
    }

    @Test
    void quantizingAnOptimizedModelGivesTheSameInt8Model() {
        Module plain = build(CASES.get(0), DType.FLOAT32, 11);
        Module optimized = Inference.optimize(build(CASES.get(0), DType.FLOAT32, 11));
        Tensor x = Tensor.randn(new Generator(12), DType.FLOAT32, 3, 37);
        try (var off = Autograd.noGrad()) {
            Module q1 = Quantization.quantize(plain);
            Module q2 = Quantization.quantize(optimized);
            Map<String, Tensor> s1 = q1.stateDict();
            Map<String, Tensor> s2 = q2.stateDict();
            for (Map.Entry<String, Tensor> e : s1.entrySet()) {
                assertArrayEquals(
                        e.getValue().toDoubleArray(), s2.get(e.getKey()).toDoubleArray(), "int8 state " + e.getKey());
            }
            assertArrayEquals(
                    q1.call(Variable.constant(x)).data().toFloatArray(),
                    q2.call(Variable.constant(x)).data().toFloatArray());
        }
    }
}
