package io.jgrad.autograd.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Tape;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Recycling;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.FloatGemmDriver;
import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.ScratchPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The recurrent scan takes its saved buffers from the {@link ScratchPool} and gives them back when the
 * graph is freed. A pooled array holds whatever its last user wrote, so these tests fill the pool with
 * NaN arrays of exactly the scan's sizes before running it and require the output and every gradient
 * to be bit for bit those of a run with an empty pool: with padded steps (whose entries the forward does
 * not write), recurrent dropout, each cell, both directions and both floating point types.
 */
class RecurrentScanScratchTest {
    static final int T = 5;
    static final int B = 6;
    static final int H = 4;

    /** Runs a scan and its backward: the output, then the gradient of each input. */
    static List<double[]> run(RecurrentScan.Kind kind, DType dt, boolean reverse, boolean padded, boolean dropout) {
        Generator g = new Generator(11);
        int gh = kind.gates * H;
        Variable xp = Variable.param(Tensor.randn(g, dt, T, B, gh));
        Variable w = Variable.param(Tensor.randn(g, dt, gh, H).mul(0.5));
        Variable h0 = Variable.param(Tensor.randn(g, dt, B, H));
        Variable extra = kind == RecurrentScan.Kind.LSTM
                ? Variable.param(Tensor.randn(g, dt, B, H))
                : kind == RecurrentScan.Kind.GRU ? Variable.param(Tensor.randn(g, dt, gh)) : null;
        boolean[] real = null;
        if (padded) {
            real = new boolean[T * B];
            for (int t = 0; t < T; t++) {
                for (int b = 0; b < B; b++) {
                    real[t * B + b] = t < 1 + b % T && t != 2; // lengths 1..5, and no row real at t = 2
                }
            }
        }
        Tensor mask = dropout ? Tensor.rand(g, dt, B, H).gt(0.3).to(dt).mul(1 / 0.7) : null;
        Variable out = RecurrentScan.run(kind, reverse, real, mask, xp, w, h0, extra);
        Tensor weights = Tensor.randn(g, dt, out.shape());
        out.mul(Variable.constant(weights)).sum().backward();
        List<double[]> values = new ArrayList<>();
        values.add(out.data().toDoubleArray());
        for (Variable v : extra == null ? new Variable[] {xp, w, h0} : new Variable[] {xp, w, h0, extra}) {
            values.add(v.grad().toDoubleArray());
        }
        return values;
    }

    /** Gives the pool three NaN arrays of each length the scan takes. */
    static void poison(RecurrentScan.Kind kind, DType dt) {
        int gh = kind.gates * H;
        for (int n : new int[] {T * B * gh, T * B * H}) {
            for (int i = 0; i < 3; i++) {
                if (dt == DType.FLOAT64) {
                    double[] a = new double[n];
                    Arrays.fill(a, Double.NaN);
                    ScratchPool.give(a);
                } else {
                    float[] a = new float[n];
                    Arrays.fill(a, Float.NaN);
                    ScratchPool.give(a);
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> stalePooledValuesNeverReachResults() {
        List<DynamicTest> tests = new ArrayList<>();
        for (RecurrentScan.Kind kind : RecurrentScan.Kind.values()) {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int variant = 0; variant < 4; variant++) {
                    boolean reverse = variant == 1;
                    boolean padded = variant >= 2;
                    boolean dropout = variant == 3;
                    String name = kind + " " + dt + (reverse ? " reverse" : "") + (padded ? " padded" : "")
                            + (dropout ? " dropout" : "");
                    tests.add(DynamicTest.dynamicTest(name, () -> {
                        ScratchPool.clear();
                        List<double[]> fresh = run(kind, dt, reverse, padded, dropout);
                        ScratchPool.clear();
                        poison(kind, dt);
                        long[] before = ScratchPool.counts();
                        List<double[]> pooled = run(kind, dt, reverse, padded, dropout);
                        long[] after = ScratchPool.counts();
                        assertTrue(after[1] > before[1], name + ": the scan took no pooled array");
                        assertEquals(fresh.size(), pooled.size());
                        for (int i = 0; i < fresh.size(); i++) {
                            String what = i == 0 ? "output" : "gradient of input " + (i - 1);
                            assertArrayEquals(fresh.get(i), pooled.get(i), name + ": " + what);
                            for (double v : pooled.get(i)) {
                                assertTrue(Double.isFinite(v), name + ": a non-finite value in the " + what);
                            }
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    @Test
    void buffersGoBackAfterTheBackwardAndAreTakenAgain() {
        // the scan's own buffers only: the engine's recycled gradients would add to the pool
        Recycling.setEnabled(false);
        try {
            scanBuffersGoBackAndAreTakenAgain();
        } finally {
            Recycling.setEnabled(true);
        }
    }

    /**
     * Bytes of the recurrent weight's packings that a FLOAT32 scan gives back once it has used them: W^T
     * for the forward (depth H), and with the backward also W (depth gates x H); one array when the two
     * have the same length (the backward takes the forward's). Call it with an empty pool.
     */
    static long packedBytes(int gh, boolean backward) {
        FloatGemmDriver gemm = KernelProvider.kernels().floatGemm();
        long fwd = gemm.pack(false, H, gh, new float[H * gh], 0, gh).length();
        long bwd = gemm.pack(false, gh, H, new float[gh * H], 0, H).length();
        ScratchPool.clear();
        return 4 * (!backward ? fwd : fwd == bwd ? fwd : fwd + bwd);
    }

    private void scanBuffersGoBackAndAreTakenAgain() {
        ScratchPool.clear();
        long packed = packedBytes(4 * H, true);
        run(RecurrentScan.Kind.LSTM, DType.FLOAT32, false, false, false);
        // gates (T, B, 4H), the states entering each step and tanh(c'): (T, B, H) three times
        long saved = 4L * (T * B * 4 * H + 3 * T * B * H);
        assertTrue(packed > 0, "a batch of " + B + " packs the recurrent weight");
        assertEquals(saved + packed, ScratchPool.pooledBytes());
        long[] before = ScratchPool.counts();
        run(RecurrentScan.Kind.LSTM, DType.FLOAT32, false, false, false);
        long[] after = ScratchPool.counts();
        assertEquals(6, after[1] - before[1], "the second step reuses the first one's four buffers and two packings");
        assertEquals(saved + packed, ScratchPool.pooledBytes());
    }

    @Test
    void aRetainedGraphKeepsItsBuffersUntilTheLastBackward() {
        Recycling.setEnabled(false); // the scan's own buffers only, as above
        try {
            retainedGraphKeepsItsBuffers();
        } finally {
            Recycling.setEnabled(true);
        }
    }

    private void retainedGraphKeepsItsBuffers() {
        ScratchPool.clear();
        long packed = packedBytes(4 * H, true);
        Generator g = new Generator(3);
        Variable xp = Variable.param(Tensor.randn(g, T, B, 4 * H));
        Variable w = Variable.param(Tensor.randn(g, 4 * H, H));
        Variable h0 = Variable.constant(Tensor.zeros(DType.FLOAT32, B, H));
        Variable c0 = Variable.constant(Tensor.zeros(DType.FLOAT32, B, H));
        Variable loss = RecurrentScan.run(RecurrentScan.Kind.LSTM, false, null, null, xp, w, h0, c0)
                .square()
                .sum();
        loss.backward(null, true, false);
        // only the weight's packings, which served the forward and the backward call alone, are back
        assertEquals(packed, ScratchPool.pooledBytes(), "retained: the buffers are still the graph's");
        double[] first = xp.grad().toDoubleArray();
        xp.zeroGrad();
        w.zeroGrad();
        poison(RecurrentScan.Kind.LSTM, DType.FLOAT32); // other arrays of the same sizes
        loss.backward();
        assertArrayEquals(first, xp.grad().toDoubleArray());
        assertTrue(ScratchPool.pooledBytes() > 0);
    }

    @Test
    void withoutGradientsTheBuffersGoBackAtOnce() {
        ScratchPool.clear();
        long packed = packedBytes(3 * H, false);
        Generator g = new Generator(4);
        Variable xp = Variable.param(Tensor.randn(g, T, B, 3 * H));
        Variable w = Variable.param(Tensor.randn(g, 3 * H, H));
        Variable h0 = Variable.param(Tensor.randn(g, B, H));
        Variable bhh = Variable.param(Tensor.randn(g, 3 * H));
        try (Tape.Scope off = Autograd.noGrad()) {
            RecurrentScan.run(RecurrentScan.Kind.GRU, false, null, null, xp, w, h0, bhh);
        }
        // a GRU's gates (T, B, 3H), the states entering each step and h W_hn^T + b_hn: (T, B, H) twice, and
        // the weight's packing
        assertEquals(4L * (T * B * 3 * H + 2 * T * B * H) + packed, ScratchPool.pooledBytes());
    }
}
