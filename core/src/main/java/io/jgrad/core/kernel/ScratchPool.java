package io.jgrad.core.kernel;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Arrays recycled from one training step to the next: the private buffers that a fused operation keeps
 * from its forward to its backward (a recurrent scan's gates and states, several megabytes a layer) are
 * given back when the backward pass frees the graph and taken again by the next step's forward, so that
 * steady-state training does not allocate them anew; the autograd engine gives back the arrays of spent
 * gradients ({@link io.jgrad.core.Recycling}), held only weakly ({@link #giveWeak}), which the next
 * results of the backward pass take. Less garbage means fewer young collections, and the long-lived
 * buffers are not copied by each of them; both keep the heap, and so the resident memory, smaller.
 *
 * <p>Arrays are kept by type and exact length, at most {@link #limitBytes()} in all (a sixty-fourth of the
 * maximum heap, at most 64 MB; the system property {@code jgrad.scratch.limitMb} sets another limit); when
 * a given array would exceed it, the entries whose weakly held arrays the collector has freed are dropped,
 * then the lengths given back least recently (the garbage collector takes them); a length's freed entries
 * also go whenever that length is given back. Before the engine's arrays were held weakly, a 256 MB pool kept more of a
 * transformer layer's 4-16 MB gradients alive than it saved (a larger heap, more collections). A taken
 * array holds arbitrary values
 * (whatever its last user wrote): the taker must write every entry before reading it. Giving back an
 * array that is still in use anywhere is a silent corruption, so only an owner that never let the array
 * escape may give it back, and only once (giving the same array twice while it is pooled is ignored).
 *
 * <p>Thread-safe; meant for a few calls per operation, not per element.
 */
public final class ScratchPool {
    /**
     * With the system property {@code jgrad.scratch.poison} set to true, every array handed out (new or
     * reused) is filled with NaN first: a test mode that makes a reader of unwritten entries visible.
     */
    private static final boolean POISON = Boolean.getBoolean("jgrad.scratch.poison");

    private static final long LIMIT =
            Long.getLong("jgrad.scratch.limitMb", Math.min(Runtime.getRuntime().maxMemory() / 64, 64L << 20) >> 20)
                    << 20;
    /** Pooled arrays by key (the length for float[], minus the length minus one for double[]). */
    private static final Map<Long, ArrayDeque<Object>> POOL = new LinkedHashMap<>(16, 0.75f, true);

    private static long pooledBytes;
    private static long taken;
    private static long reused;

    private ScratchPool() {}

    /** The most this pool keeps, in bytes. */
    public static long limitBytes() {
        return LIMIT;
    }

    /**
     * A float array of length {@code n}, pooled or new; its values are arbitrary.
     *
     * @param n the length
     * @return an array of exactly that length
     */
    public static float[] floats(int n) {
        Object a = take(n);
        float[] r = a != null ? (float[]) a : new float[n];
        if (POISON) {
            java.util.Arrays.fill(r, Float.NaN);
        }
        return r;
    }

    /**
     * A double array of length {@code n}, pooled or new; its values are arbitrary.
     *
     * @param n the length
     * @return an array of exactly that length
     */
    public static double[] doubles(int n) {
        Object a = take(-1L - n);
        double[] r = a != null ? (double[]) a : new double[n];
        if (POISON) {
            java.util.Arrays.fill(r, Double.NaN);
        }
        return r;
    }

    /**
     * A float array of length {@code n} filled with zeros: pooled and cleared, or new.
     *
     * @param n the length
     * @return an array of exactly that length, every entry 0
     */
    public static float[] zeroFloats(int n) {
        Object a = take(n);
        if (a == null) {
            return new float[n];
        }
        float[] r = (float[]) a;
        java.util.Arrays.fill(r, 0f);
        return r;
    }

    /**
     * A double array of length {@code n} filled with zeros: pooled and cleared, or new.
     *
     * @param n the length
     * @return an array of exactly that length, every entry 0
     */
    public static double[] zeroDoubles(int n) {
        Object a = take(-1L - n);
        if (a == null) {
            return new double[n];
        }
        double[] r = (double[]) a;
        java.util.Arrays.fill(r, 0d);
        return r;
    }

    /**
     * Gives back an array taken from this pool (or any float[] or double[] its owner no longer uses and
     * never shared); null and other types are ignored.
     *
     * @param array the array, no longer used by anyone
     */
    public static void give(Object array) {
        put(array, false);
    }

    /**
     * Gives back an array as {@link #give} does, but holds it only weakly: if a garbage collection
     * comes before someone takes it, the collector frees it instead of keeping (and, in a young
     * collection, copying and eventually promoting) it. For arrays whose next taker is likely to come
     * soon or not at all, such as the autograd engine's spent gradients: holding those strongly made
     * many of them live long enough to be promoted, and die old when something else took their place.
     *
     * @param array the array, no longer used by anyone
     */
    public static void giveWeak(Object array) {
        put(array, true);
    }

    private static void put(Object array, boolean weak) {
        long key;
        if (array instanceof float[]) {
            key = ((float[]) array).length;
        } else if (array instanceof double[]) {
            key = -1L - ((double[]) array).length;
        } else {
            return;
        }
        long bytes = bytesPerArray(key);
        if (bytes == 0 || bytes > LIMIT) {
            return;
        }
        synchronized (POOL) {
            ArrayDeque<Object> q = POOL.get(key);
            if (q != null) {
                boolean cleared = false;
                for (Object o : q) {
                    Object r = referent(o);
                    if (r == array) {
                        return; // already pooled: never hand one array to two takers
                    }
                    cleared |= r == null; // a weakly held array the collector freed
                }
                if (cleared) {
                    // entries the collector freed sink below the live ones (takers pop the newest): drop
                    // them here, or a length given back more often than taken (a bias's gradient) piles
                    // up thousands of them, and this scan with them
                    int before = q.size();
                    q.removeIf(ScratchPool::freed);
                    pooledBytes -= (before - q.size()) * bytes;
                }
            }
            if (pooledBytes + bytes > LIMIT) {
                purgeCleared();
            }
            Iterator<Map.Entry<Long, ArrayDeque<Object>>> it = POOL.entrySet().iterator();
            while (pooledBytes + bytes > LIMIT && it.hasNext()) {
                Map.Entry<Long, ArrayDeque<Object>> e = it.next();
                if (e.getValue() == q) {
                    continue;
                }
                pooledBytes -= e.getValue().size() * bytesPerArray(e.getKey());
                it.remove();
            }
            if (pooledBytes + bytes > LIMIT) {
                return; // this length alone fills the pool
            }
            if (q == null) {
                q = new ArrayDeque<>();
                POOL.put(key, q);
            }
            q.push(weak ? new WeakReference<>(array) : array);
            pooledBytes += bytes;
        }
    }

    /**
     * Drops the entries whose weakly held arrays the collector has freed: they hold no memory, and
     * counting them toward the limit made the pool drop live arrays to make room. Called with the lock
     * held, only when a given array would exceed the limit.
     */
    private static void purgeCleared() {
        Iterator<Map.Entry<Long, ArrayDeque<Object>>> it = POOL.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, ArrayDeque<Object>> e = it.next();
            ArrayDeque<Object> q = e.getValue();
            int before = q.size();
            q.removeIf(ScratchPool::freed);
            pooledBytes -= (before - q.size()) * bytesPerArray(e.getKey());
            if (q.isEmpty()) {
                it.remove();
            }
        }
    }

    /** Drops every pooled array. */
    public static void clear() {
        synchronized (POOL) {
            POOL.clear();
            pooledBytes = 0;
        }
    }

    /** Bytes held by the pool now. */
    public static long pooledBytes() {
        synchronized (POOL) {
            return pooledBytes;
        }
    }

    /**
     * How many arrays were asked for and how many of them came from the pool, since the start.
     *
     * @return {taken, reused}
     */
    public static long[] counts() {
        synchronized (POOL) {
            return new long[] {taken, reused};
        }
    }

    /** Whether the entry is a weakly held array that the collector has freed. */
    private static boolean freed(Object entry) {
        return referent(entry) == null;
    }

    private static Object referent(Object entry) {
        return entry instanceof WeakReference ? ((WeakReference<?>) entry).get() : entry;
    }

    private static long bytesPerArray(long key) {
        return key >= 0 ? 4L * key : 8L * (-1L - key);
    }

    private static Object take(long key) {
        synchronized (POOL) {
            taken++;
            ArrayDeque<Object> q = POOL.get(key);
            Object a = null;
            while (a == null && q != null && !q.isEmpty()) {
                a = referent(q.pop()); // null when the collector freed a weakly held array
                pooledBytes -= bytesPerArray(key);
            }
            if (q != null && q.isEmpty()) {
                POOL.remove(key);
            }
            if (a != null) {
                reused++;
            }
            return a;
        }
    }
}
