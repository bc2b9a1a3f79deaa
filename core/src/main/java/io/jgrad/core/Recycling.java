package io.jgrad.core;

import io.jgrad.core.kernel.ScratchPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reuse of the arrays behind gradient temporaries, for the autograd engine. A backward pass opens a
 * {@link Run} on its thread; every storage allocated on that thread while it is open is <em>born in</em>
 * it. The engine counts the references it holds to such storages (its pending gradients), and when the
 * last one is dropped, and the storage was never handed to code that might keep it, its array goes to
 * {@link ScratchPool}, where the next operation of a backward pass that writes every element of its
 * result takes it instead of allocating (see {@link Tensor#emptyLike}). The pool holds these arrays only
 * weakly: a garbage collection before the next taker frees them, so that recycling never makes an array
 * live long enough to be promoted to the old generation. A gradient that ends in a leaf's {@code grad}
 * keeps its origin, so that clearing the gradient can recycle it too, unless it was handed out.
 *
 * <p>Whoever might keep a tensor beyond the current pass (a hook, {@code retainGrad}, a user-defined
 * function, a caller of {@code grad()}) must {@link #pin} it first: a pinned storage is never recycled.
 * Recycling is on unless the system property {@code jgrad.recycle} is {@code false}; {@link
 * #setEnabled} switches it at run time.
 */
public final class Recycling {
    private static final ThreadLocal<Run> CURRENT = new ThreadLocal<>();
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static volatile boolean enabled = !"false".equals(System.getProperty("jgrad.recycle"));

    private Recycling() {}

    /** One backward pass on one thread; closing it restores the pass it interrupted, if any. */
    public static final class Run implements AutoCloseable {
        private final Run previous;
        private boolean closed;

        private Run(Run previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                CURRENT.set(previous);
                OPEN.decrementAndGet();
            }
        }
    }

    /**
     * True when arrays are recycled.
     *
     * @return whether {@link #begin} opens recording runs
     */
    public static boolean enabled() {
        return enabled;
    }

    /**
     * Switches recycling on or off (for comparisons and debugging); passes already open keep going.
     *
     * @param on true to recycle
     */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /**
     * Opens a pass on this thread: storages allocated here until it closes are born in it. With
     * recycling off it returns null.
     *
     * @return the pass, to close when the backward ends, or null
     */
    public static Run begin() {
        if (!enabled) {
            return null;
        }
        Run r = new Run(CURRENT.get());
        OPEN.incrementAndGet();
        CURRENT.set(r);
        return r;
    }

    static Object currentRun() {
        return OPEN.get() == 0 ? null : CURRENT.get();
    }

    /**
     * True when {@code t}'s storage was allocated in {@code run} and not pinned since.
     *
     * @param t a tensor
     * @param run a pass, possibly null
     * @return whether the engine may count and recycle it
     */
    public static boolean bornIn(Tensor t, Run run) {
        return run != null && t.storage.origin == run;
    }

    /**
     * The identity of {@code t}'s storage, shared by all its views, as a key for reference counts.
     *
     * @param t a tensor
     * @return an opaque object, equal by identity for views of one storage
     */
    public static Object storageOf(Tensor t) {
        return t.storage;
    }

    /**
     * Marks {@code t}'s storage as possibly kept by someone: it will never be recycled.
     *
     * @param t a tensor, or null
     */
    public static void pin(Tensor t) {
        if (t != null) {
            t.storage.origin = null;
        }
    }

    /**
     * Gives the array behind {@code t} to {@link ScratchPool} and pins the storage. Only for a storage
     * nobody uses any more: every view of it must be dead.
     *
     * @param t a view of a storage born in a backward pass, no longer used anywhere
     */
    public static void giveBack(Tensor t) {
        Storage s = t.storage;
        if (s.origin == null) {
            return;
        }
        s.origin = null;
        if (s.f != null) {
            ScratchPool.giveWeak(s.f);
        } else if (s.d != null) {
            ScratchPool.giveWeak(s.d);
        }
    }

    /**
     * True for the library's own classes (in an {@code io.jgrad} package), whose backward rules and
     * optimizer updates use a gradient only within the call; code defined elsewhere may keep what it is
     * given, so the engine and the optimizers pin gradients before handing them to it.
     *
     * @param c a class, e.g. a {@code Function} or {@code Optimizer} subclass
     * @return whether gradients it sees may be recycled after it returns
     */
    public static boolean libraryCode(Class<?> c) {
        return c.getName().startsWith("io.jgrad.");
    }

    /**
     * True when {@code t} was born in a backward pass, is not pinned, and is its storage's only
     * possible view (contiguous from offset 0 over the whole array): a leaf gradient that nobody was
     * given, whose array may be reused once the gradient is cleared.
     *
     * @param t a tensor
     * @return whether {@link #giveBack} may take it when its holder drops it
     */
    public static boolean ownedGradient(Tensor t) {
        Storage s = t.storage;
        return s.origin != null && t.offset == 0 && t.isContiguous() && t.numel() == s.length();
    }

    /**
     * True when {@code g} may be added into {@code sum} in place: {@code sum} is an {@link
     * #ownedGradient}, of g's type, and does not share g's storage.
     *
     * @param sum a gradient sum that its holder would otherwise replace by a new {@code sum + g}
     * @param g the gradient to add
     * @return whether {@code sum.add_(g)} is safe
     */
    public static boolean addableInPlace(Tensor sum, Tensor g) {
        return ownedGradient(sum) && sum.dtype() == g.dtype() && !sum.sharesStorage(g);
    }
}
