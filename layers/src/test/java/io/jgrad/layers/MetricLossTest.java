package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.GradCheck;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The contrastive and distillation losses: hand-computed values, gradients against central finite
 * differences in FLOAT64 at first and second order, and the errors on bad arguments. (Their values
 * and gradients against PyTorch are in {@link LossParityTest}.)
 */
class MetricLossTest {
    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).to(DType.FLOAT64);
    }

    @Test
    void contrastiveByHand() {
        // pair 0 similar at distance 5: 25 / 2; pair 1 dissimilar at distance 1, margin 3: (3 - 1)^2 / 2 = 2;
        // pair 2 dissimilar at distance 5 beyond the margin: 0
        Tensor a = Tensor.of(new double[] {0, 0, 0, 0, 0, 0}, 3, 2);
        Tensor b = Tensor.of(new double[] {3, 4, 1, 0, 0, 5}, 3, 2);
        Tensor y = Tensor.of(new int[] {1, 0, 0});
        Variable l = Losses.contrastive(Variable.constant(a), Variable.constant(b), y, 3, 0, Reduction.NONE);
        assertEquals(12.5, l.data().getDouble(0), 1e-12);
        assertEquals(2.0, l.data().getDouble(1), 1e-12);
        assertEquals(0.0, l.data().getDouble(2), 1e-12);
        ContrastiveLoss module = new ContrastiveLoss(3, 0, Reduction.SUM);
        assertEquals(
                14.5,
                module.forward(Variable.constant(a), Variable.constant(b), Variable.constant(y))
                        .item(),
                1e-12);
    }

    @Test
    void distillationByHand() {
        // identical logits: the KL term is 0 and alpha 0.25 leaves 0.75 of the cross entropy
        Tensor z = Tensor.of(new double[] {1, 2, 0.5, -1, 0, 3}, 2, 3);
        Tensor labels = Tensor.of(new int[] {1, 2});
        double ce = Losses.crossEntropy(Variable.constant(z), labels).item();
        assertEquals(
                0.75 * ce,
                Losses.distillation(Variable.constant(z), z, labels, 3, 0.25).item(),
                1e-12);
        // one sample, T = 2, teacher (0, 0) against student (2, 0): T^2 KL(p || q) with p = (1/2, 1/2), q = softmax(1,
        // 0)
        double q0 = Math.exp(1) / (Math.exp(1) + 1);
        double kl = 0.5 * Math.log(0.5 / q0) + 0.5 * Math.log(0.5 / (1 - q0));
        Tensor s = Tensor.of(new double[] {2, 0}, 1, 2);
        Tensor t = Tensor.of(new double[] {0, 0}, 1, 2);
        assertEquals(
                4 * kl,
                new DistillationLoss(2, 1)
                        .forward(Variable.constant(s), t, null)
                        .item(),
                1e-12);
    }

    @Test
    void contrastiveGradientsFirstAndSecondOrder() {
        Tensor y = Tensor.of(new double[] {1, 0, 0, 1, 0});
        Tensor a = randn(1, 5, 3);
        Tensor b = randn(2, 5, 3);
        for (Reduction r : new Reduction[] {Reduction.NONE, Reduction.MEAN, Reduction.SUM}) {
            GradCheck.check(in -> Losses.contrastive(in[0], in[1], y, 2.5, 1e-6, r), a, b);
            GradCheck.checkSecondOrder(in -> Losses.contrastive(in[0], in[1], y, 2.5, 1e-6, r), a, b);
        }
    }

    @Test
    void distillationGradientsFirstAndSecondOrder() {
        Tensor teacher = randn(3, 4, 5).mul(2);
        Tensor labels = Tensor.of(new int[] {0, 4, 2, 2});
        Tensor s = randn(4, 4, 5);
        for (double alpha : new double[] {0, 0.3, 1}) {
            GradCheck.check(in -> Losses.distillation(in[0], teacher, labels, 3, alpha), s);
            GradCheck.checkSecondOrder(in -> Losses.distillation(in[0], teacher, labels, 3, alpha), s);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        Variable a = Variable.constant(Tensor.zeros(4, 3));
        Variable b = Variable.constant(Tensor.zeros(4, 3));
        Tensor y = Tensor.of(new int[] {1, 0, 1, 0});
        String m = assertThrows(
                        IllegalArgumentException.class,
                        () -> Losses.contrastive(a, b, Tensor.of(new int[] {1, 0}), 1, 0, Reduction.MEAN))
                .getMessage();
        assertTrue(m.contains("contrastive: expected labels of shape (4,)") && m.contains("got (2,)"), m);
        m = assertThrows(
                        IllegalArgumentException.class,
                        () -> Losses.contrastive(a, b, Tensor.of(new int[] {1, 0, 2, 0}), 1, 0, Reduction.MEAN))
                .getMessage();
        assertTrue(m.contains("labels must be 1 (similar) or 0 (dissimilar), got 2"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Losses.contrastive(a, b, y, 0, 0, Reduction.MEAN))
                .getMessage();
        assertTrue(m.contains("margin must be positive"), m);
        m = assertThrows(
                        IllegalArgumentException.class,
                        () -> Losses.contrastive(a, Variable.constant(Tensor.zeros(4, 2)), y, 1, 0, Reduction.MEAN))
                .getMessage();
        assertTrue(m.contains("contrastive: input (4, 3) and target (4, 2)"), m);
        assertThrows(IllegalArgumentException.class, () -> new ContrastiveLoss(-1, 0, Reduction.MEAN));

        Tensor labels = Tensor.of(new int[] {0, 1, 2, 1});
        m = assertThrows(
                        IllegalArgumentException.class,
                        () -> Losses.distillation(a, Tensor.zeros(4, 2), labels, 2, 0.5))
                .getMessage();
        assertTrue(m.contains("teacher logits (4, 2) must have the student's shape (4, 3)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Losses.distillation(a, b.data(), labels, 0, 0.5))
                .getMessage();
        assertTrue(m.contains("temperature must be positive"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Losses.distillation(a, b.data(), labels, 2, 1.5))
                .getMessage();
        assertTrue(m.contains("alpha must be in [0, 1], got 1.5"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Losses.distillation(a, b.data(), null, 2, 0.5))
                .getMessage();
        assertTrue(m.contains("labels are null"), m);
        m = assertThrows(
                        IllegalArgumentException.class,
                        () -> Losses.distillation(a, b.data().to(DType.FLOAT64), labels, 2, 0.5))
                .getMessage();
        assertTrue(m.contains("teacher logits has dtype float64"), m);
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(1, -0.1));
    }
}
