package io.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.Tensor;
import io.jgrad.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Every schedule against PyTorch 1.13's learning-rate sequence (fixture {@code torch/schedules.txt}):
 * an SGD with two groups (lr 0.1 and 0.05, momentum 0.9), stepped 30 epochs.
 */
class ScheduleParityTest {
    static final Map<String, Tensor> FX = Fixtures.load("/torch/schedules.txt");
    static final int STEPS = 30;
    static final double TOL = 1e-14;

    /** The optimizer of make_fixtures.py's two_groups(). */
    static SGD twoGroups() {
        SGD o = new SGD(
                List.of(new Parameter(Tensor.zeros(2))), SGD.options().lr(0.1).momentum(0.9));
        o.addParamGroup(List.of(new Parameter(Tensor.zeros(2))), SGD.options().lr(0.05));
        return o;
    }

    static void assertSeq(String name, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, name + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOL * Math.max(1e-3, Math.abs(expected[i])), name + " at epoch " + i);
        }
    }

    /** Records each group's lr (and momentum) for 30 epochs and compares with the fixture. */
    static void check(String name, Function<Optimizer, LRScheduler> make, ToDoubleFunction<ParamGroup> momentum) {
        Optimizer o =
                name.equals("onecycle_adam") ? new Adam(List.of(new Parameter(Tensor.zeros(2))), 0.001) : twoGroups();
        LRScheduler s = make.apply(o);
        int groups = o.paramGroups().size();
        double[][] lrs = new double[groups][STEPS];
        double[][] moms = new double[groups][STEPS];
        for (int e = 0; e < STEPS; e++) {
            for (int g = 0; g < groups; g++) {
                lrs[g][e] = o.lr(g);
                if (momentum != null) {
                    moms[g][e] = momentum.applyAsDouble(o.paramGroups().get(g));
                }
                assertEquals(o.lr(g), s.lastLr()[g], 0, name + " lastLr");
            }
            s.step();
        }
        for (int g = 0; g < groups; g++) {
            assertSeq(name + ".g" + g, Fixtures.get(FX, name + ".g" + g).toDoubleArray(), lrs[g]);
            if (momentum != null) {
                assertSeq(
                        name + ".momentum.g" + g,
                        Fixtures.get(FX, name + ".momentum.g" + g).toDoubleArray(),
                        moms[g]);
            }
        }
    }

    static void check(String name, Function<Optimizer, LRScheduler> make) {
        check(name, make, null);
    }

    @Test
    void stepLR() {
        check("step", o -> new StepLR(o, 4, 0.5));
    }

    @Test
    void multiStepLR() {
        check("multistep", o -> new MultiStepLR(o, new int[] {3, 7, 7, 15}, 0.3));
    }

    @Test
    void exponentialLR() {
        check("exponential", o -> new ExponentialLR(o, 0.9));
    }

    @Test
    void cosineAnnealingRecursiveFormulaPastTMax() {
        check("cosine", o -> new CosineAnnealingLR(o, 7, 0.001));
        check("cosine_nomin", o -> new CosineAnnealingLR(o, 10));
    }

    @Test
    void cosineWarmRestarts() {
        check("warm_restarts", o -> new CosineAnnealingWarmRestarts(o, 3, 2, 0.001));
        check("warm_restarts_1", o -> new CosineAnnealingWarmRestarts(o, 5));
    }

    @Test
    void cosineWarmRestartsFractionalEpochs() {
        SGD o = twoGroups();
        CosineAnnealingWarmRestarts s = new CosineAnnealingWarmRestarts(o, 2, 3, 0.01);
        double[] epochs = Fixtures.get(FX, "warm_restarts_epochs.epochs").toDoubleArray();
        double[] lrs = new double[epochs.length];
        for (int k = 0; k < epochs.length; k++) {
            s.step(epochs[k]);
            lrs[k] = o.lr(0);
        }
        assertSeq(
                "warm_restarts_epochs",
                Fixtures.get(FX, "warm_restarts_epochs.g0").toDoubleArray(),
                lrs);
    }

    @Test
    void linearWarmUpAndDecay() {
        check("linear", o -> new LinearLR(o, 0.1, 1.0, 6));
        check("linear_down", o -> new LinearLR(o, 1.0, 0.25, 9));
    }

    @Test
    void sequentialWarmUpThenCosine() {
        check(
                "sequential",
                o -> new SequentialLR(
                        o, List.of(new LinearLR(o, 0.2, 1.0, 5), new CosineAnnealingLR(o, 20, 0.0001)), new int[] {5}));
    }

    @Test
    void oneCycle() {
        ToDoubleFunction<ParamGroup> mom = g -> g.has("beta1") ? g.get("beta1") : g.get("momentum");
        check("onecycle_cos", o -> new OneCycleLR(o, new double[] {1.0, 0.5}, STEPS, new OneCycleLR.Options()), mom);
        check(
                "onecycle_linear",
                o -> new OneCycleLR(
                        o,
                        new double[] {0.8},
                        STEPS,
                        new OneCycleLR.Options()
                                .pctStart(0.25)
                                .anneal(OneCycleLR.Anneal.LINEAR)
                                .divFactor(10)
                                .finalDivFactor(100)),
                mom);
        check(
                "onecycle_three",
                o -> new OneCycleLR(
                        o,
                        new double[] {1.0},
                        3 * 10,
                        new OneCycleLR.Options().threePhase(true).cycleMomentum(false)));
        check(
                "onecycle_adam",
                o -> new OneCycleLR(
                        o,
                        new double[] {0.01},
                        STEPS,
                        new OneCycleLR.Options().baseMomentum(0.8).maxMomentum(0.9)),
                mom);
    }

    @Test
    void oneCycleRefusesStepsPastTheEnd() {
        SGD o = twoGroups();
        OneCycleLR s = new OneCycleLR(o, 1.0, 3);
        s.step();
        s.step();
        s.step();
        IllegalStateException e = assertThrows(IllegalStateException.class, s::step);
        assertTrue(e.getMessage().contains("tried to step 5 times"), e.getMessage());
    }

    @Test
    void reduceOnPlateau() {
        double[] metrics = Fixtures.get(FX, "plateau.metrics").toDoubleArray();
        Map<String, ReduceLROnPlateau.Options> configs = Map.of(
                "plateau_min", new ReduceLROnPlateau.Options().factor(0.5).patience(2),
                "plateau_min_cool",
                        new ReduceLROnPlateau.Options()
                                .factor(0.3)
                                .patience(1)
                                .cooldown(2)
                                .minLr(0.004)
                                .threshold(0.01),
                "plateau_abs",
                        new ReduceLROnPlateau.Options()
                                .factor(0.5)
                                .patience(0)
                                .threshold(0.005)
                                .thresholdMode(ReduceLROnPlateau.ThresholdMode.ABS)
                                .minLr(0.01, 0.001)
                                .eps(1e-3),
                "plateau_max",
                        new ReduceLROnPlateau.Options()
                                .mode(ReduceLROnPlateau.Mode.MAX)
                                .factor(0.1)
                                .patience(3)
                                .cooldown(1),
                "plateau_max_abs",
                        new ReduceLROnPlateau.Options()
                                .mode(ReduceLROnPlateau.Mode.MAX)
                                .factor(0.7)
                                .patience(2)
                                .threshold(0.02)
                                .thresholdMode(ReduceLROnPlateau.ThresholdMode.ABS));
        for (Map.Entry<String, ReduceLROnPlateau.Options> c : configs.entrySet()) {
            SGD o = twoGroups();
            ReduceLROnPlateau s = new ReduceLROnPlateau(o, c.getValue());
            double[][] lrs = new double[2][metrics.length];
            for (int e = 0; e < metrics.length; e++) {
                s.step(metrics[e]);
                lrs[0][e] = o.lr(0);
                lrs[1][e] = o.lr(1);
            }
            for (int g = 0; g < 2; g++) {
                assertSeq(
                        c.getKey() + ".g" + g,
                        Fixtures.get(FX, c.getKey() + ".g" + g).toDoubleArray(),
                        lrs[g]);
            }
        }
    }

    /** A schedule rebuilt from its state dict (and the optimizer's) continues the same sequence. */
    @Test
    void scheduleStateDictResumes() {
        SGD o = twoGroups();
        LRScheduler s = new CosineAnnealingWarmRestarts(o, 3, 2, 0.001);
        for (int e = 0; e < 11; e++) {
            s.step();
        }
        Map<String, Tensor> os = o.stateDict();
        Map<String, Tensor> ss = s.stateDict();
        SGD o2 = twoGroups();
        LRScheduler s2 = new CosineAnnealingWarmRestarts(o2, 3, 2, 0.001);
        o2.loadStateDict(os);
        s2.loadStateDict(ss);
        double[] expected = Fixtures.get(FX, "warm_restarts.g0").toDoubleArray();
        for (int e = 12; e < STEPS; e++) {
            s2.step();
            assertEquals(expected[e], o2.lr(0), TOL, "resumed epoch " + e);
        }
    }

    @Test
    void invalidScheduleArguments() {
        SGD o = twoGroups();
        assertThrows(IllegalArgumentException.class, () -> new StepLR(o, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(o, 0));
        assertThrows(IllegalArgumentException.class, () -> new LinearLR(o, 1.5, 1.0, 5));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingWarmRestarts(o, 2, 0, 0));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ReduceLROnPlateau(o, new ReduceLROnPlateau.Options().factor(1.0)));
        assertTrue(e.getMessage().contains("factor 1.0"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new OneCycleLR(new Adagrad(List.of(new Parameter(Tensor.zeros(1)))), 1.0, 10));
        assertTrue(e.getMessage().contains("cycleMomentum(false)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new OneCycleLR(o, new double[] {1, 2, 3}, 10, new OneCycleLR.Options()));
        assertTrue(e.getMessage().contains("expected 2 values for maxLr"), e.getMessage());
    }
}
