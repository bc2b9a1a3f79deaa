package io.jgrad.layers;

import static io.jgrad.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import io.jgrad.testing.Fixtures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every loss, each reduction and option, equals PyTorch's value and input gradients (fixtures from
 * {@code src/test/python/make_layer_fixtures.py} and, for the contrastive and distillation losses,
 * {@code make_metric_fixtures.py}), in FLOAT64 and FLOAT32; extreme logits give
 * PyTorch's finite values.
 */
class LossParityTest {
    /** A loss of the fixture's differentiable inputs {@code in} and constants {@code c}. */
    interface LossFn extends BiFunction<Variable[], Map<String, Tensor>, Variable> {}

    static Map<String, LossFn> cases() {
        Map<String, LossFn> m = new LinkedHashMap<>();
        for (Reduction r : new Reduction[] {Reduction.NONE, Reduction.MEAN, Reduction.SUM}) {
            String s = r.name().toLowerCase(java.util.Locale.ROOT);
            m.put("mse_" + s, (in, c) -> Losses.mse(in[0], in[1], r));
            m.put("l1_" + s, (in, c) -> Losses.l1(in[0], in[1], r));
            m.put("huber_" + s, (in, c) -> Losses.huber(in[0], in[1], 0.5, r));
            m.put("smoothl1_" + s, (in, c) -> Losses.smoothL1(in[0], in[1], 0.5, r));
            m.put("ce_" + s, (in, c) -> Losses.crossEntropy(in[0], idx(c.get("c0")), null, -100, 0, r));
            m.put("ce_weight_" + s, (in, c) -> Losses.crossEntropy(in[0], idx(c.get("c0")), c.get("c1"), -100, 0, r));
            m.put("ce_all_" + s, (in, c) -> Losses.crossEntropy(in[0], idx(c.get("c0")), c.get("c1"), -100, 0.15, r));
            m.put("nll_" + s, (in, c) -> Losses.nll(in[0], idx(c.get("c0")), c.get("c1"), -100, r));
            m.put("bcel_" + s, (in, c) -> Losses.bceWithLogits(in[0], in[1], null, null, r));
            m.put("bcel_w_" + s, (in, c) -> Losses.bceWithLogits(in[0], in[1], c.get("c0"), c.get("c1"), r));
            m.put("bce_" + s, (in, c) -> Losses.bce(in[0], in[1], c.get("c0"), r));
            m.put("kl_" + s, (in, c) -> Losses.klDiv(in[0], in[1], r, false));
            m.put("cosine_" + s, (in, c) -> Losses.cosineEmbedding(in[0], in[1], c.get("c0"), 0.2, r));
            m.put("triplet_" + s, (in, c) -> Losses.tripletMargin(in[0], in[1], in[2], 1.0, 2, 1e-6, false, r));
        }
        m.put("smoothl1_beta0", (in, c) -> Losses.smoothL1(in[0], in[1], 0, Reduction.MEAN));
        m.put("ce_smooth", (in, c) -> Losses.crossEntropy(in[0], idx(c.get("c0")), null, -100, 0.2, Reduction.MEAN));
        m.put("ce_ignore2", (in, c) -> Losses.crossEntropy(in[0], idx(c.get("c0")), null, 2, 0, Reduction.MEAN));
        m.put("ce_kdim", (in, c) -> Losses.crossEntropy(in[0], idx(c.get("c0")), null, -100, 0, Reduction.NONE));
        m.put("ce_kdim_mean", (in, c) -> Losses.crossEntropy(in[0], idx(c.get("c0")), null, -100, 0.1, Reduction.MEAN));
        m.put("ce_extreme", (in, c) -> Losses.crossEntropy(in[0], idx(c.get("c0")), null, -100, 0.1, Reduction.MEAN));
        m.put("ce_soft", (in, c) -> Losses.crossEntropySoft(in[0], in[1]));
        m.put("ce_soft_all", (in, c) -> Losses.crossEntropySoft(in[0], in[1], c.get("c0"), 0.1, Reduction.SUM));
        m.put("bcel_extreme", (in, c) -> Losses.bceWithLogits(in[0], in[1], null, c.get("c0"), Reduction.MEAN));
        m.put("bce_extreme", (in, c) -> Losses.bce(in[0], Variable.constant(c.get("c0"))));
        m.put("kl_zero_target", (in, c) -> Losses.klDiv(in[0], Variable.constant(c.get("c0")), Reduction.SUM, false));
        m.put("kl_batchmean", (in, c) -> Losses.klDiv(in[0], in[1], Reduction.BATCHMEAN, false));
        m.put("kl_logtarget", (in, c) -> Losses.klDiv(in[0], in[1], Reduction.BATCHMEAN, true));
        m.put(
                "triplet_p1_swap",
                (in, c) -> Losses.tripletMargin(in[0], in[1], in[2], 2.0, 1, 1e-6, true, Reduction.MEAN));
        for (Reduction r : new Reduction[] {Reduction.NONE, Reduction.MEAN, Reduction.SUM}) {
            String s = r.name().toLowerCase(java.util.Locale.ROOT);
            m.put("contrastive_" + s, (in, c) -> Losses.contrastive(in[0], in[1], c.get("c0"), 2.0, 1e-6, r));
        }
        m.put(
                "contrastive_margin1",
                (in, c) -> Losses.contrastive(in[0], in[1], c.get("c0"), 1.0, 1e-6, Reduction.MEAN));
        m.put("distill_T1_a0p5", (in, c) -> Losses.distillation(in[0], c.get("c0"), idx(c.get("c1")), 1.0, 0.5));
        m.put("distill_T4_a0p9", (in, c) -> Losses.distillation(in[0], c.get("c0"), idx(c.get("c1")), 4.0, 0.9));
        m.put("distill_T2p5_a1", (in, c) -> Losses.distillation(in[0], c.get("c0"), null, 2.5, 1.0));
        m.put("distill_T3_a0", (in, c) -> Losses.distillation(in[0], c.get("c0"), idx(c.get("c1")), 3.0, 0.0));
        return m;
    }

    static Tensor idx(Tensor t) {
        return t.to(DType.INT32);
    }

    @TestFactory
    Stream<DynamicTest> float64() {
        return cases().entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(
                        e.getKey(), () -> run(e.getKey(), e.getValue(), DType.FLOAT64, 1e-10, 1e-8)));
    }

    @TestFactory
    Stream<DynamicTest> float32() {
        return cases().entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(
                        e.getKey(), () -> run(e.getKey(), e.getValue(), DType.FLOAT32, 1e-4, 2e-4)));
    }

    static void run(String name, LossFn fn, DType dt, double atol, double rtol) {
        Map<String, Tensor> f = Fixtures.load("/torch/LOSS_" + name + ".txt");
        List<Variable> ins = new ArrayList<>();
        for (int i = 0; f.containsKey("in" + i); i++) {
            ins.add(new Variable(f.get("in" + i).to(dt), true));
        }
        Map<String, Tensor> consts = new LinkedHashMap<>();
        for (int i = 0; f.containsKey("c" + i); i++) {
            consts.put("c" + i, f.get("c" + i).to(dt));
        }
        Variable out = fn.apply(ins.toArray(new Variable[0]), consts);
        assertClose(f.get("out"), out.data(), atol, rtol, name + " value");
        if (f.containsKey("r")) {
            out.mul(Variable.constant(f.get("r").to(dt))).sum().backward();
        } else {
            out.backward();
        }
        for (int i = 0; i < ins.size(); i++) {
            Tensor g = ins.get(i).grad();
            assertClose(
                    f.get("grad" + i),
                    g == null ? Tensor.zerosLike(ins.get(i).data()) : g,
                    atol,
                    rtol,
                    name + " gradient " + i);
        }
    }

    @Test
    void extremeLogitsGiveFiniteLossesAndGradients() {
        Tensor z = Tensor.of(new float[] {1e4f, -1e4f, 0, -1e4f, 1e4f, 5}, 2, 3);
        for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM}) {
            Variable x = new Variable(z, true);
            Losses.crossEntropy(x, Tensor.of(new int[] {1, 0}), null, -100, 0.1, r)
                    .backward();
            assertFinite(x.grad());
            Variable x2 = new Variable(z, true);
            Losses.bceWithLogits(
                            x2,
                            Variable.constant(Tensor.of(new float[] {0, 1, 1, 1, 0, 0}, 2, 3)),
                            null,
                            Tensor.of(new float[] {2, 2, 2}),
                            r)
                    .backward();
            assertFinite(x2.grad());
            Variable x3 = new Variable(z, true);
            Losses.crossEntropySoft(x3, Variable.constant(Tensor.of(new float[] {0, 0.5f, 0.5f, 1, 0, 0}, 2, 3)))
                    .backward();
            assertFinite(x3.grad());
            Variable x4 = new Variable(z, true);
            Losses.nll(x4.logSoftmax(1), Tensor.of(new int[] {1, 2})).backward();
            assertFinite(x4.grad());
        }
    }

    private static void assertFinite(Tensor t) {
        for (double v : t.toDoubleArray()) {
            assertTrue(Double.isFinite(v), "non-finite gradient " + t);
        }
    }

    @Test
    void lossModulesMatchTheFunctions() {
        Map<String, Tensor> f = Fixtures.load("/torch/LOSS_ce_all_mean.txt");
        Variable x = Variable.constant(f.get("in0"));
        Tensor t = idx(f.get("c0"));
        double expected = f.get("out").item();
        assertEquals(
                expected,
                new CrossEntropyLoss(f.get("c1"), -100, 0.15, Reduction.MEAN)
                        .forward(x, t)
                        .item(),
                1e-12);
        Map<String, Tensor> g = Fixtures.load("/torch/LOSS_triplet_sum.txt");
        Variable[] in = {
            Variable.constant(g.get("in0")), Variable.constant(g.get("in1")), Variable.constant(g.get("in2"))
        };
        Loss triplet = new TripletMarginLoss(1.0, 2, 1e-6, false, Reduction.SUM);
        assertEquals(g.get("out").item(), triplet.call(in).item(), 1e-12);
        Map<String, Tensor> h = Fixtures.load("/torch/LOSS_cosine_mean.txt");
        assertEquals(
                h.get("out").item(),
                new CosineEmbeddingLoss(0.2, Reduction.MEAN)
                        .forward(
                                Variable.constant(h.get("in0")),
                                Variable.constant(h.get("in1")),
                                Variable.constant(h.get("c0")))
                        .item(),
                1e-12);
        Map<String, Tensor> k = Fixtures.load("/torch/LOSS_huber_sum.txt");
        Variable a = Variable.constant(k.get("in0"));
        Variable b = Variable.constant(k.get("in1"));
        assertEquals(
                k.get("out").item(),
                new HuberLoss(0.5, Reduction.SUM).forward(a, b).item(),
                1e-12);
        assertEquals(Losses.mse(a, b).item(), new MSELoss().forward(a, b).item(), 0);
        assertEquals(
                Losses.l1(a, b, Reduction.SUM).item(),
                new L1Loss(Reduction.SUM).forward(a, b).item(),
                0);
        assertEquals(
                Losses.smoothL1(a, b).item(), new SmoothL1Loss().forward(a, b).item(), 0);
        assertEquals(
                Losses.bceWithLogits(a, b.sigmoid()).item(),
                new BCEWithLogitsLoss().forward(a, b.sigmoid()).item(),
                0);
        assertEquals(
                Losses.bce(a.sigmoid(), b.sigmoid()).item(),
                new BCELoss().forward(a.sigmoid(), b.sigmoid()).item(),
                0);
        assertEquals(
                Losses.klDiv(a.logSoftmax(1), b.softmax(1), Reduction.BATCHMEAN, false)
                        .item(),
                new KLDivLoss(Reduction.BATCHMEAN, false)
                        .forward(a.logSoftmax(1), b.softmax(1))
                        .item(),
                0);
        Tensor labels = Tensor.of(new int[] {0, 2, 1, 1});
        assertEquals(
                Losses.nll(a.logSoftmax(1), labels).item(),
                new NLLLoss().forward(a.logSoftmax(1), labels).item(),
                0);
        // soft targets through the module
        assertEquals(
                Losses.crossEntropySoft(a, b.softmax(1)).item(),
                new CrossEntropyLoss().forward(a, b.softmax(1)).item(),
                0);
    }

    @org.junit.jupiter.api.Test
    void floatClassLabelsGetAHint() {
        Variable logits = Variable.param(io.jgrad.core.Tensor.zeros(4, 3));
        Variable labels = Variable.constant(io.jgrad.core.Tensor.of(new float[] {0, 2, 1, 1}, 4));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new CrossEntropyLoss().forward(logits, labels));
        org.junit.jupiter.api.Assertions.assertTrue(
                e.getMessage().contains("looks like class indices")
                        && e.getMessage().contains("INT32")
                        && e.getMessage().contains("(4, 3)"),
                e.getMessage());
        // as INT32 they work
        org.junit.jupiter.api.Assertions.assertTrue(Double.isFinite(new CrossEntropyLoss()
                .forward(logits, Variable.constant(labels.data().to(io.jgrad.core.DType.INT32)))
                .item()));
    }
}
