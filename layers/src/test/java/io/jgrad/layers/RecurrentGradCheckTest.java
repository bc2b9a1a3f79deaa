package io.jgrad.layers;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.GradCheck;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Central finite differences in FLOAT64 against the backward of the recurrent layers in every mode:
 * each cell, stacked, each bidirectional merge mode, masked (lengths and masks), with initial
 * states, last-step output, dropout of each kind with a fixed seed, time-first layout, and stateful
 * mode; with respect to the input, the initial states and every parameter. The checked scalar
 * weighs the output and the final states with fixed random tensors, so every output takes part.
 */
class RecurrentGradCheckTest {
    /** Runs a recurrent layer and reduces its output and final states to one scalar. */
    static final class Probe extends Module {
        final RNNBase rnn;
        final int[] lengths;
        final Tensor mask;

        Probe(RNNBase rnn, int[] lengths, Tensor mask) {
            this.rnn = registerModule("rnn", rnn);
            this.lengths = lengths;
            this.mask = mask;
        }

        @Override
        public Variable forward(Variable x) {
            return forward(new Variable[] {x});
        }

        @Override
        public Variable forward(Variable... in) {
            Variable h0 = in.length > 1 ? in[1] : null;
            Variable c0 = in.length > 2 ? in[2] : null;
            RNNOutput out = mask != null ? rnn.run(in[0], mask, h0, c0) : rnn.run(in[0], lengths, h0, c0);
            return weigh(out);
        }

        static Variable weigh(RNNOutput out) {
            Variable s = weighOne(out.output(), 11);
            s = s.add(weighOne(out.hN(), 12));
            if (out.cN() != null) {
                s = s.add(weighOne(out.cN(), 13));
            }
            return s;
        }

        static Variable weighOne(Variable v, long seed) {
            return v.mul(Variable.constant(Tensor.randn(new Generator(seed), v.dtype(), v.shape())))
                    .sum();
        }
    }

    record Case(String name, Supplier<RNNBase> make, int[] lengths, boolean initialStates, boolean train) {}

    static RecurrentOptions o() {
        return RecurrentOptions.defaults();
    }

    static List<Case> cases() {
        List<Case> l = new ArrayList<>();
        int[] len = {3, 1, 2};
        l.add(new Case("RNN tanh", () -> new RNN(3, 2), null, false, true));
        l.add(new Case("RNN relu", () -> new RNN(3, 2, o().nonlinearity("relu")), null, true, true));
        l.add(new Case("LSTM", () -> new LSTM(3, 2), null, false, true));
        l.add(new Case("GRU", () -> new GRU(3, 2), null, false, true));
        l.add(new Case("LSTM no bias", () -> new LSTM(3, 2, o().bias(false)), null, false, true));
        l.add(new Case("GRU no bias", () -> new GRU(3, 2, o().bias(false)), null, true, true));
        for (String kind : new String[] {"RNN", "LSTM", "GRU"}) {
            l.add(new Case(
                    kind + " 2 layers, initial states", () -> make(kind, 3, 2, o().numLayers(2)), null, true, true));
            l.add(new Case(
                    kind + " bidirectional 2 layers, lengths",
                    () -> make(kind, 3, 2, o().numLayers(2).bidirectional(true)),
                    len,
                    true,
                    true));
            l.add(new Case(
                    kind + " time-first, lengths", () -> make(kind, 3, 2, o().batchFirst(false)), len, true, true));
            l.add(new Case(
                    kind + " last step, lengths",
                    () -> make(kind, 3, 2, o().returnSequences(false)),
                    len,
                    false,
                    true));
            l.add(new Case(
                    kind + " all dropouts",
                    () -> make(
                            kind,
                            3,
                            2,
                            o().numLayers(2).dropout(0.3).inputDropout(0.3).recurrentDropout(0.4)),
                    len,
                    true,
                    true));
            for (MergeMode mm : MergeMode.values()) {
                l.add(new Case(
                        kind + " bidirectional " + mm,
                        () -> make(kind, 3, 2, o().bidirectional(true).mergeMode(mm)),
                        null,
                        false,
                        true));
                l.add(new Case(
                        kind + " bidirectional " + mm + " last step, lengths",
                        () -> make(
                                kind,
                                3,
                                2,
                                o().bidirectional(true).mergeMode(mm).returnSequences(false)),
                        len,
                        false,
                        true));
            }
        }
        l.add(new Case(
                "LSTM bidirectional dropouts, eval mode",
                () -> make(
                        "LSTM",
                        3,
                        2,
                        o().bidirectional(true)
                                .dropout(0.5)
                                .recurrentDropout(0.5)
                                .inputDropout(0.5)),
                len,
                false,
                false));
        l.add(new Case("LSTM unit forget bias", () -> new LSTM(3, 2, o().unitForgetBias(true)), null, false, true));
        return l;
    }

    static RNNBase make(String kind, int in, int hidden, RecurrentOptions opts) {
        switch (kind) {
            case "RNN":
                return new RNN(in, hidden, opts);
            case "LSTM":
                return new LSTM(in, hidden, opts);
            default:
                return new GRU(in, hidden, opts);
        }
    }

    @TestFactory
    Stream<DynamicTest> layers() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    static void check(Case c) {
        RNNBase rnn = c.make().get();
        Probe probe = new Probe(rnn, c.lengths(), null);
        checkProbe(probe, rnn, c.initialStates(), c.train(), 3, 3);
    }

    /** A function of an input, optional initial states and every parameter, and values for them. */
    record ProbeProblem(java.util.function.Function<Variable[], Variable> f, Tensor[] inputs) {}

    /**
     * {@code probe} as a function of an input (B, T, in) (or (T, B, in)), optional initial states and all
     * parameters, with FLOAT64 values for them; every evaluation draws the same dropout masks.
     */
    static ProbeProblem probeProblem(
            Probe probe, RNNBase rnn, boolean initialStates, boolean train, int batch, int steps) {
        Generator g = new Generator(42);
        probe.to(DType.FLOAT64);
        probe.train(train);
        boolean bf = rnn.options().batchFirst;
        int dirs = rnn.options().bidirectional ? 2 : 1;
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(Tensor.randn(g, DType.FLOAT64, bf ? batch : steps, bf ? steps : batch, rnn.inputSize()));
        int nStates = 0;
        if (initialStates) {
            int[] s = {rnn.options().numLayers * dirs, batch, rnn.hiddenSize()};
            inputs.add(Tensor.randn(g, DType.FLOAT64, s).mul(0.5));
            nStates++;
            if (rnn instanceof LSTM) {
                inputs.add(Tensor.randn(g, DType.FLOAT64, s).mul(0.5));
                nStates++;
            }
        }
        int first = inputs.size();
        Map<String, Parameter> params = probe.namedParameters();
        List<String> names = new ArrayList<>(params.keySet());
        for (String n : names) {
            inputs.add(params.get(n).data().clone());
        }
        int ns = nStates;
        return new ProbeProblem(
                in -> {
                    probe.setGenerator(new Generator(7)); // the same dropout masks in every evaluation
                    Map<String, Variable> sub = new HashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        sub.put(names.get(i), in[first + i]);
                    }
                    Variable[] args = new Variable[1 + ns];
                    System.arraycopy(in, 0, args, 0, 1 + ns);
                    return probe.functionalCall(sub, args);
                },
                inputs.toArray(new Tensor[0]));
    }

    /** GradCheck of {@code probe} over an input (B, T, in), optional initial states and all parameters. */
    static void checkProbe(Probe probe, RNNBase rnn, boolean initialStates, boolean train, int batch, int steps) {
        ProbeProblem p = probeProblem(probe, rnn, initialStates, train, batch, steps);
        GradCheck.check(p.f(), p.inputs());
    }

    @Test
    void cells() {
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, DType.FLOAT64, 2, 3);
        Tensor h = Tensor.randn(g, DType.FLOAT64, 2, 4);
        Tensor c = Tensor.randn(g, DType.FLOAT64, 2, 4);
        RNNCellBase[] cells = {
            new LSTMCell(3, 4), new GRUCell(3, 4), new RNNCell(3, 4), new RNNCell(3, 4, false, "relu")
        };
        for (RNNCellBase cell : cells) {
            cell.to(DType.FLOAT64);
            Map<String, Parameter> params = cell.namedParameters();
            List<String> names = new ArrayList<>(params.keySet());
            List<Tensor> inputs = new ArrayList<>(List.of(x, h, c));
            for (String n : names) {
                inputs.add(params.get(n).data().clone());
            }
            GradCheck.check(
                    in -> {
                        Map<String, Variable> sub = new HashMap<>();
                        for (int i = 0; i < names.size(); i++) {
                            sub.put(names.get(i), in[3 + i]);
                        }
                        Module probe = new Module() {
                            {
                                registerModule("cell", cell);
                            }

                            @Override
                            public Variable forward(Variable... v) {
                                if (cell instanceof LSTMCell) {
                                    Variable[] hc = ((LSTMCell) cell).step(v[0], v[1], v[2]);
                                    return Probe.weighOne(hc[0], 1).add(Probe.weighOne(hc[1], 2));
                                }
                                return Probe.weighOne(cell.forward(v[0], v[1]), 1)
                                        .add(v[2].sum().mul(0));
                            }
                        };
                        Map<String, Variable> prefixed = new HashMap<>();
                        sub.forEach((k, v) -> prefixed.put("cell." + k, v));
                        return probe.functionalCall(prefixed, in[0], in[1], in[2]);
                    },
                    inputs.toArray(new Tensor[0]));
        }
    }

    @Test
    void maskTensorEqualsLengths() {
        // a (B, T) mask with non-prefix holes: padded steps anywhere are skipped
        Tensor mask = Tensor.of(new int[] {1, 0, 1, 1, 1, 1, 0, 0, 1}, 3, 3);
        for (String kind : new String[] {"RNN", "LSTM", "GRU"}) {
            RNNBase rnn = make(kind, 3, 2, o().bidirectional(true));
            checkProbe(new Probe(rnn, null, mask), rnn, true, true, 3, 3);
        }
    }

    @Test
    void statefulSecondCall() {
        // truncated BPTT: the second call starts from the first call's detached states, so its
        // gradient (input, parameters) does not reach into the first call, which runs with the
        // registered (unperturbed) weights
        for (String kind : new String[] {"RNN", "LSTM", "GRU"}) {
            RNNBase rnn =
                    make(kind, 3, 2, o().stateful(true).bidirectional(true).numLayers(2));
            Probe probe = new Probe(rnn, null, null);
            probe.to(DType.FLOAT64);
            Generator g = new Generator(42);
            Tensor x1 = Tensor.randn(g, DType.FLOAT64, 3, 4, 3);
            Map<String, Parameter> params = probe.namedParameters();
            List<String> names = new ArrayList<>(params.keySet());
            List<Tensor> inputs = new ArrayList<>();
            inputs.add(Tensor.randn(g, DType.FLOAT64, 3, 2, 3));
            for (String n : names) {
                inputs.add(params.get(n).data().clone());
            }
            GradCheck.check(
                    in -> {
                        rnn.resetStates();
                        try (var off = Autograd.noGrad()) {
                            rnn.run(Variable.constant(x1));
                        }
                        Map<String, Variable> sub = new HashMap<>();
                        for (int i = 0; i < names.size(); i++) {
                            sub.put(names.get(i), in[1 + i]);
                        }
                        return probe.functionalCall(sub, in[0]);
                    },
                    inputs.toArray(new Tensor[0]));
        }
    }
}
