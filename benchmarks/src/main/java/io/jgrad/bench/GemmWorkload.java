package io.jgrad.bench;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.Locale;

/**
 * {@code gemm}: single-precision square matrix products through {@code Tensor.matmul}, timed like the
 * PyTorch reference script: for n = 256, 512, 1024, {@code reps = max(3, 2e10 / (2 n^3))} products per
 * timing, the best of 3 timings, GFLOPS = 2 n^3 / seconds per product. Before timing, each size runs
 * untimed timing loops for at least {@link #WARMUP_SECONDS} so the JIT has compiled the kernels (PyTorch
 * needs no such warm-up; its script runs one product). The
 * machine's FMA peak, the ceiling of these figures, is the workload {@code peak} ({@link FmaPeak}): a
 * separate run, because its warm-up allocates boxed vectors until C2 compiles it and would inflate
 * this workload's peak RSS.
 */
final class GemmWorkload {
    static final int[] SIZES = {256, 512, 1024};
    /** The shortest warm-up per size, in seconds. */
    static final double WARMUP_SECONDS = 1;

    private GemmWorkload() {}

    static String run(Main.Options o) {
        StringBuilder line = new StringBuilder("gemm");
        Generator g = new Generator(0);
        for (int n : SIZES) {
            Tensor a = Tensor.rand(g, n, n);
            Tensor b = Tensor.rand(g, n, n);
            long reps = Math.max(3, (long) (2e10 / (2.0 * n * n * n)));
            // warm-up: timing loops for at least WARMUP_SECONDS, so that C2 has compiled the kernels
            // and the fork-join workers are spinning (PyTorch needs neither; its script runs 1 product)
            long until = System.nanoTime() + (long) (WARMUP_SECONDS * 1e9);
            do {
                timeOnce(a, b, reps);
            } while (System.nanoTime() < until);
            double best = Double.MAX_VALUE;
            for (int t = 0; t < 3; t++) {
                best = Math.min(best, timeOnce(a, b, reps));
            }
            line.append(String.format(Locale.ROOT, " sgemm%d=%.1fGFLOPS", n, 2.0 * n * n * n / best / 1e9));
        }
        return line.toString();
    }

    /** Seconds per product over reps products. */
    private static double timeOnce(Tensor a, Tensor b, long reps) {
        long t0 = System.nanoTime();
        Tensor c = null;
        for (long r = 0; r < reps; r++) {
            c = a.matmul(b);
        }
        double s = (System.nanoTime() - t0) / 1e9 / reps;
        if (c.shape()[0] != a.shape()[0]) {
            throw new AssertionError("matmul returned shape " + java.util.Arrays.toString(c.shape()));
        }
        return s;
    }
}
