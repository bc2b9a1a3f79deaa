package io.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class EngineTest {
    static Tensor d(double... v) {
        return Tensor.of(v);
    }

    @Test
    void accumulatesOverEveryUse() {
        Variable x = Variable.param(d(1, 2, 3));
        // y = x*x + 3x  -> dy/dx = 2x + 3
        x.mul(x).add(x.mul(3)).sum().backward();
        assertArrayEquals(new double[] {5, 7, 9}, x.grad().toDoubleArray(), 1e-15);
        // a second backward accumulates into .grad
        x.mul(2).sum().backward();
        assertArrayEquals(new double[] {7, 9, 11}, x.grad().toDoubleArray(), 1e-15);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void sumsOverBroadcastDimensions() {
        Variable a = Variable.param(Tensor.ones(DType.FLOAT64, 2, 3));
        Variable b = Variable.param(d(1, 2, 3));
        Variable c = Variable.param(Tensor.ones(DType.FLOAT64, 2, 1));
        a.mul(b).add(c).sum().backward();
        assertArrayEquals(new double[] {2, 2, 2}, b.grad().toDoubleArray(), 0);
        assertArrayEquals(new int[] {2, 1}, c.grad().shape());
        assertArrayEquals(new double[] {3, 3}, c.grad().toDoubleArray(), 0);
    }

    @Test
    void leafGradientsNeverShareStorage() {
        Variable a = Variable.param(d(1, 2));
        Variable b = Variable.param(d(3, 4));
        a.add(b).sum().backward();
        assertFalse(a.grad().sharesStorage(b.grad()));
        a.grad().mul_(10);
        assertArrayEquals(new double[] {1, 1}, b.grad().toDoubleArray(), 0);
        // the caller's seed gradient is not stored as is either
        Variable c = Variable.param(d(1, 2));
        Tensor seed = d(5, 6);
        c.add(0).backward(seed);
        seed.mul_(0);
        assertArrayEquals(new double[] {5, 6}, c.grad().toDoubleArray(), 0);
    }

    @Test
    void backwardTwiceWithoutRetainIsAClearError() {
        Variable x = Variable.param(d(1, 2));
        Variable y = x.exp().sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Variable x = Variable.param(d(1, 2));
        Variable y = x.exp().sum();
        y.backward(null, true, false);
        y.backward();
        assertArrayEquals(
                new double[] {2 * Math.exp(1), 2 * Math.exp(2)}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void nonScalarOutputNeedsAGradient() {
        Variable x = Variable.param(d(1, 2));
        Variable y = x.mul(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("scalar") && e.getMessage().contains("(2,)"), e.getMessage());
        y.backward(d(1, 10));
        assertArrayEquals(new double[] {2, 20}, x.grad().toDoubleArray(), 0);
        IllegalArgumentException e2 =
                assertThrows(IllegalArgumentException.class, () -> x.mul(2).backward(d(1, 2, 3)));
        assertTrue(e2.getMessage().contains("(3,)"), e2.getMessage());
    }

    @Test
    void savedValueModifiedInPlaceIsDetected() {
        Variable x = Variable.param(d(1, 2));
        Variable y = x.exp();
        Variable loss = y.sum();
        y.data().add_(1); // exp saved its output
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("exp") && e.getMessage().contains("in-place"), e.getMessage());

        Variable w = Variable.param(d(3, 4));
        Variable z = x.mul(w).sum();
        w.data().mul_(2); // mul saved both inputs
        assertThrows(IllegalStateException.class, z::backward);

        // add saves nothing: modifying its input is fine
        Variable p = Variable.param(d(1, 2));
        Variable q = p.add(1).sum();
        p.data().add_(5);
        q.backward();
        assertArrayEquals(new double[] {1, 1}, p.grad().toDoubleArray(), 0);
    }

    @Test
    void noGradScopeRecordsNothingAndRestores() {
        Variable x = Variable.param(d(1, 2));
        try (var off = Autograd.noGrad()) {
            assertFalse(Autograd.isGradEnabled());
            Variable y = x.mul(2);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
            try (var on = Autograd.enableGrad()) {
                assertTrue(x.mul(2).requiresGrad());
            }
            assertFalse(Autograd.isGradEnabled());
        }
        assertTrue(Autograd.isGradEnabled());
        assertTrue(x.mul(2).requiresGrad());
    }

    @Test
    void detachCutsTheGraph() {
        Variable x = Variable.param(d(1, 2));
        Variable y = x.mul(3).detach();
        assertFalse(y.requiresGrad());
        assertSame(y.data().shape().length, 1);
        Variable z = x.mul(y).sum();
        z.backward();
        assertArrayEquals(new double[] {3, 6}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void hooksAndRetainGrad() {
        Variable x = Variable.param(d(1, 2));
        List<Tensor> seen = new ArrayList<>();
        Variable h = x.mul(3);
        h.registerHook(g -> {
            seen.add(g.data());
            return g.mul(2);
        });
        h.retainGrad();
        x.registerHook(g -> g.add(1));
        h.square().sum().backward();
        // dh = 2h = (6, 12); hook doubles it -> (12, 24); dx = 3 * that = (36, 72); leaf hook adds 1
        assertArrayEquals(new double[] {6, 12}, seen.get(0).toDoubleArray(), 0);
        assertArrayEquals(new double[] {12, 24}, h.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {37, 73}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void customFunctionWithDoubleBackward() {
        Function cube = new Function("cube") {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0].pow(3);
            }

            @Override
            protected Variable[] backward(Context ctx, Variable g) {
                return new Variable[] {g.mul(ctx.input(0).square()).mul(3)};
            }
        };
        Tensor x = Tensor.randn(new Generator(3), DType.FLOAT64, 4);
        GradCheck.check(v -> cube.apply(v[0]), x);
        GradCheck.checkSecondOrder(v -> cube.apply(v[0]), x);
        Variable v = Variable.param(d(2));
        Variable y = cube.apply(v);
        assertEquals("cube", y.gradFn().name());
        y.sum().backward();
        assertEquals(12, v.grad().item(), 1e-12);
    }

    /** A cube whose backward is fused (plain tensors), as a kernel would compute it. */
    private static Function fusedCube(boolean composed, boolean once) {
        return new Function("fusedCube") {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0].pow(3);
            }

            @Override
            protected Variable[] backward(Context ctx, Variable g) {
                return new Variable[] {
                    Variable.constant(g.data().mul(ctx.input(0).data().square()).mul(3))
                };
            }

            @Override
            protected Variable composed(Context ctx, Variable... in) {
                return composed ? in[0].mul(in[0]).mul(in[0]) : null;
            }

            @Override
            protected boolean onceDifferentiable() {
                return once;
            }
        };
    }

    @Test
    void fusedBackwardWithComposedDefinitionIsTwiceDifferentiable() {
        Function cube = fusedCube(true, false);
        Tensor x = Tensor.randn(new Generator(5), DType.FLOAT64, 4);
        GradCheck.check(v -> cube.apply(v[0]), x);
        GradCheck.checkSecondOrder(v -> cube.apply(v[0]), x);
        // the composed path runs only when the backward records: first order uses the fused rule
        Variable a = Variable.param(d(2));
        cube.apply(a).sum().backward();
        assertEquals(12, a.grad().item(), 0);
        // d2/dx2 x^3 = 6x through a non-leaf input (the walk stops at the op's inputs)
        Variable b = Variable.param(d(1.5));
        Variable y = cube.apply(b.mul(2));
        Variable g = Autograd.grad(y.sum(), List.of(b), true).get(0);
        assertTrue(g.requiresGrad());
        assertEquals(54, g.item(), 1e-12); // y = 8 b^3, dy/db = 24 b^2
        assertEquals(48 * 1.5, Autograd.grad(g.sum(), List.of(b), false).get(0).item(), 1e-12);
    }

    @Test
    void unrecordedGradientUnderCreateGraphIsAnError() {
        Function cube = fusedCube(false, false);
        Variable a = Variable.param(d(2));
        Variable w = Variable.param(d(3));
        // the incoming gradient w needs gradients, the rule returns a constant: refused, naming the op
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Autograd.grad(cube.apply(a).mul(w).sum(), List.of(a), true));
        assertTrue(e.getMessage().contains("fusedCube"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be differentiated twice"), e.getMessage());
        // first order is untouched
        cube.apply(a).mul(w).sum().backward();
        assertEquals(36, a.grad().item(), 0);
    }

    @Test
    void onceDifferentiableFailsOnlyWhenDifferentiatedAgain() {
        Function cube = fusedCube(false, true);
        Variable a = Variable.param(d(2));
        Variable w = Variable.param(d(3));
        // create-graph is allowed, and so is using the value of the gradient ...
        Variable g = Autograd.grad(cube.apply(a).mul(w).sum(), List.of(a), true).get(0);
        assertEquals(36, g.item(), 0);
        assertTrue(g.requiresGrad());
        // ... but a second derivative through it throws, naming the op
        UnsupportedOperationException e =
                assertThrows(UnsupportedOperationException.class, () -> Autograd.grad(g.sum(), List.of(a), false));
        assertTrue(e.getMessage().contains("fusedCube") && e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void gradCheckRejectsFloat32AndCatchesWrongRules() {
        assertThrows(IllegalArgumentException.class, () -> GradCheck.check(v -> v[0].exp(), Tensor.ones(3)));
        Function wrong = new Function("wrongSquare") {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0].square();
            }

            @Override
            protected Variable[] backward(Context ctx, Variable g) {
                return new Variable[] {g.mul(ctx.input(0))}; // missing factor 2
            }
        };
        GradCheck.Failure f =
                assertThrows(GradCheck.Failure.class, () -> GradCheck.check(v -> wrong.apply(v[0]), d(1.5, -2)));
        assertTrue(f.getMessage().contains("analytical"), f.getMessage());
    }

    @Test
    void anomalyModeNamesTheOpAndTheUserCode() {
        Variable x = Variable.param(d(-1, 2));
        try (var a = Autograd.detectAnomaly()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> x.log());
            assertTrue(e.getMessage().contains("'log'") && e.getMessage().contains("NaN"), e.getMessage());
            assertTrue(e.getMessage().contains("EngineTest"), e.getMessage());
            // backward: sqrt at 0 is fine forward, infinite backward
            Variable z = Variable.param(d(0, 4));
            Variable s = z.sqrt().sum();
            AnomalyException b = assertThrows(AnomalyException.class, s::backward);
            assertTrue(b.getMessage().contains("'sqrt'") && b.getMessage().contains("backward"), b.getMessage());
            assertTrue(b.getMessage().contains("EngineTest"), b.getMessage());
        }
        assertFalse(Autograd.isAnomalyEnabled());
        x.log(); // no exception without anomaly mode
    }

    /** Trains a tiny model for a few steps and returns its final weights. */
    static double[] trainTiny(long seed, int steps) {
        Generator g = new Generator(seed);
        Variable w = Variable.param(Tensor.randn(g, DType.FLOAT64, 3, 4));
        Variable b = Variable.param(Tensor.zeros(DType.FLOAT64, 3));
        Tensor x = Tensor.randn(g, DType.FLOAT64, 8, 4);
        Tensor y = Tensor.randn(g, DType.FLOAT64, 8, 3);
        for (int s = 0; s < steps; s++) {
            Variable loss = NN.linear(Variable.constant(x), w, b)
                    .tanh()
                    .sub(Variable.constant(y))
                    .square()
                    .mean();
            w.zeroGrad();
            b.zeroGrad();
            loss.backward();
            w.data().add_(w.grad(), -0.1);
            b.data().add_(b.grad(), -0.1);
        }
        return w.data().toDoubleArray();
    }

    @Test
    void threadsTrainingIndependentModelsDoNotInterfere() throws Exception {
        double[] a = trainTiny(1, 200);
        double[] b = trainTiny(2, 200);
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            List<Callable<double[]>> jobs = List.of(() -> trainTiny(1, 200), () -> trainTiny(2, 200));
            List<Future<double[]>> fs = ex.invokeAll(jobs);
            assertArrayEquals(a, fs.get(0).get(), 0);
            assertArrayEquals(b, fs.get(1).get(), 0);
        } finally {
            ex.shutdownNow();
        }
    }

    static List<Node> reachable(Variable v) {
        List<Node> out = new ArrayList<>();
        IdentityHashMap<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> st = new ArrayDeque<>();
        if (v.gradFn() != null) {
            st.push(v.gradFn());
        }
        while (!st.isEmpty()) {
            Node n = st.pop();
            if (seen.put(n, true) != null) {
                continue;
            }
            out.add(n);
            for (Variable in : n.inputs) {
                if (in.gradFn() != null) {
                    st.push(in.gradFn());
                }
            }
        }
        return out;
    }

    @Test
    void backwardFreesEveryNodeAndTenThousandStepsRetainNothing() throws InterruptedException {
        Generator g = new Generator(7);
        Variable w = Variable.param(Tensor.randn(g, DType.FLOAT64, 3, 4));
        Tensor x = Tensor.randn(g, DType.FLOAT64, 8, 4);
        Variable first =
                NN.linear(Variable.constant(x), w, null).tanh().square().mean();
        List<Node> nodes = reachable(first);
        assertTrue(nodes.size() >= 4);
        first.backward();
        for (Node n : nodes) {
            assertTrue(n.isReleased(), n + " still holds its saved values");
        }
        WeakReference<Node> firstNode = new WeakReference<>(first.gradFn());
        nodes = null;
        first = null;
        // the library's kernel warm-up thread allocates for up to 2 s after the first tensor: let it end
        // first, so that the heap measures this thread's steps only
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("jgrad-warmup")) {
                t.join(10_000);
            }
        }
        Runtime rt = Runtime.getRuntime();
        long baseline = 0;
        for (int s = 0; s < 10_000; s++) {
            Variable loss =
                    NN.linear(Variable.constant(x), w, null).tanh().square().mean();
            w.zeroGrad();
            loss.backward();
            w.data().add_(w.grad(), -0.01);
            if (s == 1000) {
                System.gc();
                baseline = rt.totalMemory() - rt.freeMemory();
            }
        }
        System.gc();
        long end = rt.totalMemory() - rt.freeMemory();
        assertNull(firstNode.get(), "the first step's graph is still reachable");
        assertTrue(end - baseline < 8L << 20, "heap grew by " + (end - baseline) + " bytes over 9,000 steps");
        assertNotNull(w.grad());
    }
}
