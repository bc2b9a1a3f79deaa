package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.GradCheck;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.autograd.fused.RecurrentScan;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Second-order gradients of the recurrent layers and cells. The layers run each direction as one
 * fused {@link RecurrentScan}; while a backward pass records, its gradients come from the scan's
 * composed definition, so these tests check (1) that definition against the fused forward and the
 * fused first-order backward, (2) second derivatives in FLOAT64 against finite differences of the
 * recorded first derivatives ({@link GradCheck#checkSecondOrder}) with respect to the input, the
 * initial states and every parameter, and (3) the FLOAT32 paths against FLOAT64 on the same values.
 */
class RecurrentSecondOrderTest {
    static RecurrentOptions o() {
        return RecurrentOptions.defaults();
    }

    /** "RNN" (tanh), "RNN relu", "LSTM" or "GRU". */
    static RNNBase make(String kind, int in, int hidden, RecurrentOptions opts) {
        switch (kind) {
            case "RNN":
                return new RNN(in, hidden, opts);
            case "RNN relu":
                return new RNN(in, hidden, opts.nonlinearity("relu"));
            case "LSTM":
                return new LSTM(in, hidden, opts);
            default:
                return new GRU(in, hidden, opts);
        }
    }

    static final String[] KINDS = {"RNN", "RNN relu", "LSTM", "GRU"};

    record Case(
            String name, Supplier<RNNBase> make, int[] lengths, Tensor mask, boolean initialStates, boolean train) {}

    static List<Case> cases() {
        List<Case> l = new ArrayList<>();
        // (T, B) = (3, 2), time-first: t0 all real, t1 all padding, t2 only the second sequence
        Tensor holes = Tensor.of(new int[] {1, 1, 0, 0, 0, 1}, 3, 2);
        for (String k : KINDS) {
            l.add(new Case(
                    k + " 2 layers bidirectional, initial states, lengths",
                    () -> make(k, 2, 2, o().numLayers(2).bidirectional(true)),
                    new int[] {3, 1},
                    null,
                    true,
                    false));
            l.add(new Case(
                    k + " time-first bidirectional, mask with holes, initial states",
                    () -> make(k, 2, 2, o().batchFirst(false).bidirectional(true)),
                    null,
                    holes,
                    true,
                    false));
            l.add(new Case(
                    k + " train mode, 2 layers, all dropouts, lengths, initial states",
                    () -> make(
                            k,
                            2,
                            2,
                            o().numLayers(2).dropout(0.3).inputDropout(0.3).recurrentDropout(0.4)),
                    new int[] {2, 3},
                    null,
                    true,
                    true));
            l.add(new Case(
                    k + " bidirectional SUM, last step, no bias",
                    () -> make(
                            k,
                            2,
                            2,
                            o().bidirectional(true)
                                    .mergeMode(MergeMode.SUM)
                                    .returnSequences(false)
                                    .bias(false)),
                    null,
                    null,
                    false,
                    false));
        }
        return l;
    }

    @TestFactory
    Stream<DynamicTest> layersSecondOrder() {
        return cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    RNNBase rnn = c.make().get();
                    RecurrentGradCheckTest.Probe probe = new RecurrentGradCheckTest.Probe(rnn, c.lengths(), c.mask());
                    checkProbeSecondOrder(probe, rnn, c.initialStates(), c.train(), 2, 3);
                }));
    }

    /** checkSecondOrder of {@code probe} over an input, optional initial states and all parameters. */
    static void checkProbeSecondOrder(
            RecurrentGradCheckTest.Probe probe,
            RNNBase rnn,
            boolean initialStates,
            boolean train,
            int batch,
            int steps) {
        RecurrentGradCheckTest.ProbeProblem p =
                RecurrentGradCheckTest.probeProblem(probe, rnn, initialStates, train, batch, steps);
        java.util.function.Function<Variable[], Variable> f = p.f();
        List<Tensor> inputs = List.of(p.inputs());
        // the composed definition differentiated under create-graph gives the fused first-order
        // gradients (checked against finite differences in RecurrentGradCheckTest) ...
        double[][] first1 = new double[2][];
        for (int pass = 0; pass < 2; pass++) {
            List<Variable> vs = new ArrayList<>();
            for (Tensor t : inputs) {
                vs.add(new Variable(t, true));
            }
            Variable y = f.apply(vs.toArray(new Variable[0]));
            first1[pass] = flatten(Autograd.grad(List.of(y), vs, null, false, pass == 1));
        }
        assertClose("first order, fused vs composed", first1[0], first1[1], 1e-12, 1e-10);
        // ... and its second derivatives agree with finite differences of those gradients
        GradCheck.checkSecondOrder(f, inputs.toArray(new Tensor[0]));
    }

    // ------------------------------------------------------------------------------------------ cells

    /** Two steps of a cell from given states, weighed into one scalar (the second step reads the first's states). */
    static Variable twoSteps(RNNCellBase cell, Variable x, Variable h, Variable c) {
        Variable s = x.sum().mul(0);
        for (int t = 0; t < 2; t++) {
            Variable xt = x.select(0, t);
            if (cell instanceof LSTMCell) {
                Variable[] hc = ((LSTMCell) cell).step(xt, h, c);
                h = hc[0];
                c = hc[1];
                s = s.add(RecurrentGradCheckTest.Probe.weighOne(c, 20 + t));
            } else {
                h = cell.forward(xt, h);
            }
            s = s.add(RecurrentGradCheckTest.Probe.weighOne(h, 10 + t));
        }
        return s;
    }

    static RNNCellBase[] cells() {
        return new RNNCellBase[] {
            new LSTMCell(2, 2),
            new GRUCell(2, 2),
            new RNNCell(2, 2),
            new RNNCell(2, 2, false, "relu"),
            new LSTMCell(2, 2, false)
        };
    }

    @Test
    void cellsSecondOrder() {
        for (RNNCellBase cell : cells()) {
            cell.to(DType.FLOAT64);
            Generator g = new Generator(3);
            boolean lstm = cell instanceof LSTMCell;
            List<Tensor> inputs = new ArrayList<>();
            inputs.add(Tensor.randn(g, DType.FLOAT64, 2, 2, 2)); // (steps, B, in)
            inputs.add(Tensor.randn(g, DType.FLOAT64, 2, 2).mul(0.5));
            if (lstm) {
                inputs.add(Tensor.randn(g, DType.FLOAT64, 2, 2).mul(0.5));
            }
            int first = inputs.size();
            Map<String, Parameter> params = cell.namedParameters();
            List<String> names = new ArrayList<>(params.keySet());
            for (String n : names) {
                inputs.add(params.get(n).data().clone());
            }
            Module probe = cellProbe(cell);
            try {
                GradCheck.checkSecondOrder(
                        in -> {
                            Map<String, Variable> sub = new HashMap<>();
                            for (int i = 0; i < names.size(); i++) {
                                sub.put("cell." + names.get(i), in[first + i]);
                            }
                            Variable[] args = new Variable[first];
                            System.arraycopy(in, 0, args, 0, first);
                            return probe.functionalCall(sub, args);
                        },
                        inputs.toArray(new Tensor[0]));
            } catch (AssertionError e) {
                throw new AssertionError(cell + ": " + e.getMessage(), e);
            }
        }
    }

    /** A module running {@link #twoSteps} on (x, h) or (x, h, c). */
    static Module cellProbe(RNNCellBase cell) {
        return new Module() {
            {
                registerModule("cell", cell);
            }

            @Override
            public Variable forward(Variable... v) {
                return twoSteps(cell, v[0], v[1], v.length > 2 ? v[2] : null);
            }
        };
    }

    // ------------------------------------------------------------------------------------------ the composed scan

    /** The composed definition returns what the fused forward returns, padding rows and final states included. */
    @Test
    void composedScanEqualsFusedForward() {
        int steps = 3;
        int batch = 3;
        int hid = 2;
        // step 1 is padding for every row; rows 1 and 2 are padded at other steps too
        boolean[] real = {true, true, false, false, false, false, true, false, true};
        for (RecurrentScan.Kind kind : RecurrentScan.Kind.values()) {
            for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                for (int variant = 0; variant < 4; variant++) {
                    boolean reverse = (variant & 1) != 0;
                    boolean padded = (variant & 2) != 0;
                    Generator g = new Generator(11 + variant);
                    int gh = kind.gates * hid;
                    Variable xp = new Variable(Tensor.randn(g, dt, steps, batch, gh), true);
                    Variable whh = new Variable(Tensor.randn(g, dt, gh, hid), true);
                    Variable h0 = new Variable(Tensor.randn(g, dt, batch, hid), true);
                    Variable extra = kind == RecurrentScan.Kind.LSTM
                            ? new Variable(Tensor.randn(g, dt, batch, hid), true)
                            : kind == RecurrentScan.Kind.GRU ? new Variable(Tensor.randn(g, dt, gh), true) : null;
                    Tensor drop = variant == 3
                            ? Tensor.bernoulli(g, dt, 0.6, batch, hid).mul(1 / 0.6)
                            : null;
                    RecurrentScan fn = RecurrentScan.of(kind, reverse, padded ? real : null, drop);
                    Variable[] ins = extra == null ? new Variable[] {xp, whh, h0} : new Variable[] {xp, whh, h0, extra};
                    Tensor fused = fn.apply(ins).data();
                    Tensor comp = fn.composedForward(ins).data();
                    String what = kind + " " + dt + " reverse=" + reverse + " padded=" + padded + " dropout="
                            + (drop != null);
                    assertEquals(
                            java.util.Arrays.toString(fused.shape()), java.util.Arrays.toString(comp.shape()), what);
                    assertEquals(dt, comp.dtype(), what);
                    double[] a = fused.toDoubleArray();
                    double[] b = comp.toDoubleArray();
                    double tol = dt == DType.FLOAT64 ? 1e-13 : 2e-6;
                    for (int i = 0; i < a.length; i++) {
                        assertTrue(
                                Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(a[i])),
                                what + ": element " + i + " fused " + a[i] + " composed " + b[i]);
                        if (padded && i < steps * batch * hid && !real[i / hid]) {
                            assertEquals(0.0, b[i], what + ": padded output " + i);
                        }
                    }
                }
            }
        }
    }

    /**
     * The first-order gradients of a layer are the same whether the fused backward serves (no
     * create-graph) or the composed definition is differentiated (create-graph).
     */
    @Test
    void composedFirstOrderEqualsFusedBackward() {
        for (String k : KINDS) {
            RNNBase rnn = make(
                    k,
                    2,
                    3,
                    o().numLayers(2).bidirectional(true).recurrentDropout(0.3).inputDropout(0.2));
            rnn.to(DType.FLOAT64);
            rnn.train(true);
            Generator g = new Generator(5);
            int[] lengths = {4, 2, 3};
            Variable x = new Variable(Tensor.randn(g, DType.FLOAT64, 3, 4, 2), true);
            int[] s = {4, 3, 3};
            Variable h0 = new Variable(Tensor.randn(g, DType.FLOAT64, s).mul(0.5), true);
            Variable c0 = rnn instanceof LSTM
                    ? new Variable(Tensor.randn(g, DType.FLOAT64, s).mul(0.5), true)
                    : null;
            List<Variable> wrt = new ArrayList<>(List.of(x, h0));
            if (c0 != null) {
                wrt.add(c0);
            }
            wrt.addAll(rnn.parameters());
            double[][] grads = new double[2][];
            for (int pass = 0; pass < 2; pass++) {
                rnn.setGenerator(new Generator(9));
                Variable loss = RecurrentGradCheckTest.Probe.weigh(rnn.run(x, lengths, h0, c0));
                List<Variable> gs = Autograd.grad(List.of(loss), wrt, null, false, pass == 1);
                grads[pass] = flatten(gs);
            }
            assertClose(k, grads[0], grads[1], 1e-12, 1e-10);
        }
    }

    // ------------------------------------------------------------------------------------------ float32

    /**
     * The gradient, with respect to {@code wrt}, of the squared norm of the first-order gradient of a
     * weighed output with respect to {@code wrt}: a second-order quantity.
     */
    static double[] gradOfGradNorm(
            java.util.function.Function<List<Variable>, Variable> loss, List<Tensor> values, DType dt) {
        List<Variable> wrt = new ArrayList<>();
        for (Tensor t : values) {
            wrt.add(new Variable(t.to(dt), true));
        }
        Variable l = loss.apply(wrt);
        assertEquals(dt, l.dtype());
        List<Variable> g1 = Autograd.grad(List.of(l), wrt, null, true, true);
        Variable q = null;
        for (Variable gi : g1) {
            Variable sq = gi.mul(gi).sum();
            q = q == null ? sq : q.add(sq);
        }
        return flatten(Autograd.grad(List.of(q), wrt, null, false, false));
    }

    static double[] flatten(List<Variable> vs) {
        List<Double> l = new ArrayList<>();
        for (Variable v : vs) {
            for (double d : v.data().toDoubleArray()) {
                l.add(d);
            }
        }
        double[] r = new double[l.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = l.get(i);
        }
        return r;
    }

    static void assertClose(String what, double[] expected, double[] actual, double atol, double rtol) {
        assertEquals(expected.length, actual.length, what);
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            norm = Math.max(norm, Math.abs(expected[i]));
            assertTrue(
                    Math.abs(expected[i] - actual[i]) <= atol + rtol * Math.abs(expected[i]),
                    String.format(
                            Locale.ROOT,
                            "%s: element %d of %d: expected %.10g, got %.10g",
                            what,
                            i,
                            expected.length,
                            expected[i],
                            actual[i]));
        }
        assertTrue(norm > 1e-3, what + ": the compared quantity is (almost) zero, so the comparison says nothing");
    }

    /** Values rounded to float32, held as float64, so both precisions start from the same numbers. */
    static Tensor f32(Tensor t) {
        return t.to(DType.FLOAT32).to(DType.FLOAT64);
    }

    @Test
    void layersFloat32SecondOrderMatchesFloat64() {
        String[] names = {
            "RNN bidirectional, lengths, initial states",
            "LSTM bidirectional, lengths, initial states, recurrent dropout",
            "GRU 2 layers, mask, initial states, all dropouts"
        };
        Tensor mask = Tensor.of(new int[] {1, 1, 0, 1, 1, 0}, 2, 3); // (B, T), batch-first
        for (int c = 0; c < 3; c++) {
            RNNBase rnn = c == 0
                    ? new RNN(2, 3, o().bidirectional(true))
                    : c == 1
                            ? new LSTM(2, 3, o().bidirectional(true).recurrentDropout(0.3))
                            : new GRU(
                                    2,
                                    3,
                                    o().numLayers(2)
                                            .dropout(0.3)
                                            .inputDropout(0.3)
                                            .recurrentDropout(0.3));
            rnn.train(true);
            int states = rnn.options().numLayers * (rnn.options().bidirectional ? 2 : 1);
            Generator g = new Generator(21 + c);
            List<Tensor> values = new ArrayList<>();
            values.add(f32(Tensor.randn(g, DType.FLOAT64, 2, 3, 2)));
            values.add(f32(Tensor.randn(g, DType.FLOAT64, states, 2, 3).mul(0.5)));
            boolean lstm = rnn instanceof LSTM;
            if (lstm) {
                values.add(f32(Tensor.randn(g, DType.FLOAT64, states, 2, 3).mul(0.5)));
            }
            int first = values.size();
            Map<String, Parameter> params = rnn.namedParameters();
            List<String> pn = new ArrayList<>(params.keySet());
            for (String n : pn) {
                values.add(f32(params.get(n).data().to(DType.FLOAT64)));
            }
            int cc = c;
            double[][] res = new double[2][];
            DType[] dts = {DType.FLOAT64, DType.FLOAT32};
            for (int d = 0; d < 2; d++) {
                DType dt = dts[d];
                rnn.to(dt);
                res[d] = gradOfGradNorm(
                        v -> {
                            rnn.setGenerator(new Generator(8));
                            Map<String, Variable> sub = new HashMap<>();
                            for (int i = 0; i < pn.size(); i++) {
                                sub.put(pn.get(i), v.get(first + i));
                            }
                            Module probe = new Module() {
                                {
                                    registerModule("rnn", rnn);
                                }

                                @Override
                                public Variable forward(Variable... in) {
                                    RNNOutput out = cc == 2
                                            ? rnn.run(in[0], mask, in[1], null)
                                            : rnn.run(in[0], new int[] {3, 2}, in[1], lstm ? in[2] : null);
                                    return weighF(out);
                                }
                            };
                            Map<String, Variable> prefixed = new HashMap<>();
                            sub.forEach((key, val) -> prefixed.put("rnn." + key, val));
                            return probe.functionalCall(
                                    prefixed, v.subList(0, first).toArray(new Variable[0]));
                        },
                        values,
                        dt);
            }
            assertClose(names[c], res[0], res[1], 2e-4, 2e-3);
        }
    }

    /** The output and final states weighed with fixed values rounded to float32, so both precisions weigh alike. */
    static Variable weighF(RNNOutput out) {
        Variable s = weighOneF(out.output(), 31).add(weighOneF(out.hN(), 32));
        return out.cN() != null ? s.add(weighOneF(out.cN(), 33)) : s;
    }

    static Variable weighOneF(Variable v, long seed) {
        Tensor w =
                f32(Tensor.randn(new Generator(seed), DType.FLOAT64, v.shape())).to(v.dtype());
        return v.mul(Variable.constant(w)).sum();
    }

    @Test
    void cellsFloat32SecondOrderMatchesFloat64() {
        for (RNNCellBase cell : cells()) {
            boolean lstm = cell instanceof LSTMCell;
            Generator g = new Generator(4);
            List<Tensor> values = new ArrayList<>();
            values.add(f32(Tensor.randn(g, DType.FLOAT64, 2, 3, 2)));
            values.add(f32(Tensor.randn(g, DType.FLOAT64, 3, 2).mul(0.5)));
            if (lstm) {
                values.add(f32(Tensor.randn(g, DType.FLOAT64, 3, 2).mul(0.5)));
            }
            int first = values.size();
            Map<String, Parameter> params = cell.namedParameters();
            List<String> pn = new ArrayList<>(params.keySet());
            for (String n : pn) {
                values.add(f32(params.get(n).data().to(DType.FLOAT64)));
            }
            Module probe = new Module() {
                {
                    registerModule("cell", cell);
                }

                @Override
                public Variable forward(Variable... v) {
                    Variable h = v[1];
                    Variable c = v.length > 2 ? v[2] : null;
                    Variable s = null;
                    for (int t = 0; t < 2; t++) {
                        Variable xt = v[0].select(0, t);
                        if (lstm) {
                            Variable[] hc = ((LSTMCell) cell).step(xt, h, c);
                            h = hc[0];
                            c = hc[1];
                            Variable sc = weighOneF(c, 40 + t);
                            s = s == null ? sc : s.add(sc);
                        } else {
                            h = cell.forward(xt, h);
                        }
                        Variable sh = weighOneF(h, 50 + t);
                        s = s == null ? sh : s.add(sh);
                    }
                    return s;
                }
            };
            double[][] res = new double[2][];
            DType[] dts = {DType.FLOAT64, DType.FLOAT32};
            for (int d = 0; d < 2; d++) {
                cell.to(dts[d]);
                res[d] = gradOfGradNorm(
                        v -> {
                            Map<String, Variable> sub = new HashMap<>();
                            for (int i = 0; i < pn.size(); i++) {
                                sub.put("cell." + pn.get(i), v.get(first + i));
                            }
                            return probe.functionalCall(sub, v.subList(0, first).toArray(new Variable[0]));
                        },
                        values,
                        dts[d]);
            }
            assertClose(cell.toString(), res[0], res[1], 2e-4, 2e-3);
        }
    }
}
