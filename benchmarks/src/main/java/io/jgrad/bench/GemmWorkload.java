package io.jgrad.bench;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.Parallel;
import java.util.Locale;

/**
 * {@code gemm}: single-precision square matrix products through {@code Tensor.matmul}, timed like the
 * PyTorch reference script: for n = 256, 512, 1024, {@code reps = max(3, 2e10 / (2 n^3))} products per
 * timing, the best of 3 timings, GFLOPS = 2 n^3 / seconds per product. Before timing, each size runs one
 * untimed timing loop so the JIT has compiled the kernels (PyTorch needs no such warm-up). The line ends
 * with the machine's FMA peak measured in the same run ({@link FmaPeak}, as many threads as the
 * products use) and sgemm1024's share of it.
 */
final class GemmWorkload {
    static final int[] SIZES = {256, 512, 1024};

    private GemmWorkload() {}

    static String run(Main.Options o) throws InterruptedException {
        StringBuilder line = new StringBuilder("gemm");
        Generator g = new Generator(0);
        double last = 0;
        for (int n : SIZES) {
            Tensor a = Tensor.rand(g, n, n);
            Tensor b = Tensor.rand(g, n, n);
            long reps = Math.max(3, (long) (2e10 / (2.0 * n * n * n)));
            timeOnce(a, b, reps); // warm-up
            double best = Double.MAX_VALUE;
            for (int t = 0; t < 3; t++) {
                best = Math.min(best, timeOnce(a, b, reps));
            }
            last = 2.0 * n * n * n / best / 1e9;
            line.append(String.format(Locale.ROOT, " sgemm%d=%.1fGFLOPS", n, last));
        }
        try {
            double peak = FmaPeak.gflops(Parallel.threads());
            line.append(String.format(Locale.ROOT, " fma_peak=%.1fGFLOPS sgemm1024_of_peak=%.3f", peak, last / peak));
        } catch (LinkageError e) {
            line.append(" fma_peak=unavailable(run with --add-modules jdk.incubator.vector)");
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
