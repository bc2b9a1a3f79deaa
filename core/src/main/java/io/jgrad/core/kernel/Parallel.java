package io.jgrad.core.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one shared thread pool. Its size comes from the system property {@code jgrad.threads}, else the
 * environment variable {@code JGRAD_THREADS}, else the number of cores. Work submitted from inside the
 * pool runs on the calling thread (no nested oversubscription), and small work never leaves the caller.
 *
 * <p>The pool is not a {@link java.util.concurrent.ForkJoinPool}: its workers spin for a short while
 * after each job before they park, because waking a parked thread costs tens to hundreds of
 * microseconds (measured: about 95 us on a 2-core VM after 1 ms idle, against about 1 us for a
 * spinning worker), as much as a whole 256 x 256 GEMM share or a large element-wise map. The system
 * property {@code jgrad.spinMicros} sets that spin (default 200 us, or 0 when the pool has more threads
 * than the machine has cores: a spinning worker would then take a core from a thread with work; 0 parks
 * at once). One parallel call
 * runs at a time: a call made while another is in flight (from another thread, or nested inside a
 * chunk) runs serially on its own thread.
 */
public final class Parallel {
    private static volatile int threads = initialThreads();
    private static volatile Pool pool;
    /** The spin set by {@code jgrad.spinMicros}, in nanoseconds, or -1 when it is not set. */
    private static final long SPIN_PROPERTY = spinProperty();

    private static final long DEFAULT_SPIN_NANOS = 200_000;

    private Parallel() {}

    /** A body that processes the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        /** Processes {@code [from, to)}. */
        void run(int from, int to);
    }

    /** A body that computes a partial result over the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface ChunkBody<T> {
        /**
         * Computes the partial result of {@code [from, to)}.
         *
         * @return the partial result, or null for none
         */
        T run(int from, int to);
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
            System.getLogger("io.jgrad.core.kernel")
                    .log(System.Logger.Level.WARNING, "jgrad: ignoring invalid thread count '" + s + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static long spinProperty() {
        String s = System.getProperty("jgrad.spinMicros");
        if (s != null && !s.isBlank()) {
            try {
                long us = Long.parseLong(s.trim());
                if (us >= 0) {
                    return us * 1000;
                }
            } catch (NumberFormatException e) {
                // fall through to the default
            }
            System.getLogger("io.jgrad.core.kernel")
                    .log(System.Logger.Level.WARNING, "jgrad: ignoring invalid jgrad.spinMicros '" + s + "'");
        }
        return -1;
    }

    /**
     * How long a pool of {@code threads} threads spins before parking, in nanoseconds:
     * {@code jgrad.spinMicros} when set, else 200 us, or 0 when {@code threads} exceeds the cores (measured
     * with 8 threads on 2 cores: sgemm256 36 GFLOPS spinning against 49-53 parking at once).
     */
    static long spinNanos(int threads) {
        if (SPIN_PROPERTY >= 0) {
            return SPIN_PROPERTY;
        }
        return threads > Runtime.getRuntime().availableProcessors() ? 0 : DEFAULT_SPIN_NANOS;
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
            Pool old = pool;
            pool = null;
            if (old != null) {
                old.shutdown();
            }
        }
    }

    private static Pool pool() {
        Pool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = new Pool(threads - 1, spinNanos(threads));
                    pool = p;
                }
            }
        }
        return p;
    }

    /**
     * True when the current thread is one of the pool's workers, or the thread that is running a
     * parallel call (inside one of its chunks).
     */
    public static boolean inPool() {
        Thread t = Thread.currentThread();
        if (t instanceof Worker) {
            return true;
        }
        Pool p = pool;
        return p != null && p.owner.get() == t;
    }

    /** True when every worker of the current pool is parked (for tests); false before the pool exists. */
    static boolean workersParked() {
        Pool p = pool;
        if (p == null) {
            return false;
        }
        for (Worker w : p.workers) {
            if (!w.parked) {
                return false;
            }
        }
        return true;
    }

    /**
     * How many tasks a GEMM splits its longer side into. Each task re-packs the whole other operand,
     * which costs a few multiply-adds per packed element, so the duplicated packing is about
     * {@code 5 * tasks / longer} of the arithmetic; one task per {@code 512} of the longer side keeps it
     * near 1%. At least one and at most {@code perThread} tasks per thread, rounded up to a whole number
     * per thread (3 tasks on 2 quiet cores would leave one idle a third of the time), and never more than
     * there are register tiles. More tasks than threads only help when outside load slows one thread.
     *
     * @param tiles register tiles along the longer side
     * @param longer the longer side's length
     * @param threads the threads sharing the work
     * @param perThread the most tasks per thread
     * @return the task count
     */
    public static int gemmTasks(int tiles, int longer, int threads, int perThread) {
        int want = Math.max(threads, Math.min(perThread * threads, longer / 512));
        return Math.min(tiles, (want + threads - 1) / threads * threads);
    }

    /**
     * How many calls have been spread over the pool's threads since the JVM started: a program's
     * background helpers (the kernels' warm-up) stop when it grows, leaving both cores to the work.
     *
     * @return the count of parallel calls so far
     */
    public static long jobsStarted() {
        return Job.IDS.get();
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} chunks of at least
     * {@code grain} indices. Runs on the calling thread when there is one chunk, one thread, or when
     * already inside the pool. The chunk boundaries depend only on {@code n}, {@code grain} and the
     * thread count, never on which thread runs a chunk. An exception thrown by any chunk reaches the
     * caller after every chunk has ended.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int t = threads;
        int chunks = Math.min(t, Math.max(1, n / Math.max(1, grain)));
        Pool p;
        if (chunks <= 1
                || inPool()
                || (p = pool()).workers.length == 0
                || !p.owner.compareAndSet(null, Thread.currentThread())) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        Job job = new Job(body, n, chunks);
        try {
            p.start(job);
            // the calling thread claims chunks too, then waits for those the workers claimed
            job.runChunks();
            job.await(p.spinNanos);
        } finally {
            p.job = null; // drop the reference to the body and its arrays
            p.owner.set(null);
        }
        Throwable failure = job.failure.get();
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        if (failure != null) { // a checked exception thrown sneakily by the body
            throw new java.lang.reflect.UndeclaredThrowableException(failure, "Parallel.forRange: a chunk failed");
        }
    }

    /**
     * {@link #forRange} for reductions: each chunk returns a partial result, and they come back in the
     * order of the chunks, whichever thread finished first, so that a caller that adds them up gets the
     * same bits on every run with the same thread count (floating-point sums depend on their order once
     * there are three terms).
     *
     * @param n the range's length
     * @param grain the fewest indices per chunk
     * @param body computes a chunk's partial result (null ones are left out)
     * @param <T> the partial result's type
     * @return the chunks' non-null partial results, in the order of the chunks
     */
    public static <T> List<T> mapChunks(int n, int grain, ChunkBody<T> body) {
        ConcurrentSkipListMap<Integer, T> partials = new ConcurrentSkipListMap<>();
        forRange(n, grain, (from, to) -> {
            T part = body.run(from, to);
            if (part != null) {
                partials.put(from, part);
            }
        });
        return new ArrayList<>(partials.values());
    }

    /** One parallel call: its chunks are claimed in order by whichever threads come first. */
    private static final class Job {
        private static final AtomicLong IDS = new AtomicLong();
        final long id = IDS.incrementAndGet();
        final RangeBody body;
        final int n;
        final int chunks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger pending;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile Thread waiter;

        Job(RangeBody body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.pending = new AtomicInteger(chunks);
        }

        void runChunks() {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                } catch (Throwable e) { // a chunk that escapes would leave pending above zero forever
                    failure.compareAndSet(null, e);
                }
                if (pending.decrementAndGet() == 0) {
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }

        /** Waits until every chunk has ended: spins first, then parks until the last chunk unparks it. */
        void await(long spinNanos) {
            long deadline = System.nanoTime() + spinNanos;
            while (pending.get() > 0) {
                if (System.nanoTime() - deadline > 0) {
                    waiter = Thread.currentThread();
                    while (pending.get() > 0) {
                        LockSupport.park(this);
                    }
                    return;
                }
                Thread.onSpinWait();
            }
        }
    }

    /** A pool thread: runs each new job's chunks, spins for the next job, then parks. */
    private static final class Worker extends Thread {
        private final Pool pool;
        volatile boolean parked;

        Worker(Pool pool, int index) {
            super("jgrad-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            while (!pool.shutdown) {
                Job job = pool.job;
                if (job != null && job.id != seen) {
                    seen = job.id;
                    job.runChunks();
                    continue;
                }
                // wait for pool.job to change (to the next job, or to null when this one ends)
                long deadline = System.nanoTime() + pool.spinNanos;
                while (pool.job == job && !pool.shutdown) {
                    if (System.nanoTime() - deadline > 0) {
                        // Dekker-style hand-shake with Pool.start: either start sees parked == true and
                        // unparks, or this thread sees the new job before it parks
                        parked = true;
                        if (pool.job == job && !pool.shutdown) {
                            LockSupport.park(this);
                        }
                        parked = false;
                        deadline = System.nanoTime() + pool.spinNanos;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }
        }
    }

    /** The workers and the job they are on. */
    private static final class Pool {
        final Worker[] workers;
        /** The thread whose parallel call is in flight, if any: one call at a time. */
        final AtomicReference<Thread> owner = new AtomicReference<>();

        volatile Job job;
        volatile boolean shutdown;
        /** How long the workers (and the waiting caller) spin before parking. */
        final long spinNanos;

        Pool(int count, long spinNanos) {
            this.spinNanos = spinNanos;
            workers = new Worker[count];
            for (int i = 0; i < count; i++) {
                workers[i] = new Worker(this, i + 1);
                workers[i].start();
            }
        }

        void start(Job j) {
            job = j;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
        }

        void shutdown() {
            shutdown = true;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
        }
    }
}
