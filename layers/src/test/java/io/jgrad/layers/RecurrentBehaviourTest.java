package io.jgrad.layers;

import static io.jgrad.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Autograd;
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

/**
 * What the recurrent layers promise beyond matching PyTorch: padding never leaks, stateful mode
 * equals one long sequence, the dropout masks are per sequence, last-step output, initialization,
 * PyTorch's parameter order, and clear errors.
 */
class RecurrentBehaviourTest {
    static RecurrentOptions o() {
        return RecurrentOptions.defaults();
    }

    static RNNBase make(String kind, int in, int hidden, RecurrentOptions opts) {
        return RecurrentGradCheckTest.make(kind, in, hidden, opts);
    }

    static final String[] KINDS = {"RNN", "LSTM", "GRU"};

    /** Output, final states, loss and every gradient of one forward/backward. */
    static Map<String, Tensor> runAll(RNNBase rnn, Tensor x, int[] lengths, Tensor h0, Tensor c0) {
        rnn.zeroGrad();
        rnn.setGenerator(new Generator(99)); // the same dropout masks in both runs
        Variable xv = new Variable(x, true);
        Variable hv = h0 == null ? null : new Variable(h0, true);
        Variable cv = c0 == null ? null : new Variable(c0, true);
        RNNOutput out = rnn.run(xv, lengths, hv, cv);
        Variable loss = RecurrentGradCheckTest.Probe.weigh(out);
        loss.backward();
        Map<String, Tensor> r = new LinkedHashMap<>();
        r.put("output", out.output().data().clone());
        r.put("hN", out.hN().data().clone());
        if (out.cN() != null) {
            r.put("cN", out.cN().data().clone());
        }
        r.put("loss", loss.data().clone());
        r.put("grad x", xv.grad());
        if (hv != null) {
            r.put("grad h0", hv.grad());
        }
        if (cv != null) {
            r.put("grad c0", cv.grad());
        }
        for (Map.Entry<String, Parameter> e : rnn.namedParameters().entrySet()) {
            r.put("grad " + e.getKey(), e.getValue().grad());
        }
        return r;
    }

    @Test
    void paddingNeverLeaks() {
        int[] lengths = {6, 2, 4, 1};
        for (String kind : KINDS) {
            for (boolean train : new boolean[] {false, true}) {
                RNNBase rnn = make(
                        kind,
                        3,
                        5,
                        o().numLayers(2)
                                .bidirectional(true)
                                .dropout(0.3)
                                .inputDropout(0.2)
                                .recurrentDropout(0.25));
                rnn.to(DType.FLOAT64);
                rnn.train(train);
                Generator g = new Generator(1);
                Tensor x = Tensor.randn(g, DType.FLOAT64, 4, 6, 3);
                Tensor h0 = Tensor.randn(g, DType.FLOAT64, 4, 4, 5);
                Tensor c0 = kind.equals("LSTM") ? Tensor.randn(g, DType.FLOAT64, 4, 4, 5) : null;
                Map<String, Tensor> a = runAll(rnn, x, lengths, h0, c0);
                // arbitrary garbage (huge values, infinities, NaN) in every padded position
                Tensor x2 = x.clone();
                double[] junk = {1e6, -3e5, Double.NaN, Double.POSITIVE_INFINITY, 42};
                int n = 0;
                for (int b = 0; b < 4; b++) {
                    for (int t = lengths[b]; t < 6; t++) {
                        for (int f = 0; f < 3; f++) {
                            x2.set(junk[n++ % junk.length], b, t, f);
                        }
                    }
                }
                Map<String, Tensor> b2 = runAll(rnn, x2, lengths, h0, c0);
                for (String k : a.keySet()) {
                    if (k.equals("grad x")) {
                        continue;
                    }
                    assertTrue(
                            a.get(k).equal(b2.get(k)),
                            kind + (train ? " train" : " eval") + ": " + k + " changed when the padding changed");
                }
                // the real inputs' gradients are unchanged and the padded ones are zero
                Tensor gx = a.get("grad x");
                Tensor gx2 = b2.get("grad x");
                for (int b = 0; b < 4; b++) {
                    for (int t = 0; t < 6; t++) {
                        for (int f = 0; f < 3; f++) {
                            if (t < lengths[b]) {
                                assertEquals(
                                        gx.getDouble(b, t, f), gx2.getDouble(b, t, f), 0, kind + " input gradient");
                            } else {
                                assertEquals(0, gx2.getDouble(b, t, f), 0, kind + " gradient of a padded input");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void paddedBatchEqualsSequencesAlone() {
        // each sequence of a padded batch gives what it gives alone, unpadded; padded outputs are zero
        int[] lengths = {5, 3, 1};
        for (String kind : KINDS) {
            RNNBase rnn = make(kind, 3, 4, o().numLayers(2).bidirectional(true));
            rnn.to(DType.FLOAT64);
            Tensor x = Tensor.randn(new Generator(2), DType.FLOAT64, 3, 5, 3);
            RNNOutput all = rnn.run(Variable.constant(x), lengths);
            for (int b = 0; b < 3; b++) {
                Tensor xb = x.narrow(0, b, 1).narrow(1, 0, lengths[b]);
                RNNOutput one = rnn.run(Variable.constant(xb));
                assertClose(
                        one.output().data(),
                        all.output().data().narrow(0, b, 1).narrow(1, 0, lengths[b]),
                        1e-12,
                        1e-12,
                        kind + " outputs of sequence " + b);
                assertClose(
                        one.hN().data(), all.hN().data().narrow(1, b, 1), 1e-12, 1e-12, kind + " h_n of sequence " + b);
                if (one.cN() != null) {
                    assertClose(
                            one.cN().data(),
                            all.cN().data().narrow(1, b, 1),
                            1e-12,
                            1e-12,
                            kind + " c_n of sequence " + b);
                }
                Tensor pad = all.output().data().narrow(0, b, 1).narrow(1, lengths[b], 5 - lengths[b]);
                assertTrue(pad.equal(Tensor.zerosLike(pad)), kind + ": padded outputs are zero");
            }
        }
    }

    @Test
    void aScanGivesTheSameBitsOnOneAndTwoThreads() {
        // with enough work (here 12 steps x 13 rows x (G x 96) x 96 multiply-adds, over a million) each
        // thread runs the whole scan on its own rows of the batch (6 and 7): outputs, states and every
        // gradient must be the bits of one thread, with padding, recurrent dropout and two layers
        int before = io.jgrad.core.kernel.Parallel.threads();
        int[] lengths = {12, 3, 7, 12, 1, 12, 9, 12, 12, 5, 12, 2, 11};
        try {
            for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                for (String kind : KINDS) {
                    RNNBase rnn = make(kind, 5, 96, o().numLayers(2).recurrentDropout(0.25));
                    rnn.to(dtype);
                    Tensor x = Tensor.randn(new Generator(17), dtype, 13, 12, 5);
                    Tensor h0 = Tensor.randn(new Generator(18), dtype, 2, 13, 96);
                    Tensor c0 = kind.equals("LSTM") ? Tensor.randn(new Generator(19), dtype, 2, 13, 96) : null;
                    io.jgrad.core.kernel.Parallel.setThreads(1);
                    Map<String, Tensor> one = runAll(rnn, x, lengths, h0, c0);
                    io.jgrad.core.kernel.Parallel.setThreads(2);
                    Map<String, Tensor> two = runAll(rnn, x, lengths, h0, c0);
                    assertEquals(one.keySet(), two.keySet());
                    for (String key : one.keySet()) {
                        assertTrue(
                                one.get(key).equal(two.get(key)),
                                kind + " " + dtype + ": " + key + " differs between 1 and 2 threads");
                    }
                }
            }
        } finally {
            io.jgrad.core.kernel.Parallel.setThreads(before);
        }
    }

    @Test
    void smallBatchesMatchTheRowsOfALargeOne() {
        // a batch of 1 to 3 multiplies by W_hh in place (the GEMM's matrix-vector path), a batch of 6
        // by W_hh^T packed once for all the steps, in register tiles: the same rows either way
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
            for (String kind : KINDS) {
                RNNBase rnn = make(kind, 3, 20, o().numLayers(2));
                rnn.to(dtype);
                for (int steps : new int[] {1, 4}) {
                    Tensor x = Tensor.randn(new Generator(5), dtype, 6, steps, 3);
                    RNNOutput all = rnn.run(Variable.constant(x));
                    for (int rows : new int[] {1, 3}) {
                        RNNOutput few = rnn.run(Variable.constant(x.narrow(0, 0, rows)));
                        String what = kind + " " + dtype + ", " + steps + " steps, batch " + rows;
                        assertClose(
                                few.output().data(),
                                all.output().data().narrow(0, 0, rows),
                                tol,
                                tol,
                                what + " outputs");
                        assertClose(few.hN().data(), all.hN().data().narrow(1, 0, rows), tol, tol, what + " h_n");
                    }
                }
            }
        }
    }

    @Test
    void maskEqualsLengthsAndTimeFirst() {
        int[] lengths = {4, 2, 3};
        Tensor mask = Tensor.of(new int[] {1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0}, 3, 4);
        Tensor x = Tensor.randn(new Generator(3), DType.FLOAT64, 3, 4, 2);
        for (String kind : KINDS) {
            RNNBase bf = make(kind, 2, 3, o().bidirectional(true));
            RNNBase tf = make(kind, 2, 3, o().bidirectional(true).batchFirst(false));
            bf.to(DType.FLOAT64);
            tf.to(DType.FLOAT64);
            tf.loadStateDict(bf.stateDict());
            RNNOutput a = bf.run(Variable.constant(x), lengths);
            RNNOutput b = bf.run(Variable.constant(x), mask);
            RNNOutput c = tf.run(Variable.constant(x.transpose(0, 1)), mask.t());
            assertTrue(a.output().data().equal(b.output().data()), kind + ": mask and lengths agree");
            assertTrue(a.hN().data().equal(b.hN().data()), kind + ": mask and lengths agree on h_n");
            assertClose(
                    a.output().data(), c.output().data().transpose(0, 1), 1e-12, 1e-12, kind + " time-first output");
            assertClose(a.hN().data(), c.hN().data(), 1e-12, 1e-12, kind + " time-first h_n");
        }
    }

    @Test
    void statefulEqualsOneLongSequence() {
        Tensor x = Tensor.randn(new Generator(4), DType.FLOAT64, 2, 10, 3);
        for (String kind : KINDS) {
            RNNBase whole = make(kind, 3, 4, o().numLayers(2));
            RNNBase chunks = make(kind, 3, 4, o().numLayers(2).stateful(true));
            whole.to(DType.FLOAT64);
            chunks.to(DType.FLOAT64);
            chunks.loadStateDict(whole.stateDict());
            RNNOutput ref = whole.run(Variable.constant(x));
            List<Variable> parts = new ArrayList<>();
            RNNOutput last = null;
            int[] cuts = {0, 4, 7, 10};
            for (int k = 0; k + 1 < cuts.length; k++) {
                last = chunks.run(Variable.constant(x.narrow(1, cuts[k], cuts[k + 1] - cuts[k])));
                parts.add(last.output());
            }
            assertClose(ref.output().data(), Variable.cat(parts, 1).data(), 1e-12, 1e-12, kind + " chunked outputs");
            assertClose(ref.hN().data(), last.hN().data(), 1e-12, 1e-12, kind + " chunked h_n");
            if (ref.cN() != null) {
                assertClose(ref.cN().data(), last.cN().data(), 1e-12, 1e-12, kind + " chunked c_n");
            }
            assertTrue(chunks.carriedHidden().equal(last.hN().data()), kind + ": carried state");
            // the carried states are detached: the next call's graph does not reach the previous one
            Variable y =
                    chunks.run(Variable.constant(x.narrow(1, 0, 2))).output().sum();
            y.backward();
            chunks.resetStates();
            assertNull(chunks.carriedHidden());
            RNNOutput fresh = chunks.run(Variable.constant(x.narrow(1, 0, 4)));
            assertClose(
                    ref.output().data().narrow(1, 0, 4), fresh.output().data(), 1e-12, 1e-12, kind + " after reset");
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> chunks.run(Variable.constant(Tensor.zeros(DType.FLOAT64, 3, 2, 3))));
            assertTrue(e.getMessage().contains("resetStates"), e.getMessage());
        }
    }

    @Test
    void statefulCarriesThePaddedSequencesOwnLastState() {
        // with lengths, the state carried to the next call is each sequence's state at its last real step
        RNNBase a = make("LSTM", 2, 3, o().stateful(true));
        RNNBase b = make("LSTM", 2, 3, o());
        a.to(DType.FLOAT64);
        b.to(DType.FLOAT64);
        b.loadStateDict(a.stateDict());
        Tensor x = Tensor.randn(new Generator(5), DType.FLOAT64, 2, 4, 2);
        RNNOutput first = a.run(Variable.constant(x), new int[] {4, 2});
        RNNOutput second = a.run(Variable.constant(x));
        RNNOutput ref = b.run(
                Variable.constant(x),
                (int[]) null,
                first.hN().detach(),
                first.cN().detach());
        assertTrue(ref.output().data().equal(second.output().data()));
    }

    @Test
    void recurrentDropoutUsesOneMaskPerSequence() {
        // relu RNN with W_hh = I, W_ih = 0, no bias and h0 = 1: h_t = (mask)^(t+1) element-wise only when
        // the same mask multiplies h at every step
        int h = 64;
        double p = 0.5;
        RNNBase rnn = make("RNN", 2, h, o().nonlinearity("relu").bias(false).recurrentDropout(p));
        rnn.to(DType.FLOAT64);
        try (var off = Autograd.noGrad()) {
            rnn.parameter("weight_ih_l0").data().zero_();
            rnn.parameter("weight_hh_l0").data().copy_(Tensor.eye(DType.FLOAT64, h, h));
        }
        rnn.setGenerator(new Generator(6));
        Tensor h0 = Tensor.ones(DType.FLOAT64, 1, 3, h);
        Tensor y = rnn.run(
                        Variable.constant(Tensor.zeros(DType.FLOAT64, 3, 4, 2)),
                        (int[]) null,
                        Variable.constant(h0),
                        null)
                .output()
                .data();
        int zeros = 0;
        for (int b = 0; b < 3; b++) {
            for (int j = 0; j < h; j++) {
                double m = y.getDouble(b, 0, j);
                assertTrue(m == 0 || m == 1 / (1 - p), "mask value " + m);
                zeros += m == 0 ? 1 : 0;
                for (int t = 1; t < 4; t++) {
                    assertEquals(Math.pow(m, t + 1), y.getDouble(b, t, j), 1e-12, "same mask at step " + t);
                }
            }
        }
        assertTrue(zeros > 3 * h / 4 && zeros < 3 * h * 3 / 4, "about half dropped: " + zeros);
        rnn.eval();
        Tensor ye = rnn.run(
                        Variable.constant(Tensor.zeros(DType.FLOAT64, 3, 4, 2)),
                        (int[]) null,
                        Variable.constant(h0),
                        null)
                .output()
                .data();
        assertTrue(ye.equal(Tensor.ones(DType.FLOAT64, 3, 4, h)), "no dropout in evaluation mode");
    }

    @Test
    void inputDropoutUsesOneMaskPerSequence() {
        // relu RNN with W_ih = I and W_hh = 0: h_t = relu(mask * x_t) = mask for x = 1 at every step
        int h = 64;
        RNNBase rnn = make("RNN", h, h, o().nonlinearity("relu").bias(false).inputDropout(0.5));
        rnn.to(DType.FLOAT64);
        try (var off = Autograd.noGrad()) {
            rnn.parameter("weight_ih_l0").data().copy_(Tensor.eye(DType.FLOAT64, h, h));
            rnn.parameter("weight_hh_l0").data().zero_();
        }
        Tensor y = rnn.run(Variable.constant(Tensor.ones(DType.FLOAT64, 2, 5, h)))
                .output()
                .data();
        for (int t = 1; t < 5; t++) {
            assertTrue(y.select(1, t).equal(y.select(1, 0)), "same input mask at step " + t);
        }
        assertNotEquals(0, y.sum().item());
        assertTrue(y.select(0, 0).select(0, 0).min().item() == 0, "some inputs dropped");
    }

    @Test
    void lastStepOutput() {
        int[] lengths = {3, 5};
        Tensor x = Tensor.randn(new Generator(8), DType.FLOAT64, 2, 5, 2);
        for (String kind : KINDS) {
            for (MergeMode mm : MergeMode.values()) {
                RNNBase seq =
                        make(kind, 2, 3, o().numLayers(2).bidirectional(true).mergeMode(mm));
                RNNBase last = make(
                        kind,
                        2,
                        3,
                        o().numLayers(2).bidirectional(true).mergeMode(mm).returnSequences(false));
                seq.to(DType.FLOAT64);
                last.to(DType.FLOAT64);
                last.loadStateDict(seq.stateDict());
                RNNOutput s = seq.run(Variable.constant(x), lengths);
                Tensor y = last.run(Variable.constant(x), lengths).output().data();
                Tensor fwd = s.hN().data().select(0, 2);
                Tensor bwd = s.hN().data().select(0, 3);
                Tensor expected;
                switch (mm) {
                    case SUM:
                        expected = fwd.add(bwd);
                        break;
                    case MUL:
                        expected = fwd.mul(bwd);
                        break;
                    case AVERAGE:
                        expected = fwd.add(bwd).mul(0.5);
                        break;
                    default:
                        expected = Tensor.cat(1, fwd, bwd);
                }
                assertClose(expected, y, 1e-12, 1e-12, kind + " " + mm + " last step");
                assertEquals(mm == MergeMode.CONCAT ? 6 : 3, seq.outputSize());
                assertEquals(seq.outputSize(), s.output().size(2));
                // the forward direction's final state is the output at each sequence's last real step
                Tensor outFwd = s.output().data();
                if (mm == MergeMode.CONCAT) {
                    for (int b = 0; b < 2; b++) {
                        assertClose(
                                fwd.select(0, b),
                                outFwd.select(0, b).select(0, lengths[b] - 1).narrow(0, 0, 3),
                                1e-12,
                                1e-12,
                                kind + " forward state at the last real step");
                        assertClose(
                                bwd.select(0, b),
                                outFwd.select(0, b).select(0, 0).narrow(0, 3, 3),
                                1e-12,
                                1e-12,
                                kind + " backward state at the first step");
                    }
                }
            }
        }
    }

    @Test
    void parametersAndInitialization() {
        LSTM lstm = new LSTM(3, 5, o().numLayers(2).bidirectional(true));
        List<String> expected = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            for (String sfx : new String[] {"", "_reverse"}) {
                for (String n : new String[] {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
                    expected.add(n + "_l" + l + sfx);
                }
            }
        }
        assertEquals(expected, new ArrayList<>(lstm.stateDict().keySet()), "PyTorch's names and order");
        assertArrayEquals(new int[] {20, 3}, lstm.parameter("weight_ih_l0").shape());
        assertArrayEquals(
                new int[] {20, 10}, lstm.parameter("weight_ih_l1_reverse").shape());
        double bound = 1 / Math.sqrt(5);
        for (Parameter p : lstm.parameters()) {
            assertTrue(p.data().abs().max().item() <= bound, "U(-1/sqrt(H), 1/sqrt(H))");
        }
        LSTM ufb = new LSTM(3, 5, o().unitForgetBias(true));
        Tensor bih = ufb.parameter("bias_ih_l0").data();
        Tensor bhh = ufb.parameter("bias_hh_l0").data();
        assertTrue(bih.narrow(0, 5, 5).equal(Tensor.ones(5)), "forget bias_ih = 1");
        assertTrue(bhh.narrow(0, 5, 5).equal(Tensor.zeros(5)), "forget bias_hh = 0");
        assertTrue(bih.narrow(0, 0, 5).abs().max().item() <= bound, "other gates keep PyTorch's init");
        assertEquals(12, new GRU(2, 4).parameter("weight_hh_l0").size(0));
        assertThrows(IllegalArgumentException.class, () -> new GRU(2, 4, o().unitForgetBias(true)));
        assertThrows(IllegalArgumentException.class, () -> new LSTM(2, 4, o().nonlinearity("relu")));
    }

    @Test
    void errorsNameTheProblem() {
        LSTM lstm = new LSTM(3, 4, o().numLayers(2));
        Variable x = Variable.constant(Tensor.zeros(2, 5, 3));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> lstm.run(Variable.constant(Tensor.zeros(2, 5, 4))));
        assertTrue(e.getMessage().contains("inputSize=3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lstm.run(x, new int[] {5, 6}));
        assertTrue(e.getMessage().contains("length 6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lstm.run(x, new int[] {5}));
        assertTrue(e.getMessage().contains("1 lengths"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> lstm.run(x, (int[]) null, Variable.constant(Tensor.zeros(1, 2, 4)), null));
        assertTrue(e.getMessage().contains("h0 of shape (1, 2, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lstm.run(x, Tensor.ones(5, 2)));
        assertTrue(e.getMessage().contains("mask of shape (5, 2)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new GRU(3, 4).run(x, (int[]) null, null, Variable.constant(Tensor.zeros(1, 2, 4))));
        assertTrue(e.getMessage().contains("only an LSTM"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lstm.run(Variable.constant(Tensor.zeros(5, 3))));
        assertTrue(e.getMessage().contains("unsqueeze"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> o().dropout(1));
        assertThrows(IllegalArgumentException.class, () -> o().numLayers(0));
    }

    @Test
    void wideBatchesSplitRowsOverThreads() {
        // with 4 * 128 or 3 * 128 gates per row and 96 rows the per-step element-wise work is split into tasks;
        // outputs and gradients still equal a loop over the cells
        for (String kind : new String[] {"LSTM", "GRU"}) {
            RNNBase layer = make(kind, 3, 128, o());
            RNNCellBase cell = kind.equals("LSTM") ? new LSTMCell(3, 128) : new GRUCell(3, 128);
            layer.to(DType.FLOAT64);
            cell.to(DType.FLOAT64);
            Map<String, Tensor> sd = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : layer.stateDict().entrySet()) {
                sd.put(e.getKey().replace("_l0", ""), e.getValue());
            }
            cell.loadStateDict(sd);
            Tensor x = Tensor.randn(new Generator(10), DType.FLOAT64, 96, 3, 3);
            Variable xa = new Variable(x, true);
            RNNOutput out = layer.run(xa);
            RecurrentGradCheckTest.Probe.weighOne(out.output(), 1).backward();
            Variable xb = new Variable(x, true);
            List<Variable> hs = new ArrayList<>();
            Variable h = null;
            Variable c = null;
            for (int t = 0; t < 3; t++) {
                Variable xt = xb.select(1, t);
                if (cell instanceof LSTMCell) {
                    Variable[] hc = ((LSTMCell) cell).step(xt, h, c);
                    h = hc[0];
                    c = hc[1];
                } else {
                    h = ((GRUCell) cell).step(xt, h);
                }
                hs.add(h);
            }
            Variable ref = Variable.stack(hs, 1);
            RecurrentGradCheckTest.Probe.weighOne(ref, 1).backward();
            assertClose(ref.data(), out.output().data(), 1e-12, 1e-12, kind + " wide batch output");
            assertClose(xb.grad(), xa.grad(), 1e-12, 1e-12, kind + " wide batch input gradient");
            assertClose(
                    cell.parameter("weight_hh").grad(),
                    layer.parameter("weight_hh_l0").grad(),
                    1e-11,
                    1e-11,
                    kind + " wide batch W_hh gradient");
        }
    }

    @Test
    void cellsMatchTheLayers() {
        // a loop over LSTMCell / GRUCell / RNNCell with the layer's weights gives the layer's output
        Tensor x = Tensor.randn(new Generator(9), DType.FLOAT64, 2, 4, 3);
        for (String kind : KINDS) {
            RNNBase layer = make(kind, 3, 5, o());
            RNNCellBase cell = kind.equals("LSTM")
                    ? new LSTMCell(3, 5)
                    : kind.equals("GRU") ? new GRUCell(3, 5) : new RNNCell(3, 5);
            layer.to(DType.FLOAT64);
            cell.to(DType.FLOAT64);
            Map<String, Tensor> sd = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : layer.stateDict().entrySet()) {
                sd.put(e.getKey().replace("_l0", ""), e.getValue());
            }
            cell.loadStateDict(sd);
            Tensor y = layer.run(Variable.constant(x)).output().data();
            Variable h = null;
            Variable c = null;
            for (int t = 0; t < 4; t++) {
                Variable xt = Variable.constant(x.select(1, t));
                if (cell instanceof LSTMCell) {
                    Variable[] hc = ((LSTMCell) cell).step(xt, h, c);
                    h = hc[0];
                    c = hc[1];
                } else {
                    h = h == null ? cell.forward(xt) : cell.forward(xt, h);
                }
                assertClose(y.select(1, t), h.data(), 1e-12, 1e-12, kind + " cell step " + t);
            }
        }
    }
}
