package io.jgrad.autograd;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-thread recording state: whether operations on variables are recorded (grad mode) and
 * whether anomaly detection is on. Recorded operations form a graph of {@link Node}s; each node
 * carries a sequence number from one global counter, so {@code backward} replays the recorded
 * entries in reverse order of creation, like walking a tape backwards. The graph holds only what
 * is reachable from live variables: nothing accumulates across training steps, and after
 * {@code backward} every node it visited has dropped its saved values (unless the graph is retained).
 *
 * <p>Threads have independent state, so threads training independent models never interfere.
 */
public final class Tape {
    private static final AtomicLong SEQ = new AtomicLong();
    private static final ThreadLocal<Tape> CURRENT = ThreadLocal.withInitial(Tape::new);

    boolean gradEnabled = true;
    boolean anomaly;
    /** True while a backward rule runs: its own operations are not checked, its result is. */
    boolean inBackward;

    private Tape() {}

    static Tape current() {
        return CURRENT.get();
    }

    static long nextSeq() {
        return SEQ.incrementAndGet();
    }

    /** A scope that restores the previous grad mode when closed; returned by {@link Autograd#noGrad()}. */
    public static final class Scope implements AutoCloseable {
        private final Tape tape;
        private final boolean prevGrad;
        private final boolean prevAnomaly;

        Scope(boolean grad, boolean anomaly) {
            this.tape = current();
            this.prevGrad = tape.gradEnabled;
            this.prevAnomaly = tape.anomaly;
            tape.gradEnabled = grad;
            tape.anomaly = anomaly;
        }

        /** Restores the previous state. */
        @Override
        public void close() {
            tape.gradEnabled = prevGrad;
            tape.anomaly = prevAnomaly;
        }
    }
}
