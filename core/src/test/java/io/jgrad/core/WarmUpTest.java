package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.kernel.Parallel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The background warm-up of the kernels: bounded, yielding to the thread pool, and without effect on results. */
class WarmUpTest {
    @Test
    void runsTheRoundsItIsGivenWithinItsTimeBound() {
        assertEquals(3, WarmUp.run(3, Long.MAX_VALUE));
        assertEquals(0, WarmUp.run(3, 0), "no time, no round");
    }

    @Test
    void onlyTheValueFalseTurnsItOff() {
        assertTrue(WarmUp.enabled(null));
        assertTrue(WarmUp.enabled("true"));
        assertTrue(WarmUp.enabled(""));
        assertFalse(WarmUp.enabled("false"));
        assertFalse(WarmUp.enabled(" FALSE "));
    }

    @Test
    void stopsWhenTheProgramSpreadsWorkOverThePool() throws Exception {
        int before = Parallel.threads();
        Parallel.setThreads(2);
        try {
            long jobs = Parallel.jobsStarted();
            assertEquals(
                    2, WarmUp.run(2, Long.MAX_VALUE, jobs), "the warm-up runs while the program does not use the pool");
            // the count of pool calls is read before the thread starts, so no timing is involved
            AtomicInteger rounds = new AtomicInteger(-1);
            Thread t = new Thread(() -> rounds.set(WarmUp.run(Integer.MAX_VALUE, 120_000_000_000L, jobs)));
            t.start();
            Parallel.forRange(1000, 1, (from, to) -> {});
            assertTrue(Parallel.jobsStarted() > jobs, "the call went to the pool");
            t.join(60_000);
            assertFalse(t.isAlive(), "the warm-up stopped after the program's first parallel call");
            assertTrue(rounds.get() >= 0, "it returned normally");
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void resultsComputedWhileItRunsAreTheSameBitForBit() throws Exception {
        Generator g = new Generator(7);
        Tensor a = Tensor.rand(g, 37, 300);
        Tensor b = Tensor.rand(g, 300, 90);
        Tensor x = Tensor.randn(g, 40, 50);
        float[] product = a.matmul(b).toFloatArray();
        float[] activations = x.gelu().softmax(1).add(x.tanh()).toFloatArray();
        Thread t = new Thread(() -> WarmUp.run(200, 60_000_000_000L));
        t.start();
        while (t.isAlive()) {
            assertArrayEquals(product, a.matmul(b).toFloatArray());
            assertArrayEquals(activations, x.gelu().softmax(1).add(x.tanh()).toFloatArray());
        }
        t.join();
    }
}
