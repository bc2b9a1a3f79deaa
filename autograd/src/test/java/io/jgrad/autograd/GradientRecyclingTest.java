package io.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.Generator;
import io.jgrad.core.Recycling;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.ScratchPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine recycles the arrays of spent gradients ({@link Recycling}): training must give the same
 * bits with and without it, and nothing that a caller, a hook, a retained gradient or a captured one
 * can still see may be reused. Each run starts from a pool filled with NaN arrays of the sizes involved,
 * so that an array reused while still in use, or read before it is written, shows.
 */
class GradientRecyclingTest {
    private static final int B = 6;
    private static final int IN = 5;
    private static final int HID = 7;
    private static final int OUT = 3;

    @BeforeEach
    @AfterEach
    void reset() {
        Recycling.setEnabled(true);
        ScratchPool.clear();
    }

    /** A two-layer network's parameters: w1 (IN, HID), b1 (HID), w2 (HID, OUT). */
    private static List<Variable> params(long seed) {
        Generator g = new Generator(seed);
        List<Variable> ps = new ArrayList<>();
        ps.add(Variable.param(Tensor.randn(g, IN, HID)));
        ps.add(Variable.param(Tensor.randn(g, HID)));
        ps.add(Variable.param(Tensor.randn(g, HID, OUT)));
        return ps;
    }

    /** A loss in which the hidden activation reaches the output along two paths (shared gradients). */
    private static Variable loss(List<Variable> ps, Tensor x) {
        Variable h = Variable.constant(x).matmul(ps.get(0)).add(ps.get(1)).relu();
        Variable y = h.matmul(ps.get(2)).add(h.matmul(ps.get(2)).tanh());
        return y.square().sum().add(h.add(h).sum());
    }

    private static void poisonPool() {
        int[] lengths = {B * IN, IN * HID, HID, HID * OUT, B * HID, B * OUT, 1};
        for (int n : lengths) {
            for (int k = 0; k < 4; k++) {
                float[] a = new float[n];
                Arrays.fill(a, Float.NaN);
                ScratchPool.give(a);
            }
        }
    }

    /** Recycling on or off, from a pool holding only NaN arrays. */
    private static void start(boolean recycle) {
        Recycling.setEnabled(recycle);
        ScratchPool.clear();
        poisonPool();
    }

    /** Steps of clearing the gradients and a backward pass on new inputs, NaN arrays in the pool first. */
    private static void clearAndBackward(List<Variable> ps, Generator g, int steps) {
        for (int step = 0; step < steps; step++) {
            poisonPool(); // below the cleared gradients: a recycled one would be taken first
            for (Variable p : ps) {
                p.zeroGrad();
            }
            loss(ps, Tensor.randn(g, B, IN)).backward();
        }
    }

    /** Trains a few steps of plain SGD and returns the parameters' values. */
    private static List<float[]> train(boolean recycle, Function<Variable, Tensor> gradOf) {
        start(recycle);
        List<Variable> ps = params(1);
        Generator g = new Generator(2);
        for (int step = 0; step < 5; step++) {
            Tensor x = Tensor.randn(g, B, IN);
            for (Variable p : ps) {
                p.zeroGrad();
            }
            loss(ps, x).backward();
            for (Variable p : ps) {
                p.data().add_(gradOf.apply(p), -0.01);
            }
        }
        List<float[]> out = new ArrayList<>();
        for (Variable p : ps) {
            out.add(p.data().toFloatArray());
        }
        return out;
    }

    @Test
    void trainingGivesTheSameBitsWithAndWithoutRecycling() {
        List<float[]> plain = train(false, Variable::grad);
        long[] before = ScratchPool.counts();
        List<float[]> recycled = train(true, Variable::peekGrad);
        long[] after = ScratchPool.counts();
        for (int i = 0; i < plain.size(); i++) {
            assertArrayEquals(plain.get(i), recycled.get(i), "parameter " + i);
            for (float v : recycled.get(i)) {
                assertTrue(Float.isFinite(v));
            }
        }
        assertTrue(after[1] - before[1] > 5 * 6, "the steps reuse recycled arrays: " + (after[1] - before[1]));
    }

    @Test
    void aClearedGradientThatNobodyWasGivenIsReused() {
        List<Variable> ps = params(3);
        Tensor x = Tensor.randn(new Generator(4), B, IN);
        loss(ps, x).backward();
        float[] first = ps.get(0).peekGrad().floatData();
        for (Variable p : ps) {
            p.zeroGrad();
        }
        loss(ps, x).backward();
        assertSame(first, ps.get(0).peekGrad().floatData(), "w1's gradient array is recycled");
    }

    @Test
    void aGradientHandedOutStaysAsItWas() {
        List<Variable> ps = params(5);
        Generator g = new Generator(6);
        loss(ps, Tensor.randn(g, B, IN)).backward();
        List<Tensor> kept = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (Variable p : ps) {
            kept.add(p.grad());
            values.add(p.grad().toFloatArray());
        }
        clearAndBackward(ps, g, 3);
        for (int i = 0; i < ps.size(); i++) {
            assertArrayEquals(values.get(i), kept.get(i).toFloatArray(), "gradient " + i + " kept by the caller");
            assertNotSame(kept.get(i).floatData(), ps.get(i).peekGrad().floatData());
        }
    }

    @Test
    void accumulatingWithoutClearingAddsInPlaceToTheSameSums() {
        List<float[]> sums = new ArrayList<>();
        for (boolean recycle : new boolean[] {false, true}) {
            start(recycle);
            List<Variable> ps = params(7);
            Generator g = new Generator(8);
            for (int pass = 0; pass < 3; pass++) {
                loss(ps, Tensor.randn(g, B, IN)).backward();
            }
            sums.add(ps.get(0).peekGrad().toFloatArray());
            sums.add(ps.get(1).peekGrad().toFloatArray());
        }
        assertArrayEquals(sums.get(0), sums.get(2));
        assertArrayEquals(sums.get(1), sums.get(3));
    }

    @Test
    void hooksRetainedAndCapturedGradientsAreNeverReused() {
        List<Variable> ps = params(9);
        Generator g = new Generator(10);
        List<Tensor> seen = new ArrayList<>();
        List<float[]> seenValues = new ArrayList<>();
        Variable x = Variable.constant(Tensor.randn(g, B, IN));
        Variable h = x.matmul(ps.get(0)).add(ps.get(1));
        h.registerHook(gr -> {
            seen.add(gr.data());
            seenValues.add(gr.data().toFloatArray());
            return gr.mul(Variable.constant(Tensor.scalar(2f)));
        });
        Variable a = h.relu();
        a.retainGrad();
        Variable loss = a.matmul(ps.get(2)).tanh().square().sum();
        loss.backward();
        Tensor retained = a.grad();
        float[] retainedValues = retained.toFloatArray();
        List<Variable> captured = Autograd.grad(loss(ps, x.data()), List.of(ps.get(0), ps.get(2)), false);
        float[] capturedValues = captured.get(1).data().toFloatArray();
        clearAndBackward(ps, g, 3);
        assertEquals(1, seen.size());
        assertArrayEquals(seenValues.get(0), seen.get(0).toFloatArray(), "what the hook was given");
        assertArrayEquals(retainedValues, retained.toFloatArray(), "the retained gradient");
        assertArrayEquals(capturedValues, captured.get(1).data().toFloatArray(), "the captured gradient");
    }

    @Test
    void recyclingOffAllocatesEveryGradient() {
        Recycling.setEnabled(false);
        List<Variable> ps = params(11);
        Tensor x = Tensor.randn(new Generator(12), B, IN);
        loss(ps, x).backward();
        float[] first = ps.get(0).peekGrad().floatData();
        ps.get(0).zeroGrad();
        loss(ps, x).backward();
        assertNotSame(first, ps.get(0).peekGrad().floatData());
        assertEquals(0, ScratchPool.pooledBytes());
    }
}
