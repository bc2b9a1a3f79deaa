package io.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Backstitch against hand-computed steps on quadratics, dropout-mask replay, the final-pass flag for
 * running statistics, moment estimates over Adam, and its refusals.
 */
class BackstitchTest {

    /** Mini-batch t's loss: sum_i 0.5 a_i x_i^2 - b_ti x_i, gradient a_i x_i - b_ti. */
    static final double[] A = {2.0, 0.5, 1.0};

    static final double[][] B = {{1.0, -0.5, 0.25}, {0.5, 0.5, -1.0}, {-1.0, 0.2, 0.3}, {0.3, -0.7, 0.9}};

    static Variable quadratic(Parameter x, int t) {
        Variable a = Variable.constant(Tensor.of(A, 3));
        Variable b = Variable.constant(Tensor.of(B[t], 3));
        return x.square().mul(a).mul(0.5).sub(x.mul(b)).sum();
    }

    static Optimizer.Closure closure(Parameter x, int t) {
        return () -> {
            Variable loss = quadratic(x, t);
            loss.backward();
            return loss.item();
        };
    }

    static double loss(double[] x, int t) {
        double s = 0;
        for (int i = 0; i < 3; i++) {
            s += 0.5 * A[i] * x[i] * x[i] - B[t][i] * x[i];
        }
        return s;
    }

    @Test
    void closedFormOnOneDimensionalQuadratic() {
        // L(x) = 0.5 * 2 * x^2 - x, x0 = 1, lr 0.1, alpha 0.3:
        // x' = 1 + 0.3 * 0.1 * (2 - 1) = 1.03;  x'' = 1.03 - 1.3 * 0.1 * (2 * 1.03 - 1) = 0.8922
        Parameter x = new Parameter(Tensor.of(new double[] {1.0}, 1));
        Backstitch bs = new Backstitch(new SGD(List.of(x), 0.1), 0.3, 1);
        double loss = bs.step(() -> {
            Variable l = x.square().sub(x).sum();
            l.backward();
            return l.item();
        });
        assertEquals(0.8922, x.data().item(), 1e-15);
        assertEquals(0.0, loss, 0, "the first pass's loss, at x0: 1 - 1");
    }

    /**
     * Interval 2, phase 1, weight decay: mini-batches 1 and 3 are backstitched, 0 and 2 are plain steps,
     * and the reference applies the paper's two steps with naive loops.
     */
    @Test
    void matchesHandComputedStepsWithIntervalAndWeightDecay() {
        double lr = 0.1;
        double alpha = 0.3;
        double wd = 0.05;
        Parameter x = new Parameter(Tensor.of(new double[] {1.0, -2.0, 0.5}, 3));
        Backstitch bs = new Backstitch(new SGD(List.of(x), SGD.options().lr(lr).weightDecay(wd)), alpha, 2).phase(1);
        double[] ref = {1.0, -2.0, 0.5};
        for (int t = 0; t < 4; t++) {
            double expectedLoss = loss(ref, t);
            if (t % 2 == 1) {
                double[] mid = new double[3];
                for (int i = 0; i < 3; i++) {
                    mid[i] = ref[i] + alpha * lr * (A[i] * ref[i] - B[t][i]); // no weight decay
                }
                for (int i = 0; i < 3; i++) {
                    double g = A[i] * mid[i] - B[t][i] + wd / (1 + alpha) * mid[i]; // decay scaled by 1/(1+a)
                    ref[i] = mid[i] - (1 + alpha) * lr * g;
                }
            } else {
                for (int i = 0; i < 3; i++) {
                    ref[i] -= lr * (A[i] * ref[i] - B[t][i] + wd * ref[i]);
                }
            }
            double l = bs.step(closure(x, t));
            assertEquals(expectedLoss, l, 1e-14, "loss of mini-batch " + t);
            assertArrayEquals(ref, x.data().toDoubleArray(), 1e-14, "after mini-batch " + t);
        }
        assertEquals(4, bs.iteration());
        assertEquals(lr, bs.lr(0), 0, "the learning rate is restored after the scaled steps");
        assertEquals(wd, bs.paramGroups().get(0).get("weight_decay"), 0);
    }

    @Test
    void alphaZeroIsPlainSgd() {
        Parameter x = new Parameter(Tensor.of(new double[] {1.0, -2.0, 0.5}, 3));
        Parameter y = new Parameter(Tensor.of(new double[] {1.0, -2.0, 0.5}, 3));
        Backstitch bs = new Backstitch(new SGD(List.of(x), 0.1), 0.0, 1);
        SGD plain = new SGD(List.of(y), 0.1);
        for (int t = 0; t < 4; t++) {
            bs.step(closure(x, t));
            Optimizer.Closure c = closure(y, t);
            plain.step(() -> {
                plain.zeroGrad();
                return c.evaluate();
            });
        }
        assertArrayEquals(y.data().toDoubleArray(), x.data().toDoubleArray(), 0);
    }

    @Test
    void warmUpRampsAlphaLinearly() {
        Parameter x = new Parameter(Tensor.of(new double[] {1.0}, 1));
        Backstitch bs = new Backstitch(new SGD(List.of(x), 0.1), 0.4, 1).warmup(4);
        assertEquals(0.1, bs.alphaAt(0), 1e-15);
        assertEquals(0.2, bs.alphaAt(1), 1e-15);
        assertEquals(0.4, bs.alphaAt(3), 0);
        assertEquals(0.4, bs.alphaAt(100), 0);
        // first mini-batch uses alpha 0.1 on L = x^2 - x: x' = 1 + 0.01 * 1 = 1.01; x'' = 1.01 - 0.11 * 1.02
        bs.step(() -> {
            Variable l = x.square().sub(x).sum();
            l.backward();
            return l.item();
        });
        assertEquals(1.01 - 0.11 * 1.02, x.data().item(), 1e-15);
    }

    @Test
    void phaseIsDrawnFromTheGenerator() {
        Parameter x = new Parameter(Tensor.zeros(1));
        int p1 = new Backstitch(new SGD(List.of(x), 0.1), 0.3, 4, new Generator(7)).phase();
        int p2 = new Backstitch(new SGD(List.of(x), 0.1), 0.3, 4, new Generator(7)).phase();
        assertEquals(p1, p2);
        assertEquals(new Generator(7).nextInt(4), p1);
        assertTrue(p1 >= 0 && p1 < 4);
    }

    /** The closure draws a dropout mask from a tracked generator: both passes of a mini-batch see the same one. */
    @Test
    void dropoutMasksMatchAcrossTheTwoPasses() {
        Generator gen = new Generator(123);
        Parameter w = new Parameter(Tensor.ones(64));
        Backstitch bs = new Backstitch(new SGD(List.of(w), 0.01), 0.3, 1).trackGenerator(gen);
        List<double[]> masks = new ArrayList<>();
        Optimizer.Closure c = () -> {
            Variable h = NN.dropout(w, 0.5, true, gen);
            masks.add(h.data().toDoubleArray()); // w is all ones before the first update: h / w is the mask
            Variable loss = h.sum();
            loss.backward();
            return loss.item();
        };
        bs.step(c);
        bs.step(c);
        assertEquals(4, masks.size());
        double[] m0 = nonZeroPattern(masks.get(0));
        assertArrayEquals(m0, nonZeroPattern(masks.get(1)), 0, "mini-batch 0: both passes share the mask");
        assertArrayEquals(nonZeroPattern(masks.get(2)), nonZeroPattern(masks.get(3)), 0, "mini-batch 1 too");
        assertFalse(java.util.Arrays.equals(m0, nonZeroPattern(masks.get(2))), "a new mini-batch draws a new mask");

        // Without tracking, the second pass draws a different mask (so the test above can fail).
        Generator other = new Generator(123);
        Parameter v = new Parameter(Tensor.ones(64));
        Backstitch untracked = new Backstitch(new SGD(List.of(v), 0.01), 0.3, 1);
        List<double[]> seen = new ArrayList<>();
        untracked.step(() -> {
            Variable h = NN.dropout(v, 0.5, true, other);
            seen.add(nonZeroPattern(h.data().toDoubleArray()));
            Variable loss = h.sum();
            loss.backward();
            return loss.item();
        });
        assertFalse(java.util.Arrays.equals(seen.get(0), seen.get(1)));
    }

    static double[] nonZeroPattern(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] != 0 ? 1 : 0;
        }
        return out;
    }

    /** A batch-norm-like running statistic updated only in the final pass is updated once per mini-batch. */
    @Test
    void finalPassFlagLetsRunningStatisticsUpdateOnce() {
        assertEquals(Backstitch.Pass.FINAL, Backstitch.currentPass());
        Parameter x = new Parameter(Tensor.of(new double[] {1.0, -2.0, 0.5}, 3));
        Backstitch bs = new Backstitch(new SGD(List.of(x), 0.1), 0.3, 2).phase(0);
        List<Backstitch.Pass> passes = new ArrayList<>();
        double[] runningMean = {0};
        int[] updates = {0};
        for (int t = 0; t < 4; t++) {
            int batch = t;
            bs.step(() -> {
                passes.add(Backstitch.currentPass());
                Variable loss = quadratic(x, batch);
                if (Backstitch.isFinalPass()) { // what a batch-norm layer does with its running mean
                    runningMean[0] =
                            0.9 * runningMean[0] + 0.1 * x.data().mean().item();
                    updates[0]++;
                }
                loss.backward();
                return loss.item();
            });
        }
        assertEquals(
                List.of(
                        Backstitch.Pass.FIRST,
                        Backstitch.Pass.FINAL,
                        Backstitch.Pass.FINAL,
                        Backstitch.Pass.FIRST,
                        Backstitch.Pass.FINAL,
                        Backstitch.Pass.FINAL),
                passes);
        assertEquals(4, updates[0]);
        assertEquals(Backstitch.Pass.FINAL, Backstitch.currentPass(), "restored after stepping");
    }

    /**
     * Over Adam, the negative step uses the moments updated by the first gradient but does not keep
     * them: after one backstitch mini-batch the state is Adam's first step on the second gradient.
     */
    @Test
    void adaptiveBaseNegativeStepDoesNotUpdateMoments() {
        double lr = 0.01;
        double alpha = 0.3;
        double eps = 1e-8;
        double beta1 = 0.9;
        double beta2 = 0.999;
        Parameter x = new Parameter(Tensor.of(new double[] {1.0, -2.0, 0.5}, 3));
        Adam adam = new Adam(List.of(x), Adam.options().lr(lr).eps(eps));
        Backstitch bs = new Backstitch(adam, alpha, 1);
        double[] x0 = {1.0, -2.0, 0.5};
        double[] mid = new double[3];
        double[] g2 = new double[3];
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            double g1 = A[i] * x0[i] - B[0][i];
            // Adam's first step from zero moments: m_hat = g, v_hat = g^2, so the step is lr * g / (|g| + eps)
            mid[i] = x0[i] + alpha * lr * g1 / (Math.abs(g1) + eps);
            g2[i] = A[i] * mid[i] - B[0][i];
            expected[i] = mid[i] - (1 + alpha) * lr * g2[i] / (Math.abs(g2[i]) + eps);
        }
        bs.step(closure(x, 0));
        assertArrayEquals(expected, x.data().toDoubleArray(), 1e-14);
        ParamState s = adam.state(x);
        assertEquals(1, s.scalar("step"), 0, "the negative step is not counted");
        double[] m = s.buffer("exp_avg").toDoubleArray();
        double[] v = s.buffer("exp_avg_sq").toDoubleArray();
        for (int i = 0; i < 3; i++) {
            assertEquals((1 - beta1) * g2[i], m[i], 1e-15, "exp_avg[" + i + "] holds only the second gradient");
            assertEquals((1 - beta2) * g2[i] * g2[i], v[i], 1e-15, "exp_avg_sq[" + i + "]");
        }
    }

    @Test
    void stateDictResumesTheSameTrajectory() {
        Parameter x = new Parameter(Tensor.of(new double[] {1.0, -2.0, 0.5}, 3));
        Backstitch bs = new Backstitch(new Adam(List.of(x), 0.05), 0.3, 3, new Generator(1));
        for (int t = 0; t < 4; t++) {
            bs.step(closure(x, t % 4));
        }
        Map<String, Tensor> dict = bs.stateDict();
        assertTrue(dict.containsKey("backstitch.iteration") && dict.containsKey("backstitch.phase"));
        double[] atSave = x.data().toDoubleArray();
        for (int t = 4; t < 8; t++) {
            bs.step(closure(x, t % 4));
        }
        double[] uninterrupted = x.data().toDoubleArray();

        x.data().copy_(Tensor.of(atSave, 3));
        Backstitch resumed = new Backstitch(new Adam(List.of(x), 0.05), 0.3, 3, new Generator(99));
        resumed.loadStateDict(dict);
        assertEquals(bs.phase(), resumed.phase());
        for (int t = 4; t < 8; t++) {
            resumed.step(closure(x, t % 4));
        }
        assertArrayEquals(uninterrupted, x.data().toDoubleArray(), 0);
    }

    @Test
    void refusesMomentumAndStepWithoutClosure() {
        Parameter x = new Parameter(Tensor.zeros(3));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new Backstitch(new SGD(List.of(x), SGD.options().lr(0.1).momentum(0.9)), 0.3, 1));
        assertEquals(
                "Backstitch: the base SGD has momentum 0.9 in parameter group 0; backstitch is defined for plain "
                        + "SGD (momentum 0), as in the original method",
                e.getMessage());

        SGD sgd = new SGD(List.of(x), 0.1);
        Backstitch bs = new Backstitch(sgd, 0.3, 1);
        sgd.paramGroups().get(0).set("momentum", 0.5); // e.g. turned on later by a schedule
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> bs.step(closure(x, 0)));
        assertTrue(s.getMessage().contains("momentum 0.5"), s.getMessage());

        Backstitch plain = new Backstitch(new SGD(List.of(new Parameter(Tensor.zeros(1))), 0.1), 0.3, 1);
        s = assertThrows(IllegalStateException.class, plain::step);
        assertTrue(s.getMessage().contains("step(closure)"), s.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Backstitch(plain, 0.3, 1));
        e = assertThrows(IllegalArgumentException.class, () -> new Backstitch(new SGD(List.of(x), 0.1), -0.1, 1));
        assertEquals("Backstitch: invalid alpha -0.1 (must be >= 0; 0.3 is recommended)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Backstitch(new SGD(List.of(x), 0.1), 0.3, 0));
        assertEquals("Backstitch: invalid interval 0 (must be >= 1)", e.getMessage());
        assertNotEquals(null, plain.base());
    }

    @Test
    void schedulesSeeTheSharedGroups() {
        Parameter x = new Parameter(Tensor.zeros(3));
        SGD sgd = new SGD(List.of(x), 0.1);
        Backstitch bs = new Backstitch(sgd, 0.3, 1);
        StepLR sched = new StepLR(bs, 1, 0.5);
        sched.step();
        assertEquals(0.05, sgd.lr(0), 0);
        assertEquals(0.05, bs.lr(0), 0);
    }
}
