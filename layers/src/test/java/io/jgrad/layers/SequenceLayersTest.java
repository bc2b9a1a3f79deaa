package io.jgrad.layers;

import static io.jgrad.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;

/**
 * Embedding, TimeDistributed, attention, transformer layers and the causal language model:
 * GradCheck (FLOAT64, dropout with a fixed seed), masking and causality properties, and errors.
 */
class SequenceLayersTest {
    /** GradCheck of {@code f(inputs..., params...)} over the given inputs and every parameter of {@code m}. */
    static void gradCheckModule(Module m, java.util.function.Function<Variable[], Variable> f, Tensor... inputs) {
        Map<String, Parameter> params = m.namedParameters();
        List<String> names = new ArrayList<>(params.keySet());
        Tensor[] all = new Tensor[inputs.length + names.size()];
        System.arraycopy(inputs, 0, all, 0, inputs.length);
        for (int i = 0; i < names.size(); i++) {
            all[inputs.length + i] = params.get(names.get(i)).data().clone();
        }
        Module holder = new Module() {
            @Override
            public Variable forward(Variable... in) {
                return f.apply(in);
            }

            @Override
            public Variable forward(Variable x) {
                return f.apply(new Variable[] {x});
            }
        };
        GradCheck.check(
                in -> {
                    m.setGenerator(new Generator(7)); // the same dropout masks in every evaluation
                    Map<String, Variable> sub = new HashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        sub.put(names.get(i), in[inputs.length + i]);
                    }
                    Variable[] args = java.util.Arrays.copyOf(in, inputs.length);
                    // substitute through a parent holding m, so its parameters are replaced during f
                    return withChild(m, holder).functionalCall(prefix(sub), args);
                },
                all);
    }

    private static Module withChild(Module m, Module body) {
        return new Module() {
            {
                registerModule("m", m);
            }

            @Override
            public Variable forward(Variable... in) {
                return body.forward(in);
            }

            @Override
            public Variable forward(Variable x) {
                return body.forward(x);
            }
        };
    }

    private static Map<String, Variable> prefix(Map<String, Variable> sub) {
        Map<String, Variable> r = new HashMap<>();
        for (Map.Entry<String, Variable> e : sub.entrySet()) {
            r.put("m." + e.getKey(), e.getValue());
        }
        return r;
    }

    static Variable weigh(Variable v, long seed) {
        return v.mul(Variable.constant(Tensor.randn(new Generator(seed), v.dtype(), v.shape())))
                .sum();
    }

    // ------------------------------------------------------------------------------------------ embedding

    @Test
    void embeddingPaddingAndPretrained() {
        Embedding e = new Embedding(5, 3, 1);
        assertTrue(e.weight().data().select(0, 1).equal(Tensor.zeros(3)), "padding row starts at zero");
        Tensor idx = Tensor.of(new int[] {1, 3, 1, 0}, 2, 2);
        Variable y = e.lookup(idx);
        assertArrayEquals(new int[] {2, 2, 3}, y.shape());
        y.sum().backward();
        Tensor g = e.weight().grad();
        assertTrue(g.select(0, 1).equal(Tensor.zeros(3)), "no gradient for the padding row");
        assertTrue(g.select(0, 3).equal(Tensor.ones(3)));
        assertTrue(g.select(0, 2).equal(Tensor.zeros(3)));

        Tensor vectors = Tensor.randn(new Generator(1), DType.FLOAT64, 4, 2);
        Embedding frozen = Embedding.fromPretrained(vectors, true);
        assertTrue(frozen.weight().data().equal(vectors));
        assertFalse(frozen.lookup(Tensor.of(new int[] {2})).requiresGrad(), "a frozen table gives constants");
        Embedding trainable = Embedding.fromPretrained(vectors, false, 0, Double.NaN);
        assertTrue(trainable.weight().data().select(0, 0).equal(vectors.select(0, 0)), "pretrained padding row kept");
        trainable.lookup(Tensor.of(new int[] {0, 2})).sum().backward();
        assertTrue(trainable.weight().grad().select(0, 2).equal(Tensor.ones(DType.FLOAT64, 2)));
        assertTrue(trainable.weight().grad().select(0, 0).equal(Tensor.zeros(DType.FLOAT64, 2)));

        IndexOutOfBoundsException oob =
                assertThrows(IndexOutOfBoundsException.class, () -> e.lookup(Tensor.of(new int[] {0, 5})));
        assertTrue(oob.getMessage().contains("index 5"), oob.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.lookup(Tensor.zeros(2)));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 3, 5));
        Embedding.fromPretrained(vectors, true).forward(Variable.constant(Tensor.of(new int[] {3})));
        // repeated rows accumulate; the padding row (2, by design without gradient) is not looked up here
        Embedding m = new Embedding(4, 2, 2);
        m.to(DType.FLOAT64);
        GradCheck.check(
                in -> weigh(
                        m.functionalCall(
                                Map.of("weight", in[0]), Variable.constant(Tensor.of(new int[] {0, 3, 3, 0, 1}, 5))),
                        3),
                vectors.clone());
    }

    // ------------------------------------------------------------------------------------------ time distributed

    @Test
    void timeDistributed() {
        Linear lin = new Linear(3, 2);
        lin.to(DType.FLOAT64);
        TimeDistributed td = new TimeDistributed(lin);
        assertEquals(
                List.of("module.weight", "module.bias"),
                new ArrayList<>(td.namedParameters().keySet()));
        Tensor x = Tensor.randn(new Generator(2), DType.FLOAT64, 2, 4, 3);
        Tensor y = td.forward(Variable.constant(x)).data();
        assertArrayEquals(new int[] {2, 4, 2}, y.shape());
        for (int t = 0; t < 4; t++) {
            assertClose(
                    lin.forward(Variable.constant(x.select(1, t))).data(), y.select(1, t), 1e-12, 1e-12, "step " + t);
        }
        // a module with a higher-rank input: (B, T, C, L) through Conv1d + Flatten
        Sequential conv = new Sequential(new Conv1d(2, 3, 2), new Flatten());
        conv.to(DType.FLOAT64);
        TimeDistributed frames = new TimeDistributed(conv);
        Tensor xs = Tensor.randn(new Generator(3), DType.FLOAT64, 2, 3, 2, 4);
        assertArrayEquals(
                new int[] {2, 3, 9}, frames.forward(Variable.constant(xs)).shape());
        gradCheckModule(frames, in -> weigh(frames.forward(in[0]), 4), xs);
        assertThrows(
                IllegalArgumentException.class, () -> td.forward(Variable.constant(Tensor.zeros(DType.FLOAT64, 2, 3))));
    }

    // ------------------------------------------------------------------------------------------ attention

    @Test
    void scaledDotProductGradients() {
        Generator g = new Generator(5);
        Tensor q = Tensor.randn(g, DType.FLOAT64, 2, 2, 3, 4);
        Tensor k = Tensor.randn(g, DType.FLOAT64, 2, 2, 5, 4);
        Tensor v = Tensor.randn(g, DType.FLOAT64, 2, 2, 5, 3);
        Tensor additive = Tensor.randn(g, DType.FLOAT64, 3, 5);
        Tensor blocked = Tensor.of(new int[] {0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0}, 3, 5);
        Tensor padding = Tensor.of(new int[] {0, 0, 0, 1, 1, 0, 0, 0, 0, 1}, 2, 5);
        GradCheck.check(in -> weigh(Attention.scaledDotProduct(in[0], in[1], in[2]), 1), q, k, v);
        GradCheck.check(
                in -> {
                    AttentionResult r =
                            Attention.scaledDotProduct(in[0], in[1], in[2], additive, padding, true, 0, null);
                    return weigh(r.output(), 1).add(weigh(r.weights(), 2));
                },
                q,
                k,
                v);
        GradCheck.check(
                in -> {
                    AttentionResult r = Attention.scaledDotProduct(
                            in[0], in[1], in[2], blocked, null, false, 0.3, new Generator(3));
                    return weigh(r.output(), 1).add(weigh(r.weights(), 2));
                },
                q,
                k,
                v);
    }

    @Test
    void attentionMasksAndCausality() {
        Generator g = new Generator(6);
        Tensor q = Tensor.randn(g, DType.FLOAT64, 2, 4, 3);
        Tensor k = Tensor.randn(g, DType.FLOAT64, 2, 4, 3);
        Tensor v = Tensor.randn(g, DType.FLOAT64, 2, 4, 3);
        Tensor padding = Tensor.of(new int[] {0, 0, 1, 1, 0, 0, 0, 0}, 2, 4);
        AttentionResult r = Attention.scaledDotProduct(
                Variable.constant(q), Variable.constant(k), Variable.constant(v), null, padding, true, 0, null);
        Tensor w = r.weights().data();
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 4; i++) {
                double sum = 0;
                for (int j = 0; j < 4; j++) {
                    double p = w.getDouble(b, i, j);
                    sum += p;
                    if (j > i || padding.getInt(b, j) != 0) {
                        assertEquals(0, p, 0, "masked weight (" + b + ", " + i + ", " + j + ")");
                    }
                }
                assertEquals(1, sum, 1e-12, "weights sum to one");
            }
        }
        // a fully masked query row gets zero weights and a zero output (not NaN)
        Tensor all = Tensor.ones(DType.INT32, 4, 4);
        AttentionResult none = Attention.scaledDotProduct(
                Variable.constant(q), Variable.constant(k), Variable.constant(v), all, null, false, 0, null);
        assertTrue(none.output().data().equal(Tensor.zeros(DType.FLOAT64, 2, 4, 3)));
        // dropout on the weights: each is dropped or scaled by 1 / (1 - p), the mask repeats with the seed
        AttentionResult kept = Attention.scaledDotProduct(
                Variable.constant(q), Variable.constant(k), Variable.constant(v), null, null, false, 0, null);
        AttentionResult dropped = Attention.scaledDotProduct(
                Variable.constant(q),
                Variable.constant(k),
                Variable.constant(v),
                null,
                null,
                false,
                0.5,
                new Generator(4));
        Tensor wk = kept.weights().data();
        Tensor wd = dropped.weights().data();
        int zeros = 0;
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    double d = wd.getDouble(b, i, j);
                    zeros += d == 0 ? 1 : 0;
                    assertTrue(d == 0 || Math.abs(d - 2 * wk.getDouble(b, i, j)) < 1e-15, "dropped or scaled: " + d);
                }
            }
        }
        assertTrue(zeros > 4 && zeros < 28, "about half dropped: " + zeros);
        assertClose(
                dropped.weights().data().matmul(v),
                dropped.output().data(),
                1e-12,
                1e-12,
                "output uses the dropped weights");
        assertTrue(
                wd.equal(Attention.scaledDotProduct(
                                Variable.constant(q),
                                Variable.constant(k),
                                Variable.constant(v),
                                null,
                                null,
                                false,
                                0.5,
                                new Generator(4))
                        .weights()
                        .data()),
                "same seed, same mask");
        // causal equals the explicit boolean upper-triangle mask
        Tensor tri = Tensor.ones(DType.INT32, 4, 4).triu(1);
        Variable causal = Attention.scaledDotProduct(
                Variable.constant(q), Variable.constant(k), Variable.constant(v), null, true);
        Variable explicit = Attention.scaledDotProduct(
                Variable.constant(q), Variable.constant(k), Variable.constant(v), tri, false);
        assertTrue(causal.data().equal(explicit.data()));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Attention.scaledDotProduct(
                        Variable.constant(q),
                        Variable.constant(k),
                        Variable.constant(v),
                        null,
                        Tensor.zeros(DType.INT32, 2, 3),
                        false,
                        0,
                        null));
        assertTrue(e.getMessage().contains("keyPaddingMask of shape (2, 3)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Attention.scaledDotProduct(
                        Variable.constant(q),
                        Variable.constant(Tensor.zeros(DType.FLOAT64, 2, 4, 2)),
                        Variable.constant(v)));
        assertTrue(e.getMessage().contains("query and key sizes differ"), e.getMessage());
    }

    @Test
    void multiheadAttentionGradientsAndLayout() {
        MultiheadAttention mha = new MultiheadAttention(4, 2, 0.2, true, true);
        mha.to(DType.FLOAT64);
        Generator g = new Generator(7);
        Tensor x = Tensor.randn(g, DType.FLOAT64, 2, 3, 4);
        Tensor kv = Tensor.randn(g, DType.FLOAT64, 2, 4, 4);
        Tensor padding = Tensor.of(new int[] {0, 0, 0, 1, 0, 1, 0, 0}, 2, 4);
        Tensor mask = Tensor.randn(g, DType.FLOAT64, 3, 4);
        gradCheckModule(
                mha,
                in -> {
                    AttentionResult r = mha.attend(in[0], in[1], in[1], padding, true, mask, false, false);
                    return weigh(r.output(), 1).add(weigh(r.weights(), 2));
                },
                x,
                kv);
        // time-first layout gives the transposed result
        MultiheadAttention tf = new MultiheadAttention(4, 2, 0, true, false);
        tf.to(DType.FLOAT64);
        tf.loadStateDict(mha.stateDict());
        mha.eval();
        Tensor a = mha.forward(Variable.constant(x)).data();
        Tensor b = tf.forward(Variable.constant(x.transpose(0, 1))).data();
        assertClose(a, b.transpose(0, 1), 1e-12, 1e-12, "time-first");
        assertEquals(
                List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                new ArrayList<>(mha.stateDict().keySet()));
        MultiheadAttention fresh = new MultiheadAttention(4, 2);
        assertTrue(fresh.parameter("in_proj_bias").data().equal(Tensor.zeros(12)), "in_proj_bias starts at zero");
        assertTrue(fresh.stateDict().get("out_proj.bias").equal(Tensor.zeros(4)), "out_proj.bias starts at zero");
        double bound = Math.sqrt(6.0 / (4 + 12));
        assertTrue(
                fresh.parameter("in_proj_weight").data().abs().max().item() <= bound, "Xavier uniform in_proj_weight");
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(6, 4));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> mha.attend(
                        Variable.constant(x),
                        Variable.constant(x),
                        Variable.constant(x),
                        null,
                        false,
                        Tensor.zeros(DType.INT32, 2, 2),
                        true,
                        false));
        assertTrue(e.getMessage().contains("attnMask of shape (2, 2)"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------ transformer

    @Test
    void transformerLayerGradients() {
        Generator g = new Generator(8);
        Tensor x = Tensor.randn(g, DType.FLOAT64, 2, 3, 4);
        Tensor padding = Tensor.of(new int[] {0, 0, 0, 0, 0, 1}, 2, 3);
        for (boolean normFirst : new boolean[] {false, true}) {
            for (String act : new String[] {"relu", "gelu"}) {
                TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, 6, 0.2, act, 1e-5, true, normFirst);
                layer.to(DType.FLOAT64);
                gradCheckModule(layer, in -> weigh(layer.forward(in[0], null, padding, true), 3), x);
            }
        }
        TransformerEncoder enc = new TransformerEncoder(
                () -> new TransformerEncoderLayer(4, 2, 6, 0.1, "gelu", 1e-5, true, true), 2, new LayerNorm(4));
        enc.to(DType.FLOAT64);
        assertTrue(enc.stateDict().containsKey("layers.1.self_attn.out_proj.weight"));
        assertTrue(enc.stateDict().containsKey("norm.bias"));
        gradCheckModule(enc, in -> weigh(enc.forward(in[0], null, null, true), 4), x);
    }

    @Test
    void transformerLayerNames() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, 16, 0.1, "relu", 1e-5, true, false);
        assertEquals(
                List.of(
                        "self_attn.in_proj_weight",
                        "self_attn.in_proj_bias",
                        "self_attn.out_proj.weight",
                        "self_attn.out_proj.bias",
                        "linear1.weight",
                        "linear1.bias",
                        "linear2.weight",
                        "linear2.bias",
                        "norm1.weight",
                        "norm1.bias",
                        "norm2.weight",
                        "norm2.bias"),
                new ArrayList<>(layer.stateDict().keySet()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new TransformerEncoderLayer(8, 2, 16, 0.1, "tanh", 1e-5, true, false));
    }

    @Test
    void causalLanguageModel() {
        CausalTransformerLM lm = new CausalTransformerLM(11, 8, 8, 2, 2, 16, 0.0);
        lm.to(DType.FLOAT64);
        Tensor tokens = Tensor.of(new int[] {1, 4, 2, 7, 3, 9, 0, 5, 6, 2, 2, 1}, 2, 6);
        Tensor logits = lm.logits(tokens).data();
        assertArrayEquals(new int[] {2, 6, 11}, logits.shape());
        // causality: changing the tokens after position t leaves the logits up to t unchanged
        Tensor changed = tokens.clone();
        changed.set(10, 0, 4);
        changed.set(3, 0, 5);
        Tensor logits2 = lm.logits(changed).data();
        assertTrue(logits.narrow(1, 0, 4).equal(logits2.narrow(1, 0, 4)), "earlier positions do not see later tokens");
        assertFalse(logits.narrow(1, 4, 1).equal(logits2.narrow(1, 4, 1)));
        assertTrue(logits.select(0, 1).equal(logits2.select(0, 1)), "other sequences are unaffected");
        int[] a = lm.generate(new int[] {1, 2}, 10, 0, new Generator(1));
        int[] b = lm.generate(new int[] {1, 2}, 10, 0, new Generator(2));
        assertArrayEquals(a, b, "greedy decoding is deterministic");
        assertEquals(12, a.length);
        int[] s = lm.generate(new int[] {3}, 9, 1.0, new Generator(3));
        for (int t : s) {
            assertTrue(t >= 0 && t < 11);
        }
        assertTrue(lm.isTraining(), "generate restores the training mode");
        assertNull(lm.namedParameters().get("head.bias"));
        assertTrue(lm.namedParameters().containsKey("encoder.layers.1.linear2.weight"));
    }

    @Test
    void causalLanguageModelLearnsAPattern() {
        // a fixed cyclic sequence of 7 tokens: each token determines the next
        int[] cycle = {3, 0, 4, 1, 5, 2, 6};
        CausalTransformerLM lm = new CausalTransformerLM(7, 16, 16, 2, 1, 32, 0.0);
        lm.resetParameters(new Generator(21));
        io.jgrad.optim.Adam opt = new io.jgrad.optim.Adam(lm.parameters(), 0.01);
        Generator g = new Generator(22);
        double loss = Double.NaN;
        for (int step = 0; step < 60; step++) {
            int[] x = new int[8 * 16];
            int[] y = new int[8 * 16];
            for (int b = 0; b < 8; b++) {
                int s = g.nextInt(7);
                for (int t = 0; t < 16; t++) {
                    x[b * 16 + t] = cycle[(s + t) % 7];
                    y[b * 16 + t] = cycle[(s + t + 1) % 7];
                }
            }
            Variable logits = lm.logits(Tensor.of(x, 8, 16));
            Variable l = Losses.crossEntropy(logits.reshape(-1, 7), Tensor.of(y, 8 * 16));
            lm.zeroGrad();
            l.backward();
            opt.step();
            loss = l.item();
        }
        assertTrue(loss < 0.1, "the pattern is learned (log 7 = 1.95 at the start): " + loss);
        int[] out = lm.generate(new int[] {4}, 10, 0, g);
        int[] position = new int[7];
        for (int i = 0; i < 7; i++) {
            position[cycle[i]] = i;
        }
        for (int t = 1; t < out.length; t++) {
            assertEquals(
                    cycle[(position[out[t - 1]] + 1) % 7],
                    out[t],
                    "greedy generation continues the cycle at step " + t);
        }
    }

    @Test
    void positionalEmbeddings() {
        LearnedPositionalEmbedding pos = new LearnedPositionalEmbedding(6, 3);
        pos.to(DType.FLOAT64);
        Tensor x = Tensor.randn(new Generator(9), DType.FLOAT64, 2, 4, 3);
        Tensor y = pos.forward(Variable.constant(x), 2).data();
        assertClose(x.add(pos.weight().data().narrow(0, 2, 4)), y, 1e-15, 0, "offset positions");
        assertThrows(IllegalArgumentException.class, () -> pos.forward(Variable.constant(x), 3));
        gradCheckModule(pos, in -> weigh(pos.forward(in[0]), 5), x);
        PositionalEncoding pe = new PositionalEncoding(3, 5, 0, false);
        Tensor xt = Tensor.zeros(DType.FLOAT64, 4, 2, 3);
        Tensor yt = pe.forward(Variable.constant(xt)).data();
        assertClose(PositionalEncoding.table(4, 3), yt.select(1, 1), 1e-15, 0, "time-first encodings");
        assertThrows(
                IllegalArgumentException.class,
                () -> pe.forward(Variable.constant(Tensor.zeros(DType.FLOAT64, 6, 2, 3))));
    }

    @org.junit.jupiter.api.Test
    void convLstm2dFollowsItsEquations() {
        io.jgrad.core.Generator g = new io.jgrad.core.Generator(21);
        ConvLSTM2d seq = new ConvLSTM2d(2, 3, 3);
        seq.resetParameters(g);
        ConvLSTM2d last = new ConvLSTM2d(2, 3, 3, false);
        last.loadStateDict(seq.stateDict());
        io.jgrad.core.Tensor x = io.jgrad.core.Tensor.randn(g, 2, 4, 2, 5, 6);
        Variable all = seq.forward(Variable.constant(x));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 4, 3, 5, 6}, all.shape());
        Variable h = last.forward(Variable.constant(x));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 3, 5, 6}, h.shape());
        org.junit.jupiter.api.Assertions.assertTrue(all.data().select(1, 3).allClose(h.data(), 0, 0));
        // one step by hand at one pixel, for a 1x1 kernel: the LSTM cell equations per pixel
        ConvLSTM2d p = new ConvLSTM2d(1, 1, 1);
        p.parameter("weight_ih")
                .data()
                .copy_(io.jgrad.core.Tensor.of(new float[] {0.5f, -0.3f, 0.8f, 0.2f})
                        .reshape(4, 1, 1, 1));
        p.parameter("weight_hh")
                .data()
                .copy_(io.jgrad.core.Tensor.of(new float[] {0.1f, 0.4f, -0.6f, 0.7f})
                        .reshape(4, 1, 1, 1));
        p.parameter("bias").data().copy_(io.jgrad.core.Tensor.of(new float[] {0.05f, 1f, -0.1f, 0.2f}));
        float x0 = 0.9f;
        float x1 = -0.4f;
        Variable out = p.forward(
                Variable.constant(io.jgrad.core.Tensor.of(new float[] {x0, x1}).reshape(1, 2, 1, 1, 1)));
        double hPrev = 0;
        double c = 0;
        double[] wi = {0.5, -0.3, 0.8, 0.2};
        double[] wh = {0.1, 0.4, -0.6, 0.7};
        double[] bb = {0.05, 1, -0.1, 0.2};
        double[] xs = {x0, x1};
        for (int t = 0; t < 2; t++) {
            double[] a = new double[4];
            for (int k = 0; k < 4; k++) {
                a[k] = wi[k] * xs[t] + bb[k] + wh[k] * hPrev;
            }
            c = sig(a[1]) * c + sig(a[0]) * Math.tanh(a[2]);
            hPrev = sig(a[3]) * Math.tanh(c);
            org.junit.jupiter.api.Assertions.assertEquals(hPrev, out.data().getDouble(0, t, 0, 0, 0), 1e-6);
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> seq.forward(Variable.constant(io.jgrad.core.Tensor.zeros(2, 4, 3, 5, 6))));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("(2, 4, 3, 5, 6)"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ConvLSTM2d(2, 3, 2));
    }

    private static double sig(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
