package io.jgrad.models.neat;

/**
 * A connection gene of a NEAT {@link Genome} (Stanley and Miikkulainen 2002, figure 2): the nodes it joins,
 * its weight, whether it is expressed, and its global innovation number, the historical marking that lines
 * genes up in crossover and compatibility. The weight and the enabled flag change under mutation; the rest
 * is fixed.
 */
public final class ConnectionGene {
    private final int innovation;
    private final int in;
    private final int out;
    private double weight;
    private boolean enabled;

    /**
     * A connection gene.
     *
     * @param innovation the global innovation number, at least 0
     * @param in the source node's id
     * @param out the target node's id
     * @param weight the weight, finite
     * @param enabled whether the connection is expressed in the phenotype
     * @throws IllegalArgumentException for a negative innovation or node id, or a weight that is not finite
     */
    public ConnectionGene(int innovation, int in, int out, double weight, boolean enabled) {
        if (innovation < 0) {
            throw new IllegalArgumentException("ConnectionGene: innovation must be at least 0, got " + innovation);
        }
        if (in < 0 || out < 0) {
            throw new IllegalArgumentException(
                    "ConnectionGene: node ids must be at least 0, got in=" + in + ", out=" + out);
        }
        checkWeight(weight);
        this.innovation = innovation;
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.enabled = enabled;
    }

    private static void checkWeight(double w) {
        if (!Double.isFinite(w)) {
            throw new IllegalArgumentException("ConnectionGene: weight must be finite, got " + w);
        }
    }

    /** The global innovation number. */
    public int innovation() {
        return innovation;
    }

    /** The source node's id. */
    public int in() {
        return in;
    }

    /** The target node's id. */
    public int out() {
        return out;
    }

    /** The weight. */
    public double weight() {
        return weight;
    }

    /** Whether the connection is expressed in the phenotype. */
    public boolean enabled() {
        return enabled;
    }

    /** Sets the weight (finite). */
    public void setWeight(double w) {
        checkWeight(w);
        this.weight = w;
    }

    /** Enables or disables the connection. */
    public void setEnabled(boolean on) {
        this.enabled = on;
    }

    /** An independent copy. */
    public ConnectionGene copy() {
        return new ConnectionGene(innovation, in, out, weight, enabled);
    }

    @Override
    public String toString() {
        return "ConnectionGene{innovation=" + innovation + ", " + in + "->" + out + ", weight=" + weight
                + (enabled ? "" : ", disabled") + "}";
    }
}
