package io.jgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StepStatsTest {
    static volatile Object keep;

    @Test
    void allocationPerStepCountsWhatTheStepsAllocate() {
        StepStats s = new StepStats(2);
        for (int i = 0; i < 6; i++) {
            s.begin();
            keep = new byte[8_000_000]; // 8 MB per step
            s.end(1e6);
        }
        s.finish();
        double mb = s.allocMegabytesPerStep();
        assertTrue(mb >= 8.0 && mb < 8.5, "allocated per step: " + mb + " MB");
        assertTrue(s.gcShare() >= 0 && s.gcShare() <= 1, "gc share " + s.gcShare());
        String line = s.format();
        assertTrue(line.startsWith("first_step_ms=") && line.contains(" alloc_mb_per_step=8."), line);
    }

    @Test
    void warmStepIsTheMedianOfTheSteadyStepsAndFlopsAreCountedOnlyThere() throws InterruptedException {
        StepStats s = new StepStats(1);
        s.begin();
        Thread.sleep(30); // the cold step
        s.end(1e12); // left out of the steady FLOPs
        for (int i = 0; i < 3; i++) {
            s.begin();
            Thread.sleep(5);
            s.end(1e6);
        }
        s.finish();
        assertTrue(s.firstStepMillis() >= 30, "first step " + s.firstStepMillis());
        assertTrue(s.warmStepMillis() >= 5 && s.warmStepMillis() < 30, "warm step " + s.warmStepMillis());
        // 3e6 FLOPs over at least 15 ms: at most 0.2 GFLOPS; the cold step's 1e12 would give thousands
        assertTrue(s.trainGflops() > 0 && s.trainGflops() <= 0.2, "GFLOPS " + s.trainGflops());
    }

    @Test
    void tooFewStepsAndABadWindowAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StepStats(0));
        StepStats s = new StepStats(3);
        s.begin();
        s.end(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, s::finish);
        assertTrue(e.getMessage().contains("1 steps"), e.getMessage());
    }

    @Test
    void fmaChainsMatchScalarFusedMultiplyAddsAndThePeakIsPositive() throws InterruptedException {
        // each chain x <- fma(m, c, x) from x_0 = 1..12, one rounding per step as Math.fma rounds it,
        // summed over the chains and every lane
        long n = 1000;
        float m = 0.9999999f;
        float c = 1e-7f;
        double perLane = 0;
        for (int x0 = 1; x0 <= 12; x0++) {
            float x = x0;
            for (long i = 0; i < n; i++) {
                x = Math.fma(m, c, x);
            }
            perLane += x;
        }
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        assertEquals(perLane * lanes, FmaPeak.chains(n), 1e-4 * lanes);
        assertTrue(FmaPeak.gflops(1) > 0);
    }
}
