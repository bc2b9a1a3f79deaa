package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScratchPoolTest {
    @BeforeEach
    void empty() {
        ScratchPool.clear();
    }

    @Test
    void poisonModeFillsEveryArrayItHandsOutWithNaN() {
        // the poisoned test executions set jgrad.scratch.poison; the others must get the array as it was
        boolean poison = Boolean.getBoolean("jgrad.scratch.poison");
        float[] given = {1f, 2f, 3f};
        ScratchPool.give(given);
        float[] taken = ScratchPool.floats(3);
        assertSame(given, taken);
        assertEquals(poison, Float.isNaN(taken[0]) && Float.isNaN(taken[2]));
        assertEquals(poison, Double.isNaN(ScratchPool.doubles(4)[3]));
    }

    @Test
    void anArrayGivenBackIsTakenAgainByExactLengthAndType() {
        float[] a = ScratchPool.floats(100);
        assertEquals(100, a.length);
        ScratchPool.give(a);
        assertEquals(400, ScratchPool.pooledBytes());
        assertNotSame(a, ScratchPool.floats(99));
        assertEquals(100, ScratchPool.doubles(100).length, "a double array of the same length is another key");
        long[] before = ScratchPool.counts();
        assertSame(a, ScratchPool.floats(100));
        assertEquals(1, ScratchPool.counts()[1] - before[1]);
        assertEquals(0, ScratchPool.pooledBytes());
        assertNotSame(a, ScratchPool.floats(100), "taken: no longer pooled");
    }

    @Test
    void doublesArePooledToo() {
        double[] d = new double[7];
        ScratchPool.give(d);
        assertEquals(56, ScratchPool.pooledBytes());
        assertSame(d, ScratchPool.doubles(7));
    }

    @Test
    void givingTheSameArrayTwiceHandsItOutOnce() {
        float[] a = new float[10];
        ScratchPool.give(a);
        ScratchPool.give(a);
        assertEquals(40, ScratchPool.pooledBytes());
        assertSame(a, ScratchPool.floats(10));
        assertNotSame(a, ScratchPool.floats(10));
    }

    @Test
    void otherObjectsAndEmptyArraysAreIgnored() {
        ScratchPool.give(null);
        ScratchPool.give(new int[5]);
        ScratchPool.give(new float[0]);
        ScratchPool.give("x");
        assertEquals(0, ScratchPool.pooledBytes());
    }

    @Test
    void theLimitDropsTheLengthsGivenLeastRecently() {
        long limit = ScratchPool.limitBytes();
        assertTrue(limit >= 1 << 20, "a usable limit: " + limit);
        int quarter = (int) (limit / 4 / 4); // float values in a quarter of the limit
        float[] a = new float[quarter];
        float[] b = new float[quarter + 1];
        float[] c = new float[quarter + 2];
        ScratchPool.give(a);
        ScratchPool.give(b);
        ScratchPool.give(c);
        assertTrue(ScratchPool.pooledBytes() <= limit);
        float[] d = new float[quarter + 3]; // a fourth quarter and a bit: the oldest length goes
        ScratchPool.give(d);
        assertTrue(ScratchPool.pooledBytes() <= limit, ScratchPool.pooledBytes() + " > " + limit);
        assertNotSame(a, ScratchPool.floats(quarter), "the least recently given length was dropped");
        assertSame(b, ScratchPool.floats(quarter + 1));
        assertSame(c, ScratchPool.floats(quarter + 2));
        assertSame(d, ScratchPool.floats(quarter + 3));
        ScratchPool.give(new float[(int) (limit / 4) + 1]); // larger than the whole pool: not kept
        assertEquals(0, ScratchPool.pooledBytes());
    }

    /** A weakly given array that the collector freed holds no memory: it makes no live array go. */
    @Test
    void freedWeakArraysDoNotCountTowardTheLimit() {
        long limit = ScratchPool.limitBytes();
        int quarter = (int) (limit / 4 / 4);
        float[] b = new float[quarter + 1];
        float[] c = new float[quarter + 2];
        ScratchPool.give(b);
        ScratchPool.give(c);
        float[] a = new float[quarter]; // given last, so the limit would drop b (the eldest) before it
        java.lang.ref.WeakReference<float[]> ref = new java.lang.ref.WeakReference<>(a);
        ScratchPool.giveWeak(a);
        a = null;
        for (int i = 0; i < 20 && ref.get() != null; i++) {
            System.gc();
        }
        assertTrue(ref.get() == null, "the collector freed the weakly pooled array");
        float[] d = new float[quarter + 3];
        ScratchPool.give(d);
        assertTrue(ScratchPool.pooledBytes() <= limit, ScratchPool.pooledBytes() + " > " + limit);
        assertSame(b, ScratchPool.floats(quarter + 1), "the eldest live array stays");
        assertSame(c, ScratchPool.floats(quarter + 2));
        assertSame(d, ScratchPool.floats(quarter + 3));
    }
    /**
     * A length given back more often than it is taken (a bias's gradient) leaves entries whose arrays the
     * collector freed below the live ones, where no taker reaches them: giving that length again drops
     * them, so they neither pile up (each give scans its length's entries) nor count toward the limit.
     */
    @Test
    void givingALengthAgainDropsItsFreedEntries() {
        java.util.List<java.lang.ref.WeakReference<float[]>> refs = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            float[] a = new float[7];
            refs.add(new java.lang.ref.WeakReference<>(a));
            ScratchPool.giveWeak(a);
        }
        assertEquals(1000 * 28L, ScratchPool.pooledBytes());
        for (int i = 0; i < 20 && refs.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
        }
        assertTrue(refs.stream().allMatch(r -> r.get() == null), "the collector freed the weakly pooled arrays");
        float[] live = new float[7];
        ScratchPool.give(live);
        assertEquals(28L, ScratchPool.pooledBytes(), "only the live array is counted");
        assertSame(live, ScratchPool.floats(7));
        assertEquals(0L, ScratchPool.pooledBytes());
    }
}
