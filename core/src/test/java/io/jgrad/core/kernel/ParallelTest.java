package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ParallelTest {
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
