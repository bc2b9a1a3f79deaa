package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void twoPhaseFinishesEveryUnitBeforeAnyTask() {
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                for (int units : new int[] {0, 1, 7, 200}) {
                    int tasks = 50;
                    long[] unitValues = new long[units];
                    AtomicIntegerArray unitRuns = new AtomicIntegerArray(Math.max(units, 1));
                    AtomicIntegerArray taskRuns = new AtomicIntegerArray(tasks);
                    long[] seen = new long[tasks];
                    Parallel.twoPhase(threads, units, u -> {
                        unitRuns.incrementAndGet(u);
                        unitValues[u] = u + 1;
                    }, tasks, q -> {
                        taskRuns.incrementAndGet(q);
                        long s = 0;
                        for (long v : unitValues) {
                            s += v;
                        }
                        seen[q] = s;
                    });
                    long want = (long) units * (units + 1) / 2;
                    for (int u = 0; u < units; u++) {
                        assertEquals(1, unitRuns.get(u), "unit " + u + " with " + threads + " threads");
                    }
                    for (int q = 0; q < tasks; q++) {
                        assertEquals(1, taskRuns.get(q), "task " + q + " with " + threads + " threads");
                        assertEquals(want, seen[q], "task " + q + " saw unfinished units (" + threads + " threads)");
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void poolThreadsHaveDistinctNames() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            Set<String> names = ConcurrentHashMap.newKeySet();
            for (int round = 0; round < 20 && names.size() < 2; round++) {
                Parallel.forRange(2, 1, (from, to) -> {
                    names.add(Thread.currentThread().getName());
                    long end = System.nanoTime() + 2_000_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                });
            }
            assertEquals(2, names.size(), "names " + names);
            assertTrue(new HashSet<>(names).stream().allMatch(n -> n.startsWith("jgrad-")), "names " + names);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void rejectsAThreadCountBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertTrue(e.getMessage().contains("Parallel.setThreads") && e.getMessage().contains("0"), e.getMessage());
    }
}
