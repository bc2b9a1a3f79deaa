package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    /** The thread count before each test; tests that change it need not restore it. */
    private int before;

    @BeforeEach
    void saveThreads() {
        before = Parallel.threads();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(before);
    }

    @Test
    void theCallerRunsOneChunkAndPoolThreadsHaveDistinctNames() {
        String caller = Thread.currentThread().getName();
        Parallel.setThreads(3);
        Set<String> names = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 20 && names.size() < 3; round++) {
            Parallel.forRange(3, 1, (from, to) -> {
                names.add(Thread.currentThread().getName());
                long end = System.nanoTime() + 2_000_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            });
        }
        assertTrue(names.remove(caller), "the calling thread runs a chunk: " + names);
        assertEquals(2, names.size(), "names " + names);
        assertTrue(names.stream().allMatch(n -> n.startsWith("jgrad-")), "names " + names);
    }

    @Test
    void mapChunksReturnsThePartialsInTheOrderOfTheChunksWithoutNulls() {
        Parallel.setThreads(3);
        for (int run = 0; run < 20; run++) {
            // the first chunk spins past the others, so it finishes last; it still comes first
            java.util.List<int[]> parts = Parallel.mapChunks(9, 1, (from, to) -> {
                if (from == 0) {
                    long end = System.nanoTime() + 2_000_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                }
                return from == 3 ? null : new int[] {from, to};
            });
            assertEquals(2, parts.size(), "chunks [0, 3) and [6, 9); the null of [3, 6) left out");
            assertEquals(0, parts.get(0)[0]);
            assertEquals(3, parts.get(0)[1]);
            assertEquals(6, parts.get(1)[0]);
            assertEquals(9, parts.get(1)[1]);
        }
    }

    @Test
    void anExceptionInAnyChunkReachesTheCallerAfterAllChunksEnd() {
        Parallel.setThreads(2);
        java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Parallel.forRange(2, 1, (from, to) -> {
                    if (from == 1) {
                        throw new IllegalStateException("chunk " + from);
                    }
                    long end = System.nanoTime() + 20_000_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    finished.incrementAndGet();
                }));
        assertTrue(e.getMessage().contains("chunk 1"), e.getMessage());
        assertEquals(1, finished.get(), "the caller's chunk had finished");
    }

    @Test
    void concurrentCallersAndNestedCallsAllCoverEveryIndexOnce() throws Exception {
        Parallel.setThreads(3);
        int callers = 4;
        int n = 1000;
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(callers);
        java.util.List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
        for (int q = 0; q < callers; q++) {
            fs.add(ex.submit(() -> {
                for (int round = 0; round < 300; round++) {
                    java.util.concurrent.atomic.AtomicIntegerArray hits =
                            new java.util.concurrent.atomic.AtomicIntegerArray(n);
                    Parallel.forRange(n, 10, (from, to) -> {
                        // a nested call runs serially on this thread
                        Parallel.forRange(to - from, 1, (a, b) -> {
                            for (int i = from + a; i < from + b; i++) {
                                hits.incrementAndGet(i);
                            }
                        });
                    });
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, hits.get(i), "index " + i + " in round " + round);
                    }
                }
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> f : fs) {
            f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        ex.shutdown();
    }

    @Test
    void workersThatParkedAreWokenForTheNextCall() {
        Parallel.setThreads(2);
        Parallel.forRange(2, 1, (from, to) -> {}); // the pool starts with its first call
        for (int round = 0; round < 5; round++) {
            // wait (without sleeping a fixed time) until the worker has spun out and parked
            long limit = System.nanoTime() + 5_000_000_000L;
            while (!Parallel.workersParked()) {
                assertTrue(System.nanoTime() < limit, "the worker parks after its spin");
                Thread.onSpinWait();
            }
            Set<String> names = ConcurrentHashMap.newKeySet();
            Parallel.forRange(2, 1, (from, to) -> {
                names.add(Thread.currentThread().getName());
                // each chunk waits for the other thread to join, up to a deadline far beyond any wake-up
                // latency of a loaded machine: without a wake-up the same thread runs both chunks, and
                // the test fails after the deadline instead of on a slow but correct wake-up
                long end = System.nanoTime() + 5_000_000_000L;
                while (System.nanoTime() < end && names.size() < 2) {
                    Thread.onSpinWait();
                }
            });
            assertEquals(2, names.size(), "a parked worker took the second chunk: " + names);
        }
    }

    @Test
    void spinsOnlyWhenThereAreCoresForEveryThread() {
        int cores = Runtime.getRuntime().availableProcessors();
        String prop = System.getProperty("jgrad.spinMicros");
        if (prop == null) {
            assertEquals(200_000, Parallel.spinNanos(cores));
            assertEquals(200_000, Parallel.spinNanos(1));
            assertEquals(0, Parallel.spinNanos(cores + 1), "an oversubscribed pool parks at once");
        } else { // an explicit setting wins in both cases
            assertEquals(Long.parseLong(prop.trim()) * 1000, Parallel.spinNanos(cores));
            assertEquals(Long.parseLong(prop.trim()) * 1000, Parallel.spinNanos(cores + 1));
        }
    }

    @Test
    void anOversubscribedPoolStillRunsEveryChunkAfterItsWorkersPark() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors() + 2);
        int n = 10_000;
        for (int round = 0; round < 20; round++) {
            java.util.concurrent.atomic.AtomicIntegerArray hits = new java.util.concurrent.atomic.AtomicIntegerArray(n);
            Parallel.forRange(n, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, hits.get(i), "index " + i + " in round " + round);
            }
            long limit = System.nanoTime() + 5_000_000_000L;
            while (!Parallel.workersParked()) {
                assertTrue(System.nanoTime() < limit, "the workers park between calls");
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void gemmTasksAreWholeRoundsOfThreadsWithinTheLimits() {
        for (int threads = 1; threads <= 8; threads++) {
            for (int longer : new int[] {1, 7, 64, 256, 511, 512, 1024, 2048, 4096, 100_000}) {
                int tiles = (longer + 5) / 6;
                int tasks = Parallel.gemmTasks(tiles, longer, threads, 4);
                String what = "threads " + threads + ", longer " + longer + ": " + tasks + " tasks";
                assertTrue(tasks >= Math.min(threads, tiles), what);
                assertTrue(tasks <= tiles, what);
                assertTrue(tasks <= 4 * threads, what);
                assertTrue(tasks == tiles || tasks % threads == 0, what);
                // one task per 512 of the longer side keeps the duplicated packing near 1%
                assertTrue(tasks <= Math.max(threads, longer / 512 + threads - 1), what);
            }
        }
        assertEquals(2, Parallel.gemmTasks(171, 1024, 2, 4));
        assertEquals(4, Parallel.gemmTasks(342, 2048, 2, 4));
        assertEquals(8, Parallel.gemmTasks(10_000, 60_000, 2, 4), "at most perThread per thread");
    }

    @Test
    void rejectsAThreadCountBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertTrue(
                e.getMessage().contains("Parallel.setThreads") && e.getMessage().contains("0"), e.getMessage());
    }
}
