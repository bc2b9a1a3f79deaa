package io.jgrad.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a training loop costs besides its time: the time of the first step (the JIT's warm-up is part of
 * what a user waits for) against a warm step, and, over the steady steps (those after the first
 * {@code warm}), the bytes allocated per step by every thread, the share of wall time spent in garbage
 * collection, and the effective GFLOPS (training FLOPs counted from the model, divided by the time).
 *
 * <p>Use: {@link #begin()} and {@link #end(double)} around every step, then {@link #finish()} once and
 * {@link #format()}. Readings of the allocation counters and the collectors are taken only when the
 * steady window opens and at the end, so the loop itself is not slowed.
 */
final class StepStats {
    private final int warm;
    private long[] stepNanos = new long[64];
    private int steps;
    private long t0;
    private double steadyFlops;
    private Map<Long, Long> allocAtWarm;
    private long gcAtWarm;
    private long nanosAtWarm;
    private long allocSteady;
    private long gcEnd;
    private long nanosEnd;

    /**
     * Statistics whose steady window starts after {@code warm} steps.
     *
     * @param warm the steps left out of the steady figures, at least 1
     */
    StepStats(int warm) {
        if (warm < 1) {
            throw new IllegalArgumentException("StepStats: warm must be at least 1, got " + warm);
        }
        this.warm = warm;
    }

    /** Marks the start of a step. */
    void begin() {
        if (steps == warm) {
            allocAtWarm = allocatedBytes();
            gcAtWarm = gcMillis();
            nanosAtWarm = System.nanoTime();
        }
        t0 = System.nanoTime();
    }

    /**
     * Marks the end of a step.
     *
     * @param flops the training FLOPs of the step (forward and backward)
     */
    void end(double flops) {
        long d = System.nanoTime() - t0;
        if (steps == stepNanos.length) {
            stepNanos = Arrays.copyOf(stepNanos, 2 * steps);
        }
        stepNanos[steps++] = d;
        if (steps > warm) {
            steadyFlops += flops;
        }
    }

    /** Closes the steady window; call once after the last step. */
    void finish() {
        if (steps <= warm) {
            throw new IllegalStateException("StepStats: " + steps + " steps, need more than " + warm);
        }
        nanosEnd = System.nanoTime();
        allocSteady = allocatedSince(allocAtWarm);
        gcEnd = gcMillis();
    }

    /** The first step's time in milliseconds. */
    double firstStepMillis() {
        return stepNanos[0] / 1e6;
    }

    /** The median step time of the steady window in milliseconds. */
    double warmStepMillis() {
        long[] s = Arrays.copyOfRange(stepNanos, warm, steps);
        Arrays.sort(s);
        int n = s.length;
        return (n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0) / 1e6;
    }

    /** Megabytes (10^6 bytes) allocated per steady step, by every thread. */
    double allocMegabytesPerStep() {
        return allocSteady / 1e6 / (steps - warm);
    }

    /** The share of the steady window's wall time spent in garbage collection (0 to 1). */
    double gcShare() {
        double wallMillis = (nanosEnd - nanosAtWarm) / 1e6;
        return wallMillis > 0 ? (gcEnd - gcAtWarm) / wallMillis : 0;
    }

    /** Training GFLOPS over the steady window (its FLOPs over the sum of its step times). */
    double trainGflops() {
        long nanos = 0;
        for (int i = warm; i < steps; i++) {
            nanos += stepNanos[i];
        }
        return steadyFlops / nanos;
    }

    /**
     * The figures as {@code key=value} pairs for a result line.
     *
     * @return {@code first_step_ms=... warm_step_ms=... alloc_mb_per_step=... gc_share=... train_gflops=...}
     */
    String format() {
        return String.format(
                Locale.ROOT,
                "first_step_ms=%.1f warm_step_ms=%.2f alloc_mb_per_step=%.2f gc_share=%.3f train_gflops=%.1f",
                firstStepMillis(),
                warmStepMillis(),
                allocMegabytesPerStep(),
                gcShare(),
                trainGflops());
    }

    /** Bytes allocated so far by each live thread, by thread id (HotSpot's per-thread counters; empty elsewhere). */
    static Map<Long, Long> allocatedBytes() {
        Map<Long, Long> out = new HashMap<>();
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean)) {
            return out;
        }
        com.sun.management.ThreadMXBean hs = (com.sun.management.ThreadMXBean) mx;
        long[] ids = hs.getAllThreadIds();
        long[] bytes = hs.getThreadAllocatedBytes(ids);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] > 0) {
                out.put(ids[i], bytes[i]);
            }
        }
        return out;
    }

    /**
     * Bytes allocated since {@code before} by the threads alive now: a thread that ended in between (a
     * background helper such as the kernels' warm-up) neither counts nor takes its earlier bytes away.
     */
    static long allocatedSince(Map<Long, Long> before) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : allocatedBytes().entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    /** Milliseconds spent in every collector so far. */
    static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }
}
