package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.optim.Adam;
import io.jgrad.optim.SGD;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Magnitude pruning: hand-computed masks, masks surviving optimizer steps, the schedule, removal, save and load. */
class PruningTest {
    @TempDir
    Path tmp;

    private static Linear linear(float... w) {
        Linear l = new Linear(w.length / 2, 2);
        l.weight().data().copy_(Tensor.of(w, 2, w.length / 2));
        return l;
    }

    @Test
    void layerwiseMasksTheSmallestWeightsOfEachLayer() {
        Linear a = linear(0.1f, -0.5f, 0.3f, -0.05f); // 4 weights
        Linear b = linear(2f, -1f, 0.2f, 3f, 0.01f, -4f); // 6 weights
        Sequential model = new Sequential(a, new ReLU(), b);
        Pruning.layerwise(model, 0.5);
        assertArrayEquals(new float[] {0, -0.5f, 0.3f, 0}, a.weight().data().toFloatArray());
        assertArrayEquals(new float[] {2, 0, 0, 3, 0, -4}, b.weight().data().toFloatArray());
        assertEquals(Map.of("0.weight", 0.5, "2.weight", 0.5), Pruning.sparsity(model));
        assertArrayEquals(new float[] {0, 1, 1, 0}, a.buffer("weight_mask").toFloatArray());
        assertTrue(model.stateDict().containsKey("2.weight_mask"));
    }

    @Test
    void globalUsesOneThresholdOverAllLayers() {
        Linear a = linear(0.1f, -0.5f, 0.3f, -0.05f);
        Linear b = linear(2f, -1f, 0.2f, 3f, 0.01f, -4f);
        Sequential model = new Sequential(a, b);
        // 10 weights, 6 pruned: |w| <= 0.3 goes (0.01, 0.05, 0.1, 0.2, 0.3) and then 0.5
        Pruning.global(model, 0.6);
        assertArrayEquals(new float[] {0, 0, 0, 0}, a.weight().data().toFloatArray());
        assertArrayEquals(new float[] {2, -1, 0, 3, 0, -4}, b.weight().data().toFloatArray());
        assertEquals(0.6, Pruning.globalSparsity(model), 1e-12);
        assertEquals(1.0, Pruning.sparsity(model).get("0.weight"), 0);
    }

    @Test
    void tiesAtTheThresholdKeepTheExactCount() {
        boolean[] keep = Pruning.keepLargest(new double[] {1, 1, 1, 1, 2}, 3);
        assertArrayEquals(new boolean[] {true, true, false, false, true}, keep);
    }

    @Test
    void masksSurviveOptimizerStepsAndGetNoGradient() {
        Generator g = new Generator(4);
        Linear l = new Linear(6, 4);
        l.resetParameters(g);
        Pruning.layerwise(l, 0.5);
        Tensor mask = l.buffer("weight_mask").clone();
        // Adam with weight decay and SGD with momentum: both would move a zero weight with a non-zero gradient
        Adam adam = new Adam(l.parameters(), Adam.options().lr(0.1).weightDecay(0.1));
        Tensor x = Tensor.randn(g, 8, 6);
        for (int step = 0; step < 5; step++) {
            adam.zeroGrad();
            l.call(Variable.constant(x)).square().sum().backward();
            float[] grad = l.weight().grad().toFloatArray();
            float[] m = mask.toFloatArray();
            for (int i = 0; i < m.length; i++) {
                if (m[i] == 0) {
                    assertEquals(0f, grad[i], 0f, "gradient of pruned weight " + i);
                }
            }
            adam.step();
        }
        SGD sgd = new SGD(l.parameters(), SGD.options().lr(0.1).momentum(0.9));
        for (int step = 0; step < 3; step++) {
            sgd.zeroGrad();
            l.call(Variable.constant(x)).sum().backward();
            sgd.step();
        }
        float[] w = l.weight().data().toFloatArray();
        float[] m = mask.toFloatArray();
        int kept = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == 0) {
                assertEquals(0f, w[i], 0f, "pruned weight " + i + " moved");
            } else {
                kept++;
            }
        }
        assertEquals(12, kept);
        assertEquals(0.5, Pruning.sparsity(l).get("weight"), 0);
        // the output is the one of the masked weight
        Tensor y = l.call(Variable.constant(x)).data();
        Tensor expected = x.matmul(l.weight().data().mul(mask).t()).add(l.bias().data());
        assertArrayEquals(expected.toFloatArray(), y.toFloatArray(), 1e-5f);
    }

    @Test
    void zhuGuptaScheduleIsCubic() {
        // s_t = 0.9 + (0 - 0.9) (1 - k/4)^3 at steps 10, 12, 14, 16, 18
        Pruning.Schedule s = new Pruning.Schedule(0, 0.9, 10, 4, 2);
        assertEquals(0, s.sparsityAt(9), 0);
        assertEquals(0, s.sparsityAt(10), 1e-12);
        assertEquals(0.9 - 0.9 * 27 / 64.0, s.sparsityAt(12), 1e-12);
        assertEquals(0.9 - 0.9 * 27 / 64.0, s.sparsityAt(13), 1e-12);
        assertEquals(0.9 - 0.9 / 8, s.sparsityAt(14), 1e-12);
        assertEquals(0.9 - 0.9 / 64, s.sparsityAt(16), 1e-12);
        assertEquals(0.9, s.sparsityAt(18), 1e-12);
        assertEquals(0.9, s.sparsityAt(1000), 1e-12);
        assertTrue(s.isEvent(18));
        assertFalse(s.isEvent(20));
        assertFalse(s.isEvent(11));
        assertEquals(18, s.end());
    }

    @Test
    void scheduledPruningRisesToTheTargetWhileTraining() {
        Generator g = new Generator(5);
        Sequential model = new Sequential(new Linear(10, 20), new ReLU(), new Linear(20, 5));
        model.resetParameters(g);
        Pruning.Scheduled pruner = new Pruning.Scheduled(model, new Pruning.Schedule(0.2, 0.8, 1, 3, 2), true);
        Adam adam = new Adam(model.parameters(), 0.01);
        Tensor x = Tensor.randn(g, 16, 10);
        double last = 0;
        for (int step = 1; step <= 10; step++) {
            adam.zeroGrad();
            model.call(Variable.constant(x)).square().mean().backward();
            adam.step();
            double s = pruner.step();
            double now = Pruning.globalSparsity(model);
            assertTrue(now >= last, "sparsity fell from " + last + " to " + now);
            last = now;
            if (s >= 0) {
                assertEquals(Math.round(s * 300) / 300.0, now, 1e-12, "step " + step);
            }
        }
        assertEquals(0.8, last, 1e-12);
        assertEquals(10, pruner.steps());
    }

    @Test
    void removePruningMakesItPermanent() {
        Linear l = linear(0.1f, -0.5f, 0.3f, -0.05f);
        Pruning.layerwise(l, 0.5);
        assertEquals(1, Pruning.removePruning(l));
        assertEquals(List.of("weight", "bias"), List.copyOf(l.stateDict().keySet()));
        assertArrayEquals(new float[] {0, -0.5f, 0.3f, 0}, l.weight().data().toFloatArray());
        // no mask any more: weights may grow back
        l.weight().data().fill_(1);
        assertEquals(0.0, Pruning.sparsity(l).get("weight"), 0);
        assertEquals(0, Pruning.removePruning(l));
    }

    @Test
    void masksAreSavedAndLoadedWithTheModel() throws Exception {
        Generator g = new Generator(6);
        Sequential model = new Sequential(new Conv2d(1, 3, 3), new Flatten(), new Linear(12, 2));
        model.resetParameters(g);
        Pruning.global(model, 0.7);
        Path file = tmp.resolve("pruned.safetensors");
        model.save(file);
        Sequential fresh = new Sequential(new Conv2d(1, 3, 3), new Flatten(), new Linear(12, 2));
        // a model without masks refuses the file with a clear message ...
        StateDictException e = assertThrows(StateDictException.class, () -> fresh.load(file));
        assertTrue(e.getMessage().contains("0.weight_mask"), e.getMessage());
        // ... Pruning.load attaches them
        Pruning.load(fresh, file);
        assertEquals(Pruning.sparsity(model), Pruning.sparsity(fresh));
        assertArrayEquals(
                model.stateDict().get("2.weight_mask").toFloatArray(),
                fresh.stateDict().get("2.weight_mask").toFloatArray());
        Tensor x = Tensor.randn(g, 2, 1, 4, 4);
        assertArrayEquals(
                model.call(x).data().toFloatArray(), fresh.call(x).data().toFloatArray(), 0);
    }

    @Test
    void badArgumentsAreNamed() {
        Linear l = new Linear(3, 2);
        String m = assertThrows(IllegalArgumentException.class, () -> Pruning.layerwise(l, 1.0))
                .getMessage();
        assertTrue(m.contains("sparsity must be in [0, 1), got 1.0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Pruning.global(new ReLU(), 0.5))
                .getMessage();
        assertTrue(m.contains("has no Linear or convolution layer to prune"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Pruning.custom(l, Tensor.zeros(3, 2)))
                .getMessage();
        assertTrue(m.contains("does not match parameter 'weight'"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Pruning.custom(l, Tensor.full(0.5, 2, 3)))
                .getMessage();
        assertTrue(m.contains("mask values must be 0 or 1, got 0.5"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new Pruning.Schedule(0.5, 0.2, 0, 1, 1))
                .getMessage();
        assertTrue(m.contains("target sparsity 0.2 is below the initial 0.5"), m);
        assertThrows(IllegalArgumentException.class, () -> new Pruning.Schedule(0, 0.5, 0, 0, 1));
    }
}
