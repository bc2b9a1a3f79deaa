package io.jgrad.layers;

import static io.jgrad.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Outputs, final states and gradients (inputs, initial states, every parameter) of the sequence
 * layers equal PyTorch's for the same weights, loaded from PyTorch's state dicts (fixtures from
 * {@code src/test/python/make_sequence_fixtures.py}): recurrent layers of each kind with 1 and 2
 * layers, bidirectional, with initial states, and with lengths against
 * {@code pack_padded_sequence}; the cells; embedding with padding and max-norm; multi-head attention
 * with padding, causal, additive and per-head masks; transformer encoder layers (pre- and post-norm,
 * ReLU and GELU) and a stack. In FLOAT64 (tight) and FLOAT32 (float rounding).
 */
class SequenceParityTest {
    record Case(String name, Supplier<RNNBase> make) {}

    static RecurrentOptions o() {
        return RecurrentOptions.defaults();
    }

    static List<Case> recurrentCases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("rnn_tanh", () -> new RNN(3, 4)));
        c.add(new Case(
                "rnn_relu_2l_bi",
                () -> new RNN(3, 4, o().nonlinearity("relu").numLayers(2).bidirectional(true))));
        c.add(new Case("rnn_bi_lengths", () -> new RNN(3, 4, o().bidirectional(true))));
        c.add(new Case("lstm_1l", () -> new LSTM(3, 4)));
        c.add(new Case("lstm_nobias", () -> new LSTM(3, 4, o().bias(false))));
        c.add(new Case("lstm_2l", () -> new LSTM(3, 4, o().numLayers(2))));
        c.add(new Case("lstm_2l_bi", () -> new LSTM(3, 4, o().numLayers(2).bidirectional(true))));
        c.add(new Case(
                "lstm_2l_bi_lengths", () -> new LSTM(3, 4, o().numLayers(2).bidirectional(true))));
        c.add(new Case("lstm_lengths", () -> new LSTM(3, 4)));
        c.add(new Case("gru_1l", () -> new GRU(3, 4)));
        c.add(new Case("gru_2l", () -> new GRU(3, 4, o().numLayers(2))));
        c.add(new Case("gru_2l_bi", () -> new GRU(3, 4, o().numLayers(2).bidirectional(true))));
        c.add(new Case("gru_2l_bi_lengths", () -> new GRU(3, 4, o().numLayers(2).bidirectional(true))));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> recurrentFloat64() {
        return recurrentCases().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> runRecurrent(c, DType.FLOAT64, 1e-10, 1e-8)));
    }

    @TestFactory
    Stream<DynamicTest> recurrentFloat32() {
        return recurrentCases().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> runRecurrent(c, DType.FLOAT32, 1e-4, 1e-4)));
    }

    static Variable input(Map<String, Tensor> f, String name, DType dt) {
        return f.containsKey(name) ? new Variable(f.get(name).to(dt), true) : null;
    }

    static Variable weigh(Variable v, Map<String, Tensor> f, String name, DType dt) {
        return v.mul(Variable.constant(f.get(name).to(dt))).sum();
    }

    static void checkParameterGradients(Module m, Map<String, Tensor> f, double atol, double rtol, String what) {
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            Tensor expected = f.get("g." + e.getKey());
            assertTrue(expected != null, what + ": no PyTorch gradient for parameter " + e.getKey());
            assertClose(expected, e.getValue().grad(), atol, rtol, what + " gradient of " + e.getKey());
        }
    }

    static void runRecurrent(Case c, DType dt, double atol, double rtol) {
        Map<String, Tensor> f = Fixtures.load("/torch/SEQ_" + c.name() + ".txt");
        RNNBase m = c.make().get();
        m.to(dt);
        m.loadStateDict(Fixtures.stateDict(f, "p."), true);
        Variable x = input(f, "x", dt);
        Variable h0 = input(f, "h0", dt);
        Variable c0 = input(f, "c0", dt);
        int[] lengths = null;
        if (f.containsKey("lengths")) {
            lengths = f.get("lengths").to(DType.INT32).toIntArray();
        }
        RNNOutput out = m.run(x, lengths, h0, c0);
        assertClose(f.get("y"), out.output().data(), atol, rtol, c.name() + " output");
        assertClose(f.get("hn"), out.hN().data(), atol, rtol, c.name() + " h_n");
        if (f.containsKey("cn")) {
            assertClose(f.get("cn"), out.cN().data(), atol, rtol, c.name() + " c_n");
        } else {
            assertNull(out.cN(), c.name() + ": c_n of a non-LSTM layer");
        }
        Variable loss = weigh(out.output(), f, "r", dt).add(weigh(out.hN(), f, "rh", dt));
        if (out.cN() != null) {
            loss = loss.add(weigh(out.cN(), f, "rc", dt));
        }
        loss.backward();
        assertClose(f.get("gx"), x.grad(), atol, rtol, c.name() + " input gradient");
        if (h0 != null) {
            assertClose(f.get("gh0"), h0.grad(), atol, rtol, c.name() + " h0 gradient");
        }
        if (c0 != null) {
            assertClose(f.get("gc0"), c0.grad(), atol, rtol, c.name() + " c0 gradient");
        }
        checkParameterGradients(m, f, atol, rtol, c.name());
    }

    @Test
    void cells() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double tol = dt == DType.FLOAT64 ? 1e-10 : 1e-5;
            for (String name : new String[] {"lstmcell", "grucell", "rnncell_relu"}) {
                Map<String, Tensor> f = Fixtures.load("/torch/SEQ_" + name + ".txt");
                RNNCellBase m = name.equals("lstmcell")
                        ? new LSTMCell(3, 4)
                        : name.equals("grucell") ? new GRUCell(3, 4) : new RNNCell(3, 4, true, "relu");
                m.to(dt);
                m.loadStateDict(Fixtures.stateDict(f, "p."), true);
                Variable x = input(f, "x", dt);
                Variable h = input(f, "h0", dt);
                Variable c = input(f, "c0", dt);
                Variable loss;
                if (m instanceof LSTMCell) {
                    Variable[] hc = ((LSTMCell) m).step(x, h, c);
                    assertClose(f.get("hn"), hc[0].data(), tol, tol, name + " h'");
                    assertClose(f.get("cn"), hc[1].data(), tol, tol, name + " c'");
                    loss = weigh(hc[0], f, "rh", dt).add(weigh(hc[1], f, "rc", dt));
                } else {
                    Variable hn = m.forward(x, h);
                    assertClose(f.get("hn"), hn.data(), tol, tol, name + " h'");
                    loss = weigh(hn, f, "rh", dt);
                }
                loss.backward();
                assertClose(f.get("gx"), x.grad(), tol, tol, name + " input gradient");
                assertClose(f.get("gh0"), h.grad(), tol, tol, name + " h gradient");
                if (c != null) {
                    assertClose(f.get("gc0"), c.grad(), tol, tol, name + " c gradient");
                }
                checkParameterGradients(m, f, tol, tol, name);
            }
        }
    }

    @Test
    void embedding() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double tol = dt == DType.FLOAT64 ? 1e-12 : 1e-6;
            for (String name : new String[] {"embedding_padding", "embedding_maxnorm"}) {
                Map<String, Tensor> f = Fixtures.load("/torch/SEQ_" + name + ".txt");
                Embedding m =
                        name.equals("embedding_padding") ? new Embedding(7, 3, 2) : new Embedding(7, 3, -1, 1.0, 2);
                m.to(dt);
                m.loadStateDict(Fixtures.stateDict(f, "p."), true);
                Variable y = m.lookup(f.get("idx").to(DType.INT32));
                assertClose(f.get("y"), y.data(), tol, tol, name + " output");
                weigh(y, f, "r", dt).backward();
                assertClose(f.get("g.weight"), m.weight().grad(), tol, tol, name + " gradient");
                assertClose(f.get("s.weight"), m.weight().data(), tol, tol, name + " weight after the lookup");
            }
        }
    }

    record MhaCase(String name, boolean bias, boolean booleanMask, boolean average, boolean causalFlag) {}

    static List<MhaCase> mhaCases() {
        return List.of(
                new MhaCase("mha_self_padding", true, true, true, false),
                new MhaCase("mha_causal_heads", true, true, false, false),
                new MhaCase("mha_causal_heads", true, true, false, true),
                new MhaCase("mha_cross_float_mask", true, false, true, false),
                new MhaCase("mha_cross_3d_mask", false, true, true, false));
    }

    @TestFactory
    Stream<DynamicTest> multiheadAttention() {
        List<DynamicTest> t = new ArrayList<>();
        for (MhaCase c : mhaCases()) {
            t.add(DynamicTest.dynamicTest(
                    c.name() + (c.causalFlag() ? " (causal flag)" : "") + " float64",
                    () -> runMha(c, DType.FLOAT64, 1e-10, 1e-8)));
            t.add(DynamicTest.dynamicTest(
                    c.name() + (c.causalFlag() ? " (causal flag)" : "") + " float32",
                    () -> runMha(c, DType.FLOAT32, 1e-5, 1e-4)));
        }
        return t.stream();
    }

    static void runMha(MhaCase c, DType dt, double atol, double rtol) {
        Map<String, Tensor> f = Fixtures.load("/torch/SEQ_" + c.name() + ".txt");
        MultiheadAttention m = new MultiheadAttention(8, 2, 0, c.bias(), true);
        m.to(dt);
        m.loadStateDict(Fixtures.stateDict(f, "p."), true);
        Variable q = input(f, "q", dt);
        Variable k = f.containsKey("k") ? input(f, "k", dt) : q;
        Variable v = f.containsKey("v") ? input(f, "v", dt) : q;
        Tensor kpm = f.containsKey("kpm") ? f.get("kpm").to(DType.INT32) : null;
        Tensor mask = null;
        if (f.containsKey("mask") && !c.causalFlag()) {
            mask = c.booleanMask()
                    ? f.get("mask").to(DType.INT32)
                    : f.get("mask").to(dt);
        }
        AttentionResult r = m.attend(q, k, v, kpm, true, mask, c.average(), c.causalFlag());
        assertClose(f.get("y"), r.output().data(), atol, rtol, c.name() + " output");
        assertClose(f.get("w"), r.weights().data(), atol, rtol, c.name() + " weights");
        weigh(r.output(), f, "r", dt).add(weigh(r.weights(), f, "rw", dt)).backward();
        assertClose(f.get("gq"), q.grad(), atol, rtol, c.name() + " query gradient");
        if (f.containsKey("gk")) {
            assertClose(f.get("gk"), k.grad(), atol, rtol, c.name() + " key gradient");
            assertClose(f.get("gv"), v.grad(), atol, rtol, c.name() + " value gradient");
        }
        checkParameterGradients(m, f, atol, rtol, c.name());
    }

    record EncCase(String name, Supplier<Module> make, boolean causalFlag) {}

    static List<EncCase> encoderCases() {
        return List.of(
                new EncCase(
                        "tel_post_relu",
                        () -> new TransformerEncoderLayer(8, 2, 16, 0, "relu", 1e-5, true, false),
                        false),
                new EncCase(
                        "tel_pre_gelu",
                        () -> new TransformerEncoderLayer(8, 2, 16, 0, "gelu", 1e-5, true, true),
                        false),
                new EncCase(
                        "tel_pre_gelu", () -> new TransformerEncoderLayer(8, 2, 16, 0, "gelu", 1e-5, true, true), true),
                new EncCase(
                        "encoder_2l_causal",
                        () -> new TransformerEncoder(
                                () -> new TransformerEncoderLayer(8, 2, 16, 0, "gelu", 1e-5, true, true),
                                2,
                                new LayerNorm(8)),
                        false),
                new EncCase(
                        "encoder_2l_causal",
                        () -> new TransformerEncoder(
                                () -> new TransformerEncoderLayer(8, 2, 16, 0, "gelu", 1e-5, true, true),
                                2,
                                new LayerNorm(8)),
                        true));
    }

    @TestFactory
    Stream<DynamicTest> transformerEncoder() {
        List<DynamicTest> t = new ArrayList<>();
        for (EncCase c : encoderCases()) {
            String n = c.name() + (c.causalFlag() ? " (causal flag)" : "");
            t.add(DynamicTest.dynamicTest(n + " float64", () -> runEncoder(c, DType.FLOAT64, 1e-10, 1e-8)));
            t.add(DynamicTest.dynamicTest(n + " float32", () -> runEncoder(c, DType.FLOAT32, 1e-4, 1e-4)));
        }
        return t.stream();
    }

    static void runEncoder(EncCase c, DType dt, double atol, double rtol) {
        Map<String, Tensor> f = Fixtures.load("/torch/SEQ_" + c.name() + ".txt");
        Module m = c.make().get();
        m.to(dt);
        m.loadStateDict(Fixtures.stateDict(f, "p."), true);
        Variable x = input(f, "x", dt);
        Tensor mask = f.containsKey("mask") && !c.causalFlag() ? f.get("mask").to(DType.INT32) : null;
        Tensor kpm = f.containsKey("kpm") ? f.get("kpm").to(DType.INT32) : null;
        Variable y = m instanceof TransformerEncoder
                ? ((TransformerEncoder) m).forward(x, mask, kpm, c.causalFlag())
                : ((TransformerEncoderLayer) m).forward(x, mask, kpm, c.causalFlag());
        assertClose(f.get("y"), y.data(), atol, rtol, c.name() + " output");
        weigh(y, f, "r", dt).backward();
        assertClose(f.get("gx"), x.grad(), atol, rtol, c.name() + " input gradient");
        checkParameterGradients(m, f, atol, rtol, c.name());
    }

    @Test
    void sinusoidalTable() {
        Map<String, Tensor> f = Fixtures.load("/torch/SEQ_sinusoidal.txt");
        assertClose(f.get("pe"), PositionalEncoding.table(7, 6), 1e-12, 1e-12, "sinusoidal table");
        PositionalEncoding pe = new PositionalEncoding(6, 7);
        pe.to(DType.FLOAT64);
        Variable y = pe.forward(Variable.constant(Tensor.zeros(DType.FLOAT64, 2, 5, 6)));
        assertClose(f.get("pe").narrow(0, 0, 5).unsqueeze(0).expand(2, 5, 6), y.data(), 1e-12, 1e-12, "encoding added");
        assertEquals(0, pe.stateDict().size(), "the table is not saved");
    }
}
