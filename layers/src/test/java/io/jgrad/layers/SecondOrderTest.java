package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.GradCheck;
import io.jgrad.autograd.Variable;
import io.jgrad.autograd.fused.BatchNormFunction;
import io.jgrad.autograd.fused.CrossEntropyFunction;
import io.jgrad.autograd.fused.EmbeddingLookup;
import io.jgrad.autograd.fused.MaskedSoftmax;
import io.jgrad.autograd.fused.RowNormFunction;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Second order through the fused functions of this module (layer norm, batch norm, cross entropy and
 * NLL, BCE, the attention's masked softmax, the embedding lookup): their composed definitions give
 * the forward's values, first-order gradients equal to the fused ones, gradients that pass
 * {@link GradCheck#checkSecondOrder} in FLOAT64, and in FLOAT32 second-order quantities that agree
 * with FLOAT64 within float tolerance. Also the attention layers to second order.
 */
class SecondOrderTest {
    /** A function of FLOAT64 (or FLOAT32) inputs; the inputs are given in FLOAT64. */
    record Case(String name, Function<Variable[], Variable> f, Tensor... inputs) {}

    private static Tensor randn(Generator g, int... shape) {
        return Tensor.randn(g, DType.FLOAT64, shape);
    }

    /** The constant {@code t} in the dtype of {@code like}. */
    private static Tensor as(Tensor t, Variable like) {
        return t == null ? null : t.to(like.dtype());
    }

    static List<Case> cases() {
        Generator g = new Generator(21);
        List<Case> l = new ArrayList<>();
        l.add(new Case(
                "layerNorm",
                in -> Functional.layerNorm(in[0], new int[] {4}, in[1], in[2], 1e-5),
                randn(g, 2, 3, 4),
                randn(g, 4).mul(0.5).add(1),
                randn(g, 4)));
        l.add(new Case(
                "layerNorm2d",
                in -> Functional.layerNorm(in[0], new int[] {2, 3}, in[1], null, 1e-5),
                randn(g, 2, 2, 3),
                randn(g, 2, 3).mul(0.5).add(1)));
        l.add(new Case(
                "layerNormNoAffine",
                in -> Functional.layerNorm(in[0], new int[] {5}, null, null, 1e-5),
                randn(g, 3, 5)));
        l.add(new Case(
                "groupNorm",
                in -> Functional.groupNorm(in[0], 2, in[1], in[2], 1e-5),
                randn(g, 2, 4, 3),
                randn(g, 4).mul(0.5).add(1),
                randn(g, 4)));
        l.add(new Case(
                "batchNormBatchStats",
                in -> Functional.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5),
                randn(g, 4, 3, 2),
                randn(g, 3).mul(0.5).add(1),
                randn(g, 3)));
        l.add(new Case(
                "batchNormBatchStatsBiasOnly",
                in -> Functional.batchNorm(in[0], null, null, null, in[1], true, 0.1, 1e-5),
                randn(g, 5, 2),
                randn(g, 2)));
        Tensor rm = randn(g, 3).mul(0.3);
        Tensor rv = Tensor.rand(g, DType.FLOAT64, 3).add(0.5);
        l.add(new Case(
                "batchNormRunningStats",
                in -> Functional.batchNorm(in[0], as(rm, in[0]), as(rv, in[0]), in[1], in[2], false, 0.1, 1e-5),
                randn(g, 3, 3, 2, 2),
                randn(g, 3).mul(0.5).add(1),
                randn(g, 3)));
        l.add(new Case(
                "batchNormRunningStatsNoAffine",
                in -> Functional.batchNorm(in[0], as(rm, in[0]), as(rv, in[0]), null, null, false, 0.1, 1e-5)
                        .tanh(),
                randn(g, 2, 3)));
        Tensor labels = Tensor.of(new int[] {0, 3, -100, 2, 3});
        Tensor labelsIgnore2 = Tensor.of(new int[] {0, 3, 2, 2, 1});
        Tensor w = Tensor.of(new double[] {0.5, 2, 1.5, 0.7});
        for (Reduction r : new Reduction[] {Reduction.NONE, Reduction.SUM, Reduction.MEAN}) {
            String s = r.name().toLowerCase(Locale.ROOT);
            l.add(new Case(
                    "crossEntropy_" + s, in -> Losses.crossEntropy(in[0], labels, null, -100, 0, r), randn(g, 5, 4)));
            l.add(new Case(
                    "crossEntropyWeightedSmoothed_" + s,
                    in -> Losses.crossEntropy(in[0], labels, as(w, in[0]), -100, 0.2, r),
                    randn(g, 5, 4)));
            l.add(new Case(
                    "crossEntropyIgnore2Smoothed_" + s,
                    in -> Losses.crossEntropy(in[0], labelsIgnore2, null, 2, 0.1, r),
                    randn(g, 5, 4)));
            l.add(new Case(
                    "nll_" + s, in -> Losses.nll(in[0].logSoftmax(1), labels, as(w, in[0]), -100, r), randn(g, 5, 4)));
            l.add(new Case(
                    "bce_" + s,
                    in -> Losses.bce(in[0].sigmoid(), in[1], as(w, in[0]).reshape(1, 4), r),
                    randn(g, 3, 4),
                    Tensor.rand(g, DType.FLOAT64, 3, 4)));
        }
        l.add(new Case(
                "crossEntropySpatial",
                in -> Losses.crossEntropy(
                        in[0], Tensor.of(new int[] {0, 2, -100, 1}, 2, 2), null, -100, 0.1, Reduction.MEAN),
                randn(g, 2, 3, 2)));
        // attention: key 0 of batch 1 is padding, so its causal query 0 has no key left (a zero row)
        Tensor pad = Tensor.of(new int[] {0, 0, 1, 1, 0, 0}, 2, 3);
        Tensor blockMask = Tensor.of(new int[] {0, 0, 1, 0, 0, 0, 0, 0, 0}, 3, 3);
        Tensor addMask = Tensor.of(
                new double[] {0.3, Double.NEGATIVE_INFINITY, -0.5, 0, 0.2, Double.NEGATIVE_INFINITY, 1, -1, 0}, 3, 3);
        l.add(new Case(
                "attention",
                in -> Attention.scaledDotProduct(in[0], in[1], in[2]),
                randn(g, 2, 3, 2),
                randn(g, 2, 3, 2),
                randn(g, 2, 3, 2)));
        // without masks, dropout or weights: the fused scaledDotProductAttention
        l.add(new Case(
                "attentionCausal",
                in -> Attention.scaledDotProduct(in[0], in[1], in[2], null, true),
                randn(g, 2, 3, 2),
                randn(g, 2, 4, 2),
                randn(g, 2, 4, 3)));
        l.add(new Case(
                "attentionCausalPadding",
                in -> Attention.scaledDotProduct(in[0], in[1], in[2], null, pad, true, 0, null)
                        .output(),
                randn(g, 2, 3, 2),
                randn(g, 2, 3, 2),
                randn(g, 2, 3, 2)));
        l.add(new Case(
                "attentionBlockingMask",
                in -> Attention.scaledDotProduct(in[0], in[1], in[2], blockMask, false),
                randn(g, 2, 3, 2),
                randn(g, 2, 3, 2),
                randn(g, 2, 3, 2)));
        l.add(new Case(
                "attentionAdditiveMask",
                in -> Attention.scaledDotProduct(in[0], in[1], in[2], as(addMask, in[0]), false),
                randn(g, 1, 3, 2),
                randn(g, 1, 3, 2),
                randn(g, 1, 3, 3)));
        l.add(new Case(
                "attentionDropout",
                in -> Attention.scaledDotProduct(in[0], in[1], in[2], null, pad, false, 0.3, new Generator(11))
                        .output(),
                randn(g, 2, 3, 2),
                randn(g, 2, 3, 2),
                randn(g, 2, 3, 2)));
        l.add(new Case(
                "attentionWeights",
                in -> Attention.scaledDotProduct(in[0], in[1], in[2], blockMask, pad, true, 0, null)
                        .weights(),
                randn(g, 2, 3, 2),
                randn(g, 2, 3, 2),
                randn(g, 2, 3, 2)));
        int[] idx = {0, 2, 1, 2, 4, 1};
        l.add(new Case(
                "embedding",
                in -> new EmbeddingLookup(idx, -1, new int[] {2, 3, 3})
                        .apply(in[0])
                        .tanh(),
                randn(g, 5, 3)));
        l.add(new Case(
                "embeddingPadding",
                in -> new EmbeddingLookup(idx, 1, new int[] {6, 3}).apply(in[0]).tanh(),
                randn(g, 5, 3)));
        return l;
    }

    // ------------------------------------------------------------------------------------------ FLOAT64 checks

    @TestFactory
    Stream<DynamicTest> secondOrderGradCheck() {
        return cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> GradCheck.checkSecondOrder(c.f(), c.inputs())));
    }

    /** The gradients of the composed definitions (create-graph) equal the fused first-order ones. */
    @TestFactory
    Stream<DynamicTest> composedGradientEqualsFused() {
        return cases().stream()
                .flatMap(c -> Stream.of(DType.FLOAT64, DType.FLOAT32)
                        .map(dt -> DynamicTest.dynamicTest(c.name() + "_" + dt, () -> {
                            Tensor[] ins = convert(c.inputs(), dt);
                            Tensor v = Tensor.randn(
                                    new Generator(5), dt, eval(c.f(), ins).shape());
                            Tensor[] fused = firstOrder(c.f(), ins, v, false);
                            Tensor[] composed = firstOrder(c.f(), ins, v, true);
                            double tol = dt == DType.FLOAT64 ? 1e-12 : 2e-6;
                            assertClose(c.name() + " " + dt, fused, composed, tol, tol);
                        })));
    }

    // ------------------------------------------------------------------------------------------ FLOAT32

    /**
     * The gradient of {@code sum_i |d<f, v>/d in_i|^2} with respect to the inputs (a second-order
     * quantity: Hessian-vector products), computed in FLOAT32 through the fused float32 forwards and
     * the composed float32 definitions, agrees with the same in FLOAT64.
     */
    @TestFactory
    Stream<DynamicTest> float32SecondOrderMatchesFloat64() {
        return cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    Tensor[] in32 = convert(c.inputs(), DType.FLOAT32);
                    Tensor[] in64 = convert(in32, DType.FLOAT64); // the same values
                    Tensor v32 = Tensor.randn(
                            new Generator(6), DType.FLOAT32, eval(c.f(), in32).shape());
                    Tensor[] h32 = secondOrder(c.f(), in32, v32);
                    Tensor[] h64 = secondOrder(c.f(), in64, v32.to(DType.FLOAT64));
                    for (Tensor h : h32) {
                        assertTrue(h.dtype() == DType.FLOAT32, c.name() + ": the float32 computation stays float32");
                    }
                    assertClose(c.name() + " float32 vs float64", h64, h32, 1e-4, 1e-3);
                }));
    }

    /**
     * Under anomaly detection (every recorded value must be finite), the second order through masked
     * attention with a query whose keys are all blocked: the composed definition produces no NaN.
     */
    @Test
    void maskedAttentionWithABlockedRowIsFiniteUnderAnomalyDetection() {
        for (Case c : cases()) {
            if (c.name().startsWith("attention")) {
                for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                    Tensor[] ins = convert(c.inputs(), dt);
                    Tensor[] h;
                    try (var on = Autograd.detectAnomaly()) {
                        h = secondOrder(
                                c.f(),
                                ins,
                                Tensor.randn(
                                        new Generator(4), dt, eval(c.f(), ins).shape()));
                    }
                    for (Tensor t : h) {
                        for (double d : t.toDoubleArray()) {
                            assertTrue(Double.isFinite(d), c.name() + " " + dt + ": finite second-order gradients");
                        }
                    }
                }
            }
        }
    }

    /** BCE at probabilities 0 and 1 (clamped logs): finite second-order gradients, no NaN. */
    @Test
    void bceAtTheClampedEndsIsFinite() {
        Tensor p = Tensor.of(new double[] {0, 1, 0.3, 1, 0});
        Tensor y = Tensor.of(new double[] {0, 1, 0.6, 0.2, 0.9});
        Tensor v = Tensor.of(new double[] {1, -2, 0.5, 1.5, 0.7});
        Tensor[] h = secondOrder(in -> Losses.bce(in[0], in[1], null, Reduction.NONE), new Tensor[] {p, y}, v);
        for (Tensor t : h) {
            for (double d : t.toDoubleArray()) {
                assertTrue(Double.isFinite(d), "finite second-order gradients of bce at p = 0 and 1");
            }
        }
        // inside (0, 1) the first-order gradients with and without recording agree
        Tensor[] fused =
                firstOrder(in -> Losses.bce(in[0], in[1], null, Reduction.NONE), new Tensor[] {p, y}, v, false);
        Tensor[] composed =
                firstOrder(in -> Losses.bce(in[0], in[1], null, Reduction.NONE), new Tensor[] {p, y}, v, true);
        for (int i = 0; i < 2; i++) {
            assertClose(
                    "bce at p = 0.3",
                    new Tensor[] {fused[i].narrow(0, 2, 1)},
                    new Tensor[] {composed[i].narrow(0, 2, 1)},
                    1e-12,
                    1e-12);
        }
    }

    // ------------------------------------------------------------------------------------------ composed = forward

    @Test
    void composedDefinitionsEqualForwards() {
        Generator g = new Generator(31);
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double tol = dt == DType.FLOAT64 ? 1e-12 : 2e-6;
            Variable x = new Variable(Tensor.randn(g, dt, 3, 2, 4).mul(2).add(1));
            Variable w4 = new Variable(Tensor.randn(g, dt, 4));
            Variable b4 = new Variable(Tensor.randn(g, dt, 4));
            RowNormFunction rn = new RowNormFunction(4, 1e-5, true, true);
            same("layerNorm " + dt, rn.apply(x, w4, b4), rn.composedForward(x, w4, b4), tol);
            RowNormFunction rn0 = new RowNormFunction(8, 1e-5, false, false);
            same("rowNorm " + dt, rn0.apply(x), rn0.composedForward(x), tol);
            RowNormFunction rnb = new RowNormFunction(4, 0.1, false, true);
            same("rowNormBias " + dt, rnb.apply(x, b4), rnb.composedForward(x, b4), tol);

            Variable w2 = new Variable(Tensor.randn(g, dt, 2));
            Variable b2 = new Variable(Tensor.randn(g, dt, 2));
            BatchNormFunction bn = new BatchNormFunction(3, 2, 4, 1e-5, null, null, true, true);
            same("batchNorm " + dt, bn.apply(x, w2, b2), bn.composedForward(x, w2, b2), tol);
            BatchNormFunction bnw = new BatchNormFunction(3, 2, 4, 1e-5, null, null, true, false);
            same("batchNormWeightOnly " + dt, bnw.apply(x, w2), bnw.composedForward(x, w2), tol);
            double[] rm = {0.2, -0.4};
            double[] rv = {0.8, 1.7};
            BatchNormFunction bnr = new BatchNormFunction(3, 2, 4, 1e-3, rm, rv, true, true);
            same("batchNormRunning " + dt, bnr.apply(x, w2, b2), bnr.composedForward(x, w2, b2), tol);
            BatchNormFunction bnr0 = new BatchNormFunction(3, 2, 4, 1e-3, rm, rv, false, false);
            same("batchNormRunningNoAffine " + dt, bnr0.apply(x), bnr0.composedForward(x), tol);

            Variable logits = new Variable(Tensor.randn(g, dt, 5, 4).mul(3));
            Tensor target = Tensor.of(new int[] {1, -100, 3, 0, 3});
            Tensor weight = Tensor.of(new double[] {0.5, 2, 1.5, 0.7}).to(dt);
            for (Reduction r : new Reduction[] {Reduction.NONE, Reduction.SUM, Reduction.MEAN}) {
                for (boolean nll : new boolean[] {false, true}) {
                    for (double eps : nll ? new double[] {0} : new double[] {0, 0.15}) {
                        for (Tensor wt : new Tensor[] {null, weight}) {
                            CrossEntropyFunction ce = new CrossEntropyFunction(
                                    target, wt, -100, eps, CrossEntropyFunction.Reduction.valueOf(r.name()), nll);
                            same(
                                    "crossEntropy nll=" + nll + " eps=" + eps + " weighted=" + (wt != null) + " " + r
                                            + " " + dt,
                                    ce.apply(logits),
                                    ce.composedForward(logits),
                                    tol * 10);
                        }
                    }
                }
            }

            // scores (B=2, Lq=3, Lk=3); batch 1's query 0 has no key (padding and causal): a zero row
            int[] ss = {2, 3, 3};
            Variable s = new Variable(Tensor.randn(g, dt, ss).mul(2));
            Tensor pad = Tensor.of(new int[] {0, 0, 1, 1, 0, 0}, 2, 1, 3).expand(ss);
            Tensor add = Tensor.of(new double[] {0.3, Double.NEGATIVE_INFINITY, -0.5, 0, 0.2, 0, 1, -1, 0}, 3, 3)
                    .to(dt)
                    .expand(ss);
            for (double p : new double[] {0, 0.4}) {
                for (boolean causal : new boolean[] {false, true}) {
                    MaskedSoftmax ms = new MaskedSoftmax(0.7, List.of(pad, add), causal, p, new Generator(3));
                    Variable y = ms.apply(s);
                    Variable yc = ms.composedForward(s);
                    same("maskedSoftmax dropout=" + p + " causal=" + causal + " " + dt, y, yc, tol);
                    for (double d : yc.data().toDoubleArray()) {
                        assertFalse(Double.isNaN(d), "no NaN in the composed weights");
                    }
                }
            }
            Variable table = new Variable(Tensor.randn(g, dt, 5, 3));
            int[] idx = {4, 1, 1, 0, 3, 2};
            for (int padding : new int[] {-1, 1}) {
                EmbeddingLookup lk = new EmbeddingLookup(idx, padding, new int[] {3, 2, 3});
                same("embedding padding=" + padding + " " + dt, lk.apply(table), lk.composedForward(table), 0);
            }
        }
    }

    /** Rows renormalized in place by maxNorm are constants of the lookup, at first and second order. */
    @Test
    void embeddingMaxNormSecondOrder() {
        Embedding e = new Embedding(6, 3, 2, 1.5, 2);
        e.to(DType.FLOAT64);
        Tensor idx = Tensor.of(new int[] {0, 3, 2, 3, 5}, 5);
        e.weight()
                .data()
                .copy_(Tensor.randn(new Generator(8), DType.FLOAT64, 6, 3).mul(2));
        Variable y = e.lookup(idx); // renormalizes rows 0, 3 and 5 (when above 1.5) in place
        for (int r : new int[] {0, 3, 5}) {
            assertTrue(
                    e.weight().data().select(0, r).norm(2, null, false).item() <= 1.5 + 1e-9,
                    "row " + r + " renormalized");
        }
        Tensor v = Tensor.randn(new Generator(9), DType.FLOAT64, 5, 3);
        Variable s = y.tanh().mul(Variable.constant(v)).sum();
        Variable gw = Autograd.grad(List.of(s), List.of((Variable) e.weight()), null, true, true)
                .get(0);
        Tensor fused = Autograd.grad(
                        List.of(e.lookup(idx).tanh().mul(Variable.constant(v)).sum()),
                        List.of((Variable) e.weight()),
                        null,
                        false,
                        false)
                .get(0)
                .data();
        assertClose("embedding maxNorm", new Tensor[] {fused}, new Tensor[] {gw.data()}, 1e-12, 1e-12);
        // the padding row gets no gradient, and the second-order term neither
        Tensor h = Autograd.grad(List.of(gw.square().sum()), List.of((Variable) e.weight()), null, false, false)
                .get(0)
                .data();
        assertArrayEquals(new double[3], gw.data().select(0, 2).toDoubleArray());
        assertArrayEquals(new double[3], h.select(0, 2).toDoubleArray());
        // (rows now within maxNorm are no longer changed: finite differences apply)
        GradCheck.checkSecondOrder(
                in -> e.functionalCall(Map.of("weight", in[0]), Variable.constant(idx))
                        .tanh(),
                e.weight().data().mul(0.4));
    }

    // ------------------------------------------------------------------------------------------ attention layers

    /** A module calling its child's masked attention forward. */
    static final class Masked extends Module {
        private final Module inner;
        private final Tensor padding;
        private final boolean causal;

        Masked(Module inner, Tensor padding, boolean causal) {
            this.inner = registerModule("inner", inner);
            this.padding = padding;
            this.causal = causal;
        }

        @Override
        public Variable forward(Variable x) {
            if (inner instanceof MultiheadAttention m) {
                return m.attend(x, x, x, padding, false, null, true, causal).output();
            }
            return ((TransformerEncoderLayer) inner).forward(x, null, padding, causal);
        }
    }

    @TestFactory
    Stream<DynamicTest> attentionLayersSecondOrder() {
        Tensor pad = Tensor.of(new int[] {0, 0, 1, 1, 0, 0}, 2, 3);
        List<LayerGradCheckTest.Case> l = List.of(
                LayerGradCheckTest.c("MultiheadAttention", () -> new MultiheadAttention(4, 2), 2, 3, 4),
                LayerGradCheckTest.c(
                        "MultiheadAttentionMaskedDropout",
                        () -> new Masked(new MultiheadAttention(4, 2, 0.25, true, true), pad, true),
                        2,
                        3,
                        4),
                LayerGradCheckTest.c(
                        "MultiheadAttentionSequenceFirst",
                        () -> new Masked(new MultiheadAttention(4, 2, 0, false, false), null, true),
                        3,
                        2,
                        4),
                LayerGradCheckTest.c(
                        "TransformerEncoderLayer",
                        () -> new TransformerEncoderLayer(4, 2, 6, 0, "gelu", 1e-5, true, false),
                        2,
                        3,
                        4),
                LayerGradCheckTest.c(
                        "TransformerEncoderLayerPreNormMaskedDropout",
                        () -> new Masked(
                                new TransformerEncoderLayer(4, 2, 6, 0.2, "gelu", 1e-5, true, true), pad, true),
                        2,
                        3,
                        4),
                LayerGradCheckTest.c(
                        "TransformerEncoderLayerRelu",
                        () -> new Masked(
                                new TransformerEncoderLayer(4, 1, 5, 0, "relu", 1e-5, true, false), pad, false),
                        2,
                        3,
                        4));
        return l.stream()
                .flatMap(c -> Stream.of(true, false)
                        .map(train -> DynamicTest.dynamicTest(
                                c.name() + (train ? "_train" : "_eval"),
                                () -> LayerGradCheckTest.check(c.make().get(), train, true, c.inputShape()))));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static Tensor[] convert(Tensor[] ts, DType dt) {
        Tensor[] r = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            r[i] = ts[i].to(dt).contiguous().clone();
        }
        return r;
    }

    private static Variable[] leaves(Tensor[] ts) {
        Variable[] vs = new Variable[ts.length];
        for (int i = 0; i < ts.length; i++) {
            vs[i] = new Variable(ts[i], true);
        }
        return vs;
    }

    private static Tensor eval(Function<Variable[], Variable> f, Tensor[] ins) {
        try (var off = Autograd.noGrad()) {
            return f.apply(leaves(ins)).data();
        }
    }

    /** The gradients of {@code <f(ins), v>}, fused ({@code create} false) or through the composed definitions. */
    private static Tensor[] firstOrder(Function<Variable[], Variable> f, Tensor[] ins, Tensor v, boolean create) {
        Variable[] xs = leaves(ins);
        Variable s = f.apply(xs).mul(Variable.constant(v)).sum();
        List<Variable> gs = Autograd.grad(List.of(s), List.of(xs), null, create, create);
        Tensor[] r = new Tensor[gs.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = gs.get(i).data();
        }
        return r;
    }

    /** The gradient of {@code sum_i |d<f(ins), v>/d ins_i|^2} with respect to the inputs. */
    private static Tensor[] secondOrder(Function<Variable[], Variable> f, Tensor[] ins, Tensor v) {
        Variable[] xs = leaves(ins);
        Variable s = f.apply(xs).mul(Variable.constant(v)).sum();
        List<Variable> gs = Autograd.grad(List.of(s), List.of(xs), null, true, true);
        Variable q = null;
        for (Variable gi : gs) {
            if (gi.requiresGrad()) {
                Variable t = gi.square().sum();
                q = q == null ? t : q.add(t);
            }
        }
        if (q == null) {
            fail("no first-order gradient depends on the inputs");
        }
        List<Variable> hs = Autograd.grad(List.of(q), List.of(xs), null, false, false);
        Tensor[] r = new Tensor[hs.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = hs.get(i).data();
        }
        return r;
    }

    private static void same(String what, Variable expected, Variable actual, double tol) {
        assertClose(what, new Tensor[] {expected.data()}, new Tensor[] {actual.data()}, tol, tol);
    }

    /**
     * Each {@code actual[i]} within {@code atol * scale + rtol * |expected|} of {@code expected[i]},
     * with {@code scale} the largest magnitude in {@code expected[i]}.
     */
    private static void assertClose(String what, Tensor[] expected, Tensor[] actual, double atol, double rtol) {
        assertTrue(expected.length == actual.length, what + ": counts differ");
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i].shape(), actual[i].shape(), what + ": shapes of input " + i);
            double[] e = expected[i].contiguous().toDoubleArray();
            double[] a = actual[i].contiguous().toDoubleArray();
            double scale = 0;
            for (double d : e) {
                scale = Math.max(scale, Math.abs(d));
            }
            for (int j = 0; j < e.length; j++) {
                double tol = atol * scale + rtol * Math.abs(e[j]);
                if (!(Math.abs(a[j] - e[j]) <= tol) && !(e[j] == a[j])) {
                    fail(String.format(
                            Locale.ROOT,
                            "%s: input %d element %d: expected %.10g, got %.10g (scale %.3g)",
                            what,
                            i,
                            j,
                            e[j],
                            a[j],
                            scale));
                }
            }
        }
    }
}
