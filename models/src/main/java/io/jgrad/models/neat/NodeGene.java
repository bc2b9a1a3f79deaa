package io.jgrad.models.neat;

/**
 * A node gene of a NEAT {@link Genome} (Stanley and Miikkulainen 2002, "Evolving neural networks through
 * augmenting topologies", figure 2): an id, unique within the run, and a kind.
 *
 * @param id the node's id; inputs are {@code 0 .. inputs-1}, the bias is {@code inputs}, the outputs follow,
 *     hidden nodes get ids from the run's {@link InnovationTracker}
 * @param type the node's kind
 */
public record NodeGene(int id, Type type) {
    /** The kind of a node. */
    public enum Type {
        /** A sensor: its value is the network's input. */
        INPUT,
        /** The bias: always 1. */
        BIAS,
        /** A hidden node: steepened sigmoid of its weighted input. */
        HIDDEN,
        /** An output node: steepened sigmoid of its weighted input. */
        OUTPUT
    }

    /**
     * A node gene.
     *
     * @throws IllegalArgumentException for a negative id or a null type
     */
    public NodeGene {
        if (id < 0) {
            throw new IllegalArgumentException("NodeGene: id must be at least 0, got " + id);
        }
        if (type == null) {
            throw new IllegalArgumentException("NodeGene: type must not be null (node " + id + ")");
        }
    }

    /** True for input and bias nodes, whose values are given rather than computed. */
    public boolean isSensor() {
        return type == Type.INPUT || type == Type.BIAS;
    }
}
