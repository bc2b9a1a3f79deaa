package io.jgrad.bench;

import io.jgrad.core.kernel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's single-precision FMA peak as the JVM reaches it: each of T threads runs 12 independent
 * chains of vector fused multiply-adds on registers (the widest species, 16 lanes with AVX-512), enough
 * to cover the FMA latency on both pipes, with nothing loaded or stored. GFLOPS = 2 * lanes * 12 * steps
 * * threads / seconds, the best of 5 timings after one untimed one. This is the ceiling a GEMM kernel
 * can approach; the GEMM's share of it is what the second performance round asks about. Workload
 * {@code peak}: {@code peak fma_gflops=...} on the threads of {@code --threads}.
 */
final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;

    /** Sink for the chains' results, so that the JIT keeps the loop. */
    static volatile float sink;

    private FmaPeak() {}

    /** The workload: the result line, or a message when the Vector API module is not readable. */
    static String run(Main.Options o) throws InterruptedException {
        try {
            return String.format(java.util.Locale.ROOT, "peak fma_gflops=%.1f", gflops(Parallel.threads()));
        } catch (LinkageError e) {
            return "peak fma_gflops=unavailable (run with --add-modules jdk.incubator.vector)";
        }
    }

    /**
     * Measures the peak.
     *
     * @param threads the threads, at least 1
     * @return GFLOPS
     * @throws InterruptedException if interrupted while waiting for the threads
     */
    static double gflops(int threads) throws InterruptedException {
        long steps = 20_000_000L / Math.max(1, S.length() / 4);
        time(threads, steps); // untimed: the JIT compiles the loop
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            best = Math.min(best, time(threads, steps));
        }
        return 2.0 * S.length() * CHAINS * steps * threads / best / 1e9;
    }

    /** Seconds for every thread to run {@code steps} steps. */
    private static double time(int threads, long steps) throws InterruptedException {
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> sink = chains(steps), "fma-peak-" + t);
        }
        long t0 = System.nanoTime();
        for (Thread t : ts) {
            t.start();
        }
        for (Thread t : ts) {
            t.join();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * 12 independent chains {@code x = m * c + x}, {@code steps} times each. Each chain runs through the
     * addend, as the GEMM's accumulators do. Chained through a multiplicand instead ({@code x = x * m +
     * c}, this probe's form until the eighth sitting), a Zen 3 AVX2 core reached only 53-58 of its 87-90
     * GFLOPS, so the probe read less than OpenBLAS's own sgemm1024 on that machine.
     */
    static float chains(long steps) {
        FloatVector m = FloatVector.broadcast(S, 0.9999999f);
        FloatVector c = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, 1f);
        FloatVector a1 = FloatVector.broadcast(S, 2f);
        FloatVector a2 = FloatVector.broadcast(S, 3f);
        FloatVector a3 = FloatVector.broadcast(S, 4f);
        FloatVector a4 = FloatVector.broadcast(S, 5f);
        FloatVector a5 = FloatVector.broadcast(S, 6f);
        FloatVector a6 = FloatVector.broadcast(S, 7f);
        FloatVector a7 = FloatVector.broadcast(S, 8f);
        FloatVector a8 = FloatVector.broadcast(S, 9f);
        FloatVector a9 = FloatVector.broadcast(S, 10f);
        FloatVector a10 = FloatVector.broadcast(S, 11f);
        FloatVector a11 = FloatVector.broadcast(S, 12f);
        for (long i = 0; i < steps; i++) {
            a0 = m.fma(c, a0);
            a1 = m.fma(c, a1);
            a2 = m.fma(c, a2);
            a3 = m.fma(c, a3);
            a4 = m.fma(c, a4);
            a5 = m.fma(c, a5);
            a6 = m.fma(c, a6);
            a7 = m.fma(c, a7);
            a8 = m.fma(c, a8);
            a9 = m.fma(c, a9);
            a10 = m.fma(c, a10);
            a11 = m.fma(c, a11);
        }
        FloatVector s = a0.add(a1).add(a2).add(a3).add(a4).add(a5);
        s = s.add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
        return s.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
