package io.jgrad.models.neat;

import java.util.HashMap;
import java.util.Map;

/**
 * The global innovation numbers and node ids of a NEAT run (Stanley and Miikkulainen 2002, section 3.2):
 * each new connection gene gets the next innovation number, each new hidden node the next node id, and a
 * structural mutation that occurs more than once in the same generation gets the same numbers every time
 * (the same connection added, or the same connection split by a new node), so that the genomes that carry
 * it line up in crossover. {@link #nextGeneration()} forgets the current generation's mutations.
 *
 * <p>Not thread-safe: the evolution loop calls it from one thread.
 */
public final class InnovationTracker {
    /** The numbers given to the split of one connection: the new node and its two connections. */
    public record Split(int node, int inInnovation, int outInnovation) {}

    private int nextInnovation;
    private int nextNode;
    private final Map<Long, Integer> connections = new HashMap<>();
    private final Map<Integer, Split> splits = new HashMap<>();

    /**
     * A tracker for genomes of {@code inputs} inputs and {@code outputs} outputs: node ids from
     * {@code inputs + 1 + outputs} on (after the inputs, the bias and the outputs), innovation numbers from 0.
     *
     * @throws IllegalArgumentException for fewer than one input or output
     */
    public InnovationTracker(int inputs, int outputs) {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("InnovationTracker: inputs and outputs must be at least 1, got inputs="
                    + inputs + ", outputs=" + outputs);
        }
        this.nextNode = inputs + 1 + outputs;
        this.nextInnovation = 0;
    }

    private InnovationTracker() {}

    /**
     * A tracker whose next node id and next innovation number are given (to continue from saved genomes).
     *
     * @throws IllegalArgumentException for negative numbers
     */
    public static InnovationTracker startingAt(int nextNode, int nextInnovation) {
        if (nextNode < 0 || nextInnovation < 0) {
            throw new IllegalArgumentException(
                    "InnovationTracker: next node and innovation must be at least 0, got node=" + nextNode
                            + ", innovation=" + nextInnovation);
        }
        InnovationTracker t = new InnovationTracker();
        t.nextNode = nextNode;
        t.nextInnovation = nextInnovation;
        return t;
    }

    /**
     * The innovation number of a connection from {@code in} to {@code out}: the one already given in this
     * generation, else a new one.
     */
    public int connection(int in, int out) {
        long key = ((long) in << 32) | (out & 0xffffffffL);
        Integer k = connections.get(key);
        if (k == null) {
            k = nextInnovation++;
            connections.put(key, k);
        }
        return k;
    }

    /**
     * The node id and innovation numbers for splitting connection {@code innovation} ({@code in -> out}) with
     * a new node: the ones already given in this generation, else new ones.
     */
    public Split split(int innovation, int in, int out) {
        Split s = splits.get(innovation);
        if (s == null) {
            int node = nextNode++;
            int a = nextInnovation++;
            int b = nextInnovation++;
            s = new Split(node, a, b);
            splits.put(innovation, s);
            connections.put(((long) in << 32) | (node & 0xffffffffL), a);
            connections.put(((long) node << 32) | (out & 0xffffffffL), b);
        }
        return s;
    }

    /** Numbers never given before for a split (when the genome already holds this generation's node). */
    Split freshSplit() {
        int node = nextNode++;
        int a = nextInnovation++;
        return new Split(node, a, nextInnovation++);
    }

    /** Starts a new generation: later mutations get new numbers even when they repeat earlier ones. */
    public void nextGeneration() {
        connections.clear();
        splits.clear();
    }

    /** The next innovation number to be given. */
    public int nextInnovation() {
        return nextInnovation;
    }

    /** The next node id to be given. */
    public int nextNode() {
        return nextNode;
    }
}
