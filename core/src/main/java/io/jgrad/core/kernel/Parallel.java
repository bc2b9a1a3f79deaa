package io.jgrad.core.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one shared thread pool. Its size comes from the system property {@code jgrad.threads}, else the
 * environment variable {@code JGRAD_THREADS}, else the number of cores. Work submitted from inside the
 * pool runs on the calling thread (no nested oversubscription), and small work never leaves the caller.
 */
public final class Parallel {
    private static volatile int threads = initialThreads();
    private static volatile ForkJoinPool pool;

    private Parallel() {
    }

    /** A body that processes the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        /** Processes {@code [from, to)}. */
        void run(int from, int to);
    }

    private static int initialThreads() {
        String s = System.getProperty("jgrad.threads");
        if (s == null || s.isBlank()) {
            s = System.getenv("JGRAD_THREADS");
        }
        if (s != null && !s.isBlank()) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the default
            }
            System.getLogger("io.jgrad.core.kernel").log(System.Logger.Level.WARNING,
                    "jgrad: ignoring invalid thread count '" + s + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** The number of threads used for parallel work. */
    public static int threads() {
        return threads;
    }

    /** Sets the thread count (at least 1); takes effect for work submitted afterwards. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Parallel.setThreads: thread count must be at least 1, got " + n);
        }
        if (n != threads) {
            threads = n;
            ForkJoinPool old = pool;
            pool = null;
            if (old != null) {
                old.shutdown();
            }
        }
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    // numbered here: a worker's pool index is only assigned once it starts
                    AtomicInteger made = new AtomicInteger();
                    p = new ForkJoinPool(threads, fjp -> {
                        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fjp);
                        t.setDaemon(true);
                        t.setName("jgrad-" + made.getAndIncrement());
                        return t;
                    }, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }

    /** True when the current thread is one of the pool's workers. */
    public static boolean inPool() {
        return ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool;
    }

    /**
     * How many tasks a GEMM splits its longer side into: about {@code sqrt(longer / 50)} (each task
     * re-packs the other operand, so more tasks cost more packing), at least one and at most
     * {@code perThread} per thread, rounded up to a whole number per thread (3 tasks on 2 quiet cores
     * would leave one idle a third of the time), and never more than there are register tiles.
     *
     * @param tiles register tiles along the longer side
     * @param longer the longer side's length
     * @param threads the threads sharing the work
     * @param perThread the most tasks per thread
     * @return the task count
     */
    public static int gemmTasks(int tiles, int longer, int threads, int perThread) {
        int want = Math.max(threads, Math.min(perThread * threads, (int) Math.sqrt(longer / 50.0)));
        return Math.min(tiles, (want + threads - 1) / threads * threads);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} chunks of at least
     * {@code grain} indices. Runs on the calling thread when there is one chunk, one thread, or when
     * already inside the pool.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int t = threads;
        int chunks = Math.min(t, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || inPool()) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        // The calling thread runs the first chunk itself and hands only the others to the pool: each
        // parallel call then waits for one worker wake-up, not two in a row (a submitted task that forks
        // the rest), which matters for sub-millisecond work such as a 256 x 256 GEMM.
        ForkJoinPool p = pool();
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            final int from = (int) ((long) n * c / chunks);
            final int to = (int) ((long) n * (c + 1) / chunks);
            tasks[c - 1] = p.submit(ForkJoinTask.adapt(() -> body.run(from, to)));
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) n / chunks));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // wait for every chunk even after a failure, so that no task still writes into the caller's arrays
        for (ForkJoinTask<?> task : tasks) {
            try {
                task.join();
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure != null) {
            throw (Error) failure;
        }
    }
}
