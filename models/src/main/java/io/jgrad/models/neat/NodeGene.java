package io.jgrad.models.neat;

/**
 * A node gene of a NEAT {@link Genome} (Stanley and Miikkulainen 2002, "Evolving neural networks through
 * augmenting topologies", figure 2): an id, unique within the run, a kind, and, for the nodes that compute,
 * an activation function (plain NEAT: always {@link Activation#SIGMOID}; a CPPN's nodes draw from several).
 *
 * @param id the node's id; inputs are {@code 0 .. inputs-1}, the bias is {@code inputs}, the outputs follow,
 *     hidden nodes get ids from the run's {@link InnovationTracker}
 * @param type the node's kind
 * @param activation the activation function of a hidden or output node; sensors ignore it and always hold
 *     {@link Activation#SIGMOID}, so that equal sensors are equal genes
 */
public record NodeGene(int id, Type type, Activation activation) {
    /** The kind of a node. */
    public enum Type {
        /** A sensor: its value is the network's input. */
        INPUT,
        /** The bias: always 1. */
        BIAS,
        /** A hidden node: its activation function of its weighted input. */
        HIDDEN,
        /** An output node: its activation function of its weighted input. */
        OUTPUT
    }

    /**
     * A node gene.
     *
     * @throws IllegalArgumentException for a negative id, a null type or activation, or a sensor whose activation
     *     is not {@link Activation#SIGMOID}
     */
    public NodeGene {
        if (id < 0) {
            throw new IllegalArgumentException("NodeGene: id must be at least 0, got " + id);
        }
        if (type == null) {
            throw new IllegalArgumentException("NodeGene: type must not be null (node " + id + ")");
        }
        if (activation == null) {
            throw new IllegalArgumentException("NodeGene: activation must not be null (node " + id + ")");
        }
        if ((type == Type.INPUT || type == Type.BIAS) && activation != Activation.SIGMOID) {
            throw new IllegalArgumentException("NodeGene: " + type + " node " + id + " computes nothing, so it has no "
                    + "activation other than the default; got " + activation);
        }
    }

    /** A node gene with the NEAT paper's activation, {@link Activation#SIGMOID}. */
    public NodeGene(int id, Type type) {
        this(id, type, Activation.SIGMOID);
    }

    /** True for input and bias nodes, whose values are given rather than computed. */
    public boolean isSensor() {
        return type == Type.INPUT || type == Type.BIAS;
    }

    /** This gene with another activation function (hidden and output nodes only). */
    public NodeGene withActivation(Activation a) {
        return new NodeGene(id, type, a);
    }
}
