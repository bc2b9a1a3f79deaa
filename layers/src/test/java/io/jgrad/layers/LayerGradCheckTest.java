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
 * Central finite differences in FLOAT64 ({@link GradCheck}) against the backward of every layer, in
 * training and in evaluation mode, with respect to the input and every parameter; dropout layers
 * use a fixed generator so every evaluation sees the same mask. The same cases and the losses are
 * checked to second order ({@link GradCheck#checkSecondOrder}: the gradients computed with graph
 * creation, against finite differences of themselves).
 */
class LayerGradCheckTest {
    record Case(String name, Supplier<Module> make, int[] inputShape) {}

    static Case c(String name, Supplier<Module> make, int... shape) {
        return new Case(name, make, shape);
    }

    static List<Case> cases() {
        List<Case> l = new ArrayList<>();
        l.add(c("Linear", () -> new Linear(4, 3), 2, 4));
        l.add(c("LinearNoBias", () -> new Linear(4, 3, false), 2, 4));
        l.add(c("Linear3d", () -> new Linear(3, 2), 2, 2, 3));
        l.add(c("ReLU", ReLU::new, 2, 3));
        l.add(c("LeakyReLU", () -> new LeakyReLU(0.1), 2, 3));
        l.add(c("ELU", () -> new ELU(0.5), 2, 3));
        l.add(c("SELU", SELU::new, 2, 3));
        l.add(c("GELU", GELU::new, 2, 3));
        l.add(c("GELUTanh", () -> new GELU(true), 2, 3));
        l.add(c("Mish", Mish::new, 2, 3));
        l.add(c("SiLU", SiLU::new, 2, 3));
        l.add(c("Tanh", Tanh::new, 2, 3));
        l.add(c("Sigmoid", Sigmoid::new, 2, 3));
        l.add(c("Softmax", () -> new Softmax(1), 2, 3));
        l.add(c("LogSoftmax", LogSoftmax::new, 2, 3));
        l.add(c("Identity", Identity::new, 2, 3));
        l.add(c("Flatten", Flatten::new, 2, 2, 3));
        l.add(c("Reshape", () -> new Reshape(3, 2), 2, 6));
        l.add(c("Lambda", () -> new Lambda("square", Variable::square), 2, 3));
        l.add(c("LayerNorm", () -> new LayerNorm(4), 2, 4));
        l.add(c("LayerNorm2d", () -> new LayerNorm(2, 3), 2, 2, 3));
        l.add(c("LayerNormNoAffine", () -> new LayerNorm(new int[] {4}, 1e-5, false), 3, 4));
        l.add(c("GroupNorm", () -> new GroupNorm(2, 4), 2, 4, 3));
        l.add(c("ConvLSTM2dSequences", () -> new ConvLSTM2d(2, 2, 3), 1, 2, 2, 3, 3));
        l.add(c("ConvLSTM2dLast", () -> new ConvLSTM2d(1, 2, 1, false), 2, 3, 1, 2, 2));
        l.add(c("GroupNormNoAffine", () -> new GroupNorm(2, 4, 1e-5, false), 2, 4, 3));
        l.add(c("InstanceNorm2d", () -> new InstanceNorm2d(2), 2, 2, 2, 3));
        l.add(c("InstanceNorm2dTracked", () -> new InstanceNorm2d(2, 1e-5, 0.1, true, true), 2, 2, 2, 3));
        l.add(c("BatchNorm1d", () -> new BatchNorm1d(3), 4, 3));
        l.add(c("BatchNorm1d3d", () -> new BatchNorm1d(3), 2, 3, 2));
        l.add(c("BatchNorm2d", () -> new BatchNorm2d(2), 3, 2, 2, 2));
        l.add(c("BatchNorm2dNoAffine", () -> new BatchNorm2d(2, 1e-5, 0.1, false, true), 3, 2, 2, 2));
        l.add(c("BatchNorm2dNoTracking", () -> new BatchNorm2d(2, 1e-5, 0.1, true, false), 3, 2, 2, 2));
        l.add(c("WeightNorm", () -> new WeightNorm(new Linear(3, 2)), 2, 3));
        l.add(c("Dropout", () -> new Dropout(0.4), 3, 4));
        l.add(c("Dropout2d", () -> new Dropout2d(0.5), 2, 3, 2, 2));
        l.add(c("AlphaDropout", () -> new AlphaDropout(0.3), 3, 4));
        l.add(c("GlobalAvgPool", GlobalAvgPool::new, 2, 2, 2, 3));
        l.add(c("GlobalMaxPool", GlobalMaxPool::new, 2, 2, 2, 3));
        l.add(c(
                "Sequential",
                () -> new Sequential(
                        new Linear(3, 4), new BatchNorm1d(4), new ReLU(), new Dropout(0.3), new Linear(4, 2)),
                4,
                3));
        l.add(c("Residual", () -> new Residual(new Sequential(new Linear(3, 3), new Tanh())), 2, 3));
        l.add(c("ResidualShortcut", () -> new Residual(new Linear(3, 2), new Linear(3, 2, false)), 2, 3));
        l.addAll(ConvCases.gradCheckCases());
        l.addAll(ResamplingCases.gradCheckCases());
        return l;
    }

    @TestFactory
    Stream<DynamicTest> trainingMode() {
        return cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c.make().get(), true, c.inputShape())));
    }

    @TestFactory
    Stream<DynamicTest> evaluationMode() {
        return cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c.make().get(), false, c.inputShape())));
    }

    @TestFactory
    Stream<DynamicTest> trainingModeSecondOrder() {
        return cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c.make().get(), true, true, c.inputShape())));
    }

    @TestFactory
    Stream<DynamicTest> evaluationModeSecondOrder() {
        return cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c.make().get(), false, true, c.inputShape())));
    }

    /** Checks the gradients of {@code m} with respect to an input of {@code shape} and all its parameters. */
    static void check(Module m, boolean train, int... shape) {
        check(m, train, false, shape);
    }

    /**
     * Checks the gradients (or with {@code secondOrder} the second-order gradients) of {@code m} with
     * respect to an input of {@code shape} and all its parameters.
     */
    static void check(Module m, boolean train, boolean secondOrder, int... shape) {
        Generator g = new Generator(42);
        m.to(DType.FLOAT64);
        // non-trivial parameters and running statistics
        for (Parameter p : m.parameters()) {
            p.data().copy_(Tensor.randn(g, DType.FLOAT64, p.shape()).mul(0.5).add(0.5));
        }
        try (var off = Autograd.noGrad()) {
            m.train();
            for (int k = 0; k < 2; k++) {
                m.forward(Variable.constant(
                        Tensor.randn(g, DType.FLOAT64, shape).mul(2).add(1)));
            }
        }
        m.train(train);
        Map<String, Parameter> params = m.namedParameters();
        List<String> names = new ArrayList<>(params.keySet());
        Tensor[] all = new Tensor[1 + names.size()];
        all[0] = Tensor.randn(g, DType.FLOAT64, shape);
        for (int i = 0; i < names.size(); i++) {
            all[1 + i] = params.get(names.get(i)).data().clone();
        }
        java.util.function.Function<Variable[], Variable> f = in -> {
            m.setGenerator(new Generator(7)); // the same dropout mask in every evaluation
            Map<String, Variable> sub = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                sub.put(names.get(i), in[1 + i]);
            }
            return m.functionalCall(sub, in[0]);
        };
        if (secondOrder) {
            GradCheck.checkSecondOrder(f, all);
        } else {
            GradCheck.check(f, all);
        }
    }

    @Test
    void losses() {
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, DType.FLOAT64, 4, 3);
        Tensor y = Tensor.randn(g, DType.FLOAT64, 4, 3);
        Tensor labels = Tensor.of(new int[] {0, 2, 1, 2});
        Tensor labelsIgnored = Tensor.of(new int[] {0, -100, 1, 2});
        Tensor w = Tensor.of(new double[] {0.5, 2, 1.5});
        Tensor probs = Tensor.rand(g, DType.FLOAT64, 4, 3).mul(0.8).add(0.1);
        Tensor yPm = Tensor.of(new int[] {1, -1, -1, 1});
        for (Reduction r : new Reduction[] {Reduction.NONE, Reduction.MEAN, Reduction.SUM}) {
            GradCheck.check(in -> Losses.mse(in[0], in[1], r), x, y);
            GradCheck.check(in -> Losses.l1(in[0], in[1], r), x, y);
            GradCheck.check(in -> Losses.huber(in[0], in[1], 0.7, r), x, y);
            GradCheck.check(in -> Losses.smoothL1(in[0], in[1], 0.7, r), x, y);
            GradCheck.check(in -> Losses.crossEntropy(in[0], labels, null, -100, 0, r), x);
            GradCheck.check(in -> Losses.crossEntropy(in[0], labelsIgnored, w, -100, 0.2, r), x);
            GradCheck.check(in -> Losses.crossEntropySoft(in[0], in[1].softmax(1), w, 0.1, r), x, y);
            GradCheck.check(in -> Losses.nll(in[0].logSoftmax(1), labelsIgnored, w, -100, r), x);
            GradCheck.check(
                    in -> Losses.bceWithLogits(in[0], in[1], probs, Tensor.of(new double[] {1, 2, 3}), r),
                    x,
                    probs.clone());
            GradCheck.check(in -> Losses.bce(in[0], in[1], probs, r), probs.clone(), y.sigmoid());
            GradCheck.check(in -> Losses.klDiv(in[0].logSoftmax(1), in[1].softmax(1), r, false), x, y);
            GradCheck.check(in -> Losses.cosineEmbedding(in[0], in[1], yPm, -0.5, r), x, y);
            GradCheck.check(in -> Losses.tripletMargin(in[0], in[1], in[2], 3, 2, 1e-6, true, r), x, y, probs.clone());
        }
        GradCheck.check(in -> Losses.klDiv(in[0].logSoftmax(1), in[1].logSoftmax(1), Reduction.BATCHMEAN, true), x, y);
        GradCheck.check(
                in -> Losses.tripletMargin(in[0], in[1], in[2], 3, 1, 1e-6, false, Reduction.MEAN),
                x,
                y,
                probs.clone());
        Tensor x4 = Tensor.randn(g, DType.FLOAT64, 2, 3, 2);
        GradCheck.check(
                in -> Losses.crossEntropy(
                        in[0], Tensor.of(new int[] {0, 2, 1, 1}, 2, 2), null, -100, 0.1, Reduction.MEAN),
                x4);
    }

    @Test
    void lossesSecondOrder() {
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, DType.FLOAT64, 4, 3);
        Tensor y = Tensor.randn(g, DType.FLOAT64, 4, 3);
        Tensor labels = Tensor.of(new int[] {0, 2, 1, 2});
        Tensor labelsIgnored = Tensor.of(new int[] {0, -100, 1, 2});
        Tensor labelsIgnore1 = Tensor.of(new int[] {0, 1, 1, 2});
        Tensor w = Tensor.of(new double[] {0.5, 2, 1.5});
        Tensor probs = Tensor.rand(g, DType.FLOAT64, 4, 3).mul(0.8).add(0.1);
        Tensor yPm = Tensor.of(new int[] {1, -1, -1, 1});
        for (Reduction r : new Reduction[] {Reduction.NONE, Reduction.MEAN, Reduction.SUM}) {
            GradCheck.checkSecondOrder(in -> Losses.mse(in[0], in[1], r), x, y);
            GradCheck.checkSecondOrder(in -> Losses.l1(in[0], in[1], r), x, y);
            GradCheck.checkSecondOrder(in -> Losses.huber(in[0], in[1], 0.7, r), x, y);
            GradCheck.checkSecondOrder(in -> Losses.smoothL1(in[0], in[1], 0.7, r), x, y);
            GradCheck.checkSecondOrder(in -> Losses.crossEntropy(in[0], labels, null, -100, 0, r), x);
            GradCheck.checkSecondOrder(in -> Losses.crossEntropy(in[0], labels, w, -100, 0, r), x);
            GradCheck.checkSecondOrder(in -> Losses.crossEntropy(in[0], labelsIgnored, null, -100, 0.2, r), x);
            GradCheck.checkSecondOrder(in -> Losses.crossEntropy(in[0], labelsIgnored, w, -100, 0.2, r), x);
            GradCheck.checkSecondOrder(in -> Losses.crossEntropy(in[0], labelsIgnore1, w, 1, 0.1, r), x);
            GradCheck.checkSecondOrder(in -> Losses.crossEntropySoft(in[0], in[1].softmax(1), w, 0.1, r), x, y);
            GradCheck.checkSecondOrder(in -> Losses.nll(in[0].logSoftmax(1), labelsIgnored, w, -100, r), x);
            GradCheck.checkSecondOrder(in -> Losses.nll(in[0], labels, null, -100, r), x);
            GradCheck.checkSecondOrder(
                    in -> Losses.bceWithLogits(in[0], in[1], probs, Tensor.of(new double[] {1, 2, 3}), r),
                    x,
                    probs.clone());
            GradCheck.checkSecondOrder(in -> Losses.bceWithLogits(in[0], in[1], null, null, r), x, probs.clone());
            GradCheck.checkSecondOrder(in -> Losses.bce(in[0], in[1], probs, r), probs.clone(), y.sigmoid());
            GradCheck.checkSecondOrder(in -> Losses.bce(in[0].sigmoid(), in[1], null, r), x, y.sigmoid());
            GradCheck.checkSecondOrder(in -> Losses.klDiv(in[0].logSoftmax(1), in[1].softmax(1), r, false), x, y);
            GradCheck.checkSecondOrder(in -> Losses.cosineEmbedding(in[0], in[1], yPm, -0.5, r), x, y);
            GradCheck.checkSecondOrder(
                    in -> Losses.tripletMargin(in[0], in[1], in[2], 3, 2, 1e-6, true, r), x, y, probs.clone());
        }
        GradCheck.checkSecondOrder(
                in -> Losses.klDiv(in[0].logSoftmax(1), in[1].logSoftmax(1), Reduction.BATCHMEAN, true), x, y);
        GradCheck.checkSecondOrder(
                in -> Losses.tripletMargin(in[0], in[1], in[2], 3, 1, 1e-6, false, Reduction.MEAN),
                x,
                y,
                probs.clone());
        Tensor x4 = Tensor.randn(g, DType.FLOAT64, 2, 3, 2);
        GradCheck.checkSecondOrder(
                in -> Losses.crossEntropy(
                        in[0], Tensor.of(new int[] {0, 2, 1, 1}, 2, 2), null, -100, 0.1, Reduction.MEAN),
                x4);
        GradCheck.checkSecondOrder(
                in -> Losses.crossEntropy(
                        in[0], Tensor.of(new int[] {0, -100, 1, 1}, 2, 2), w, -100, 0, Reduction.NONE),
                x4);
    }

    /** The loss modules (which call the functions above) to second order, through their forward. */
    @Test
    void lossModulesSecondOrder() {
        Generator g = new Generator(5);
        Tensor x = Tensor.randn(g, DType.FLOAT64, 3, 4);
        Tensor labels = Tensor.of(new int[] {3, 0, 2});
        GradCheck.checkSecondOrder(in -> new CrossEntropyLoss().forward(in[0], Variable.constant(labels)), x);
        GradCheck.checkSecondOrder(in -> new NLLLoss().forward(in[0].logSoftmax(1), Variable.constant(labels)), x);
        Tensor t = Tensor.rand(g, DType.FLOAT64, 3, 4);
        GradCheck.checkSecondOrder(in -> new BCELoss().forward(in[0].sigmoid(), in[1]), x, t);
        GradCheck.checkSecondOrder(in -> new BCEWithLogitsLoss().forward(in[0], in[1]), x, t);
    }
}
