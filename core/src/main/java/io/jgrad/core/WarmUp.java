package io.jgrad.core;

import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Kernels;
import io.jgrad.core.kernel.Parallel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Compiles the Vector API kernels ahead of their first real use, on a background daemon thread.
 *
 * <p>Until C2 has compiled a method that uses the Vector API, the JVM runs it interpreted or through
 * C1, where every vector is an object: the GEMM's register tile then runs about a hundred times slower
 * than compiled, and the first training step of a small network took 0.5-0.7 s on a 2-core machine,
 * the first hundred steps 1.4 s (then 2.5-3 ms each). So when the SIMD kernels are active, the first
 * use of {@link Tensor} starts this thread, which runs the hot kernels on small tensors for a bounded
 * time while the program goes on loading data and building its model: first each hot kernel (Adam's
 * step among them) in short bursts of calls on tiny arrays ({@link #bursts}), then rounds of tensor
 * operations with the GEMM in its four transposition cases (register tiles, edge tiles, two depth
 * blocks, the packing routines) and as a matrix-vector product, the element-wise and reduction
 * kernels, softmax, and a convolution with its two backward products and max pooling.
 *
 * <p>It changes no result: it computes on its own tensors, its products stay below the sizes that use
 * the shared thread pool, and compiled code gives the same values as interpreted code. It stops after
 * {@link #ROUNDS} rounds or {@link #MAX_NANOS}, whichever comes first, or as soon as the program
 * spreads work of its own over the thread pool ({@link Parallel#jobsStarted()}), which needs both cores
 * and compiles the kernels by itself. {@code -Djgrad.warmup=false}
 * turns it off; the plain-Java kernels, which C1 already runs at a useful speed, never start it.
 */
final class WarmUp {
    /**
     * Rounds of the routine at most: on a 2-core AVX-512 machine the first 50 take about 0.8 s, the
     * next 150 about 0.2 s, and by then the hot kernels are compiled (0.24 ms per round later on).
     */
    static final int ROUNDS = 400;
    /** The longest the thread runs. */
    static final long MAX_NANOS = 2_000_000_000L;

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private WarmUp() {}

    /** Starts the thread once per JVM when the SIMD kernels are active and it is not turned off. */
    static void startInBackground() {
        if (!enabled(System.getProperty("jgrad.warmup")) || !STARTED.compareAndSet(false, true)) {
            return;
        }
        long jobs = Parallel.jobsStarted();
        // the thread, not the caller, loads the kernels (and the Vector API's classes)
        Thread t = new Thread(
                () -> {
                    if (KernelProvider.simd()) {
                        run(ROUNDS, MAX_NANOS, jobs);
                    }
                },
                "jgrad-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** Whether the property's value leaves the warm-up on (anything but {@code false}). */
    static boolean enabled(String property) {
        return property == null || !property.trim().equalsIgnoreCase("false");
    }

    /**
     * Runs the routine {@code rounds} times or until {@code maxNanos} have passed or the program has
     * used the thread pool since this call.
     *
     * @return the rounds completed
     */
    static int run(int rounds, long maxNanos) {
        return run(rounds, maxNanos, Parallel.jobsStarted());
    }

    /** {@link #run(int, long)}, stopping as soon as more than {@code jobs} pool calls have been made. */
    static int run(int rounds, long maxNanos, long jobs) {
        long deadline = System.nanoTime() + maxNanos;
        if (!bursts(KernelProvider.kernels(), deadline, jobs)) {
            return 0;
        }
        return rounds(rounds, deadline, jobs);
    }

    /** Whether the warm-up is to stop: its time is up or the program has used the thread pool. */
    private static boolean stop(long deadline, long jobs) {
        return System.nanoTime() - deadline >= 0 || Parallel.jobsStarted() != jobs;
    }

    /**
     * Calls of each kernel in {@link #bursts}: past the 600 invocations that HotSpot's tiered policy
     * wants before it hands a method to C2 ({@code Tier4MinInvocationThreshold}).
     */
    static final int BURST = 700;

    /**
     * The first phase: the hot kernels called {@link #BURST} times each, in groups whose members take
     * turns, on a few vectors' worth of data (with a tail that is not a whole vector, so that the
     * compiled code has seen both paths). A cold call costs about as much per vector as a large one, so
     * small calls reach the invocation counts that trigger C2 sooner than the rounds' realistic sizes
     * do: with the rounds alone, the register tile was compiled only after a small network's training
     * had started. The GEMM's cases take turns so that C2 compiles the register tile and the packing
     * for all of them at once (a tile compiled for one case only is thrown away at the first call of
     * another); the depth of 24 is about the least that reaches C2's threshold of loop iterations
     * ({@code Tier4CompileThreshold}) with those 600 calls.
     *
     * @return whether the phase ran to its end (false when it was stopped)
     */
    private static boolean bursts(Kernels k, long deadline, long jobs) {
        int n = 5 * 16 + 7;
        float[] x = new float[80 * 24];
        float[] y = new float[80 * 24];
        float[] z = new float[80 * 24];
        float[] w = new float[80 * 24];
        // GELU's inputs: x alone stays below |y| = 1, where the kernels skip their other ranges' passes;
        // x times 3 reaches the first of the other ranges, x times 10 all of them
        float[] mid = new float[n];
        float[] wide = new float[n];
        int[] pooled = new int[80 * 24];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 13 - 6) * 0.1f;
            y[i] = (i % 7 - 3) * 0.2f;
            w[i] = 1f;
        }
        for (int i = 0; i < n; i++) {
            mid[i] = 3 * x[i];
            wide[i] = 10 * x[i];
        }
        Runnable[][] groups = {
            {
                // every transposition case (A 12 x 24 or 24 x 12, B 24 x 48 or 48 x 24), overwriting C and
                // adding to it: whole register tiles of each shape, the packing routines
                () -> k.sgemm(false, false, 12, 48, 24, 1f, x, 0, 24, y, 0, 48, 0f, z, 0, 48),
                () -> k.sgemm(false, true, 12, 48, 24, 1f, x, 0, 24, y, 0, 24, 1f, z, 0, 48),
                () -> k.sgemm(true, false, 12, 48, 24, 1f, x, 0, 12, y, 0, 48, 1f, z, 0, 48),
                () -> k.sgemm(true, true, 12, 48, 24, 1f, x, 0, 12, y, 0, 24, 0f, z, 0, 48),
                // a last panel of 16 and of 32 columns (AVX-512), of 16 and 8 (AVX2): the narrower tiles
                () -> k.sgemm(false, false, 12, 64, 24, 1f, x, 0, 24, y, 0, 64, 0f, z, 0, 64),
                () -> k.sgemm(false, true, 12, 80, 24, 1f, x, 0, 24, y, 0, 24, 1f, z, 0, 80)
            },
            {
                // matrix-vector products: B stored k x n, then n x k
                () -> k.sgemm(false, false, 1, 48, 24, 1f, x, 0, 24, y, 0, 48, 0f, z, 0, 48),
                () -> k.sgemm(false, true, 1, 48, 24, 1f, x, 0, 24, y, 0, 24, 1f, z, 0, 48)
            },
            {() -> k.adamStep(z, 0, x, 0, y, 0, w, 0, n, 0.9f, 0.999f, 0.1f, 0.001f, 1e-3f, 1f, 1e-8f)},
            {() -> k.relu(x, 0, z, 0, n), () -> k.reluBackward(x, 0, y, 0, z, 0, n)},
            {() -> k.add(x, 0, y, 0, z, 0, n), () -> k.mul(x, 0, y, 0, z, 0, n)},
            {() -> k.axpy(n, 0.5f, x, 0, z, 0), () -> k.mulScalar(x, 0, 0.5f, z, 0, n)},
            {() -> k.sum(x, 0, n), () -> k.dot(x, 0, y, 0, n)},
            {() -> k.softmaxRows(x, 0, z, 0, 2, n, false), () -> k.softmaxRows(x, 0, z, 0, 2, n, true)},
            {() -> k.exp(x, 0, z, 0, n), () -> k.tanh(x, 0, z, 0, n), () -> k.sigmoid(x, 0, z, 0, n)},
            // 2 x 2 max pooling: twelve planes of 4 x 40 (20 outputs a row: a whole vector and part of one;
            // a call per plane of the second pass, so 700 calls make the 5,000 that C2 waits for); the last
            // row of the last plane reads to the array's end, so it takes the scalar row
            {() -> k.maxPool2x2(x, 0, 4, 40, 2, 20, z, pooled, 0, 12)},
            {() -> k.gelu(wide, 0, z, 0, n), () -> k.geluBackward(wide, 0, y, 0, z, 0, n), () -> k.gelu(mid, 0, z, 0, n)
            }
        };
        for (Runnable[] group : groups) {
            for (int i = 0; i < BURST * group.length; i++) {
                if (i % 8 == 0 && stop(deadline, jobs)) {
                    return false;
                }
                group[i % group.length].run();
            }
        }
        return true;
    }

    /** The second phase: {@code rounds} rounds of tensor operations of realistic sizes. */
    private static int rounds(int rounds, long deadline, long jobs) {
        Generator g = new Generator(0);
        // a product of 20 x 120 x 300: whole register tiles and, with AVX-512's 48-column panels, edge
        // tiles (a last panel of 24 columns, run by the narrower 4 x 2 tile), two depth blocks; 720K
        // multiply-adds, under the sizes that go to the thread pool; and one of 20 x 64 x 300, whose last
        // 16 columns run in the 4 x 1 tile with AVX-512 and in the 4 x 2 tile with AVX2
        Tensor a = Tensor.rand(g, 20, 300);
        Tensor b = Tensor.rand(g, 300, 120);
        Tensor b64 = Tensor.rand(g, 300, 64);
        Tensor at = a.t().contiguous();
        Tensor bt = b.t().contiguous();
        Tensor row = Tensor.rand(g, 1, 300);
        Tensor bias = Tensor.rand(g, 120);
        Tensor image = Tensor.rand(g, 1, 3, 12, 12);
        Tensor filters = Tensor.rand(g, 8, 3, 3, 3);
        int[] one = {1};
        // each step runs a few kernels; a cold step (interpreted, or C1 with boxed vectors) takes
        // milliseconds, so the stop condition is checked between steps rather than once per round
        Runnable[] steps = {
            () -> a.matmul(b).relu().add(bias).exp().tanh().sigmoid(),
            () -> a.matmul(bt.t()).gelu().softmax(1).logSoftmax(1).sum(1, false).max(),
            () -> at.t().matmul(b).mul(0.5).sub(bias).div(bias.add(1)).sum(0, false),
            () -> at.t().matmul(bt.t()),
            () -> Tensor.addmm(bias, a, b),
            () -> a.matmul(b64),
            () -> row.matmul(b).add(row.matmul(bt.t())),
            () -> {
                Tensor y = Convolution.conv2d(image, filters, null, one, one, one, 1);
                Convolution.conv2dBackwardInput(y, filters, image.shape(), one, one, one, 1);
                Convolution.conv2dBackwardWeight(y, image, filters.shape(), one, one, one, 1);
                Pooling.maxPool2d(y, new int[] {2}, new int[] {2}, new int[] {0}, one, false);
            }
        };
        for (int r = 0; r < rounds; r++) {
            for (Runnable step : steps) {
                // the program's own work on the thread pool needs both cores, and compiles the kernels itself
                if (stop(deadline, jobs)) {
                    return r;
                }
                step.run();
            }
        }
        return rounds;
    }
}
