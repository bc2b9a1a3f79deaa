package io.jgrad.models.neat;

import io.jgrad.core.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A NEAT genome (Stanley and Miikkulainen 2002, "Evolving neural networks through augmenting topologies",
 * section 3.1): node genes and connection genes, the connections sorted by their global innovation numbers.
 * Node ids {@code 0 .. inputs-1} are the inputs, {@code inputs} the bias, the next {@code outputs} ids the
 * outputs; hidden nodes get ids from an {@link InnovationTracker}.
 *
 * <p>The genomes here encode feed-forward networks: {@link #mutateAddConnection} never adds a connection that
 * closes a cycle (counting disabled connections too, so that re-enabling a gene in crossover cannot close
 * one), and the phenotype is a {@link Network}. This class holds the operators of the paper:
 * <ul>
 *   <li>{@link #compatibility}: {@code delta = c1 E / N + c2 D / N + c3 W}, section 3.3;</li>
 *   <li>{@link #crossover}: matching genes at random from either parent, disjoint and excess genes from the
 *       fitter one, an inherited gene disabled with probability 0.75 when disabled in either parent, section 3.2;</li>
 *   <li>{@link #mutateWeights}, {@link #mutateAddConnection}, {@link #mutateAddNode}, figure 3.</li>
 * </ul>
 * Hidden and output nodes carry an {@link Activation}: the sigmoid for plain NEAT, a function drawn from a set
 * for the CPPNs of HyperNEAT ({@link #mutateAddNode(InnovationTracker, Random, List)},
 * {@link #mutateActivation}, {@link #setActivation}).
 * Genomes save to and load from a small JSON document ({@link #toJson}, {@link #fromJson}, {@link #save},
 * {@link #load}). A genome is mutable and not thread-safe; the evolution loop changes it from one thread.
 */
public final class Genome {
    /** The {@code format} field of the JSON document. */
    public static final String FORMAT = "jgrad-neat-genome";

    private final int inputs;
    private final int outputs;
    private final TreeMap<Integer, NodeGene> nodes = new TreeMap<>();
    private final TreeMap<Integer, ConnectionGene> connections = new TreeMap<>();
    private double fitness = Double.NaN;

    /**
     * A genome with the input, bias and output nodes and no connections or hidden nodes.
     *
     * @param inputs the number of inputs, at least 1
     * @param outputs the number of outputs, at least 1
     * @throws IllegalArgumentException for fewer than one input or output
     */
    public Genome(int inputs, int outputs) {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException(
                    "Genome: inputs and outputs must be at least 1, got inputs=" + inputs + ", outputs=" + outputs);
        }
        if ((long) inputs + 1 + outputs > Integer.MAX_VALUE) {
            // node ids run from 0 to inputs + outputs
            throw new IllegalArgumentException(
                    "Genome: inputs=" + inputs + " and outputs=" + outputs + " give node ids past 2^31 - 1");
        }
        this.inputs = inputs;
        this.outputs = outputs;
        for (int i = 0; i < inputs; i++) {
            nodes.put(i, new NodeGene(i, NodeGene.Type.INPUT));
        }
        nodes.put(inputs, new NodeGene(inputs, NodeGene.Type.BIAS));
        for (int o = 0; o < outputs; o++) {
            int id = inputs + 1 + o;
            nodes.put(id, new NodeGene(id, NodeGene.Type.OUTPUT));
        }
    }

    /**
     * The paper's starting genome: every input and the bias connected to every output, no hidden nodes, the
     * weights uniform in {@code [-weightRange, weightRange]}; the innovation numbers from {@code tracker}, so
     * that all starting genomes of a generation share them.
     *
     * @param inputs the number of inputs
     * @param outputs the number of outputs
     * @param tracker the run's innovation numbers
     * @param weightRange the half-width of the initial weights, positive
     * @param rng the random source
     * @return the genome
     */
    public static Genome minimal(int inputs, int outputs, InnovationTracker tracker, double weightRange, Random rng) {
        if (!(weightRange > 0) || Double.isInfinite(weightRange)) {
            throw new IllegalArgumentException(
                    "Genome.minimal: weight range must be positive and finite, got " + weightRange);
        }
        Genome g = new Genome(inputs, outputs);
        for (int o = 0; o < outputs; o++) {
            int out = inputs + 1 + o;
            for (int in = 0; in <= inputs; in++) {
                g.addConnection(tracker.connection(in, out), in, out, uniform(rng, weightRange), true);
            }
        }
        return g;
    }

    static double uniform(Random rng, double range) {
        return (rng.nextDouble() * 2 - 1) * range;
    }

    /** The number of inputs (without the bias). */
    public int inputCount() {
        return inputs;
    }

    /** The number of outputs. */
    public int outputCount() {
        return outputs;
    }

    /** The id of the bias node. */
    public int biasId() {
        return inputs;
    }

    /** The id of output {@code k}. */
    public int outputId(int k) {
        if (k < 0 || k >= outputs) {
            throw new IllegalArgumentException(
                    "Genome.outputId: output index must be in [0, " + outputs + "), got " + k);
        }
        return inputs + 1 + k;
    }

    /** The node genes, by id (unmodifiable view). */
    public Collection<NodeGene> nodes() {
        return Collections.unmodifiableCollection(nodes.values());
    }

    /** The node gene {@code id}, or null. */
    public NodeGene node(int id) {
        return nodes.get(id);
    }

    /** The connection genes, by innovation number (unmodifiable view; the genes themselves are mutable). */
    public Collection<ConnectionGene> connections() {
        return Collections.unmodifiableCollection(connections.values());
    }

    /** The connection gene with innovation number {@code innovation}, or null. */
    public ConnectionGene connection(int innovation) {
        return connections.get(innovation);
    }

    /** The number of hidden node genes. */
    public int hiddenCount() {
        return nodes.size() - inputs - 1 - outputs;
    }

    /** The number of enabled connection genes. */
    public int enabledConnectionCount() {
        int n = 0;
        for (ConnectionGene c : connections.values()) {
            if (c.enabled()) {
                n++;
            }
        }
        return n;
    }

    /** The fitness given by the last evaluation (NaN before one). */
    public double fitness() {
        return fitness;
    }

    /** Sets the fitness. */
    public void setFitness(double f) {
        this.fitness = f;
    }

    /**
     * Adds a hidden node.
     *
     * @param id a node id not yet in the genome
     * @return this genome
     * @throws IllegalArgumentException when the id is taken or negative
     */
    public Genome addHiddenNode(int id) {
        return addHiddenNode(id, Activation.SIGMOID);
    }

    /**
     * Adds a hidden node with the given activation function.
     *
     * @param id a node id not yet in the genome
     * @param activation its activation function
     * @return this genome
     * @throws IllegalArgumentException when the id is taken or negative, or the activation is null
     */
    public Genome addHiddenNode(int id, Activation activation) {
        if (nodes.containsKey(id)) {
            throw new IllegalArgumentException("Genome.addHiddenNode: node " + id + " already exists ("
                    + nodes.get(id).type() + ")");
        }
        nodes.put(id, new NodeGene(id, NodeGene.Type.HIDDEN, activation));
        return this;
    }

    /**
     * Sets the activation function of a hidden or output node (a CPPN's output is often {@link Activation#TANH}
     * or {@link Activation#LINEAR}).
     *
     * @param id the node's id
     * @param activation the function
     * @return this genome
     * @throws IllegalArgumentException for an unknown node, a sensor, or a null activation
     */
    public Genome setActivation(int id, Activation activation) {
        NodeGene n = nodes.get(id);
        if (n == null) {
            throw new IllegalArgumentException("Genome.setActivation: unknown node " + id);
        }
        if (n.isSensor()) {
            throw new IllegalArgumentException("Genome.setActivation: node " + id + " is an " + n.type()
                    + " node, which computes nothing; only hidden and output nodes have activations");
        }
        if (activation == null) {
            throw new IllegalArgumentException("Genome.setActivation: activation must not be null (node " + id + ")");
        }
        nodes.put(id, n.withActivation(activation));
        return this;
    }

    /**
     * Adds a connection gene between existing nodes.
     *
     * @param innovation its innovation number, not yet in the genome
     * @param in the source: an input, the bias or a hidden node
     * @param out the target: a hidden or output node
     * @param weight the weight, finite
     * @param enabled whether it is expressed
     * @return this genome
     * @throws IllegalArgumentException for an unknown node, a target that is a sensor, a taken innovation
     *     number, a connection that already exists, or one that would close a cycle
     */
    public Genome addConnection(int innovation, int in, int out, double weight, boolean enabled) {
        NodeGene a = nodes.get(in);
        NodeGene b = nodes.get(out);
        if (a == null || b == null) {
            throw new IllegalArgumentException("Genome.addConnection: unknown node " + (a == null ? in : out)
                    + " in connection " + in + "->" + out);
        }
        if (b.isSensor()) {
            throw new IllegalArgumentException("Genome.addConnection: target " + out + " is an " + b.type()
                    + " node; connections end at hidden or output nodes");
        }
        if (a.type() == NodeGene.Type.OUTPUT) {
            throw new IllegalArgumentException("Genome.addConnection: source " + in + " is an output node; "
                    + "connections start at input, bias or hidden nodes");
        }
        if (connections.containsKey(innovation)) {
            throw new IllegalArgumentException(
                    "Genome.addConnection: innovation " + innovation + " is already in the genome");
        }
        if (hasConnection(in, out)) {
            throw new IllegalArgumentException(
                    "Genome.addConnection: connection " + in + "->" + out + " already exists");
        }
        if (reaches(out, in)) {
            throw new IllegalArgumentException("Genome.addConnection: connection " + in + "->" + out
                    + " would close a cycle; the networks are feed-forward");
        }
        connections.put(innovation, new ConnectionGene(innovation, in, out, weight, enabled));
        return this;
    }

    private boolean hasConnection(int in, int out) {
        for (ConnectionGene c : connections.values()) {
            if (c.in() == in && c.out() == out) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code to} can be reached from {@code from} along connections, enabled or not. */
    private boolean reaches(int from, int to) {
        if (from == to) {
            return true;
        }
        Map<Integer, List<Integer>> next = new HashMap<>();
        for (ConnectionGene c : connections.values()) {
            next.computeIfAbsent(c.in(), k -> new ArrayList<>()).add(c.out());
        }
        Set<Integer> seen = new HashSet<>();
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        stack.push(from);
        while (!stack.isEmpty()) {
            int n = stack.pop();
            if (n == to) {
                return true;
            }
            if (seen.add(n)) {
                for (int m : next.getOrDefault(n, List.of())) {
                    stack.push(m);
                }
            }
        }
        return false;
    }

    /** An independent copy (fitness included). */
    public Genome copy() {
        Genome g = new Genome(inputs, outputs);
        g.nodes.putAll(nodes);
        for (ConnectionGene c : connections.values()) {
            g.connections.put(c.innovation(), c.copy());
        }
        g.fitness = fitness;
        return g;
    }

    /**
     * The compatibility distance of section 3.3, {@code c1 E / N + c2 D / N + c3 W}: E excess genes (beyond the
     * other genome's largest innovation number), D disjoint genes (the other unmatched ones), W the mean
     * absolute weight difference of the matching genes (disabled ones included), N the gene count of the
     * larger genome, or 1 when both have fewer than 20 genes (the paper's rule for small genomes).
     *
     * @param a a genome
     * @param b another
     * @param c1 the excess coefficient, at least 0
     * @param c2 the disjoint coefficient, at least 0
     * @param c3 the weight coefficient, at least 0
     * @return the distance
     */
    public static double compatibility(Genome a, Genome b, double c1, double c2, double c3) {
        if (!(c1 >= 0 && c2 >= 0 && c3 >= 0)) {
            throw new IllegalArgumentException("Genome.compatibility: coefficients must be at least 0, got c1=" + c1
                    + ", c2=" + c2 + ", c3=" + c3);
        }
        int maxA = a.connections.isEmpty() ? -1 : a.connections.lastKey();
        int maxB = b.connections.isEmpty() ? -1 : b.connections.lastKey();
        int excess = 0;
        int disjoint = 0;
        int matching = 0;
        double weightDiff = 0;
        for (ConnectionGene ga : a.connections.values()) {
            ConnectionGene gb = b.connections.get(ga.innovation());
            if (gb != null) {
                matching++;
                weightDiff += Math.abs(ga.weight() - gb.weight());
            } else if (ga.innovation() > maxB) {
                excess++;
            } else {
                disjoint++;
            }
        }
        for (ConnectionGene gb : b.connections.values()) {
            if (!a.connections.containsKey(gb.innovation())) {
                if (gb.innovation() > maxA) {
                    excess++;
                } else {
                    disjoint++;
                }
            }
        }
        int larger = Math.max(a.connections.size(), b.connections.size());
        double n = larger < 20 ? 1 : larger;
        double w = matching == 0 ? 0 : weightDiff / matching;
        return c1 * excess / n + c2 * disjoint / n + c3 * w;
    }

    /**
     * Crossover (section 3.2): the child has the fitter parent's structure, every gene present in both
     * parents taken from one of them at random, every disjoint or excess gene from the fitter parent, and a
     * gene disabled in either parent disabled in the child with probability {@code disableProbability}
     * (else enabled). The caller decides which parent is fitter (the evolution loop breaks ties in favour of
     * the smaller genome, as in Stanley's implementation, so that children stay feed-forward).
     *
     * @param fitter the fitter parent
     * @param other the other parent (same inputs and outputs)
     * @param disableProbability the chance that a gene disabled in either parent stays disabled, in [0, 1]
     * @param rng the random source
     * @return the child (fitness NaN)
     */
    public static Genome crossover(Genome fitter, Genome other, double disableProbability, Random rng) {
        if (fitter.inputs != other.inputs || fitter.outputs != other.outputs) {
            throw new IllegalArgumentException("Genome.crossover: parents differ in shape, " + fitter.inputs + "x"
                    + fitter.outputs + " against " + other.inputs + "x" + other.outputs);
        }
        if (!(disableProbability >= 0 && disableProbability <= 1)) {
            throw new IllegalArgumentException(
                    "Genome.crossover: disable probability must be in [0, 1], got " + disableProbability);
        }
        Genome child = new Genome(fitter.inputs, fitter.outputs);
        child.nodes.putAll(fitter.nodes);
        for (ConnectionGene f : fitter.connections.values()) {
            ConnectionGene o = other.connections.get(f.innovation());
            ConnectionGene c;
            if (o == null) {
                c = f.copy();
            } else {
                c = (rng.nextBoolean() ? f : o).copy();
                if (!f.enabled() || !o.enabled()) {
                    c.setEnabled(!(rng.nextDouble() < disableProbability));
                }
            }
            child.connections.put(c.innovation(), c);
        }
        return child;
    }

    /**
     * Mutates the weights (figure 3's weight mutation as in section 4.1): each weight is perturbed by a
     * uniform draw from {@code [-power, power]} with probability {@code 1 - replaceProbability}, else replaced
     * by a uniform draw from {@code [-initRange, initRange]}; weights are then clipped to
     * {@code [-limit, limit]}.
     *
     * @param power the perturbation's half-width
     * @param replaceProbability the chance of a fresh value instead of a perturbation
     * @param initRange the half-width of fresh values
     * @param limit the largest weight magnitude
     * @param rng the random source
     */
    public void mutateWeights(double power, double replaceProbability, double initRange, double limit, Random rng) {
        for (ConnectionGene c : connections.values()) {
            double w;
            if (rng.nextDouble() < replaceProbability) {
                w = uniform(rng, initRange);
            } else {
                w = c.weight() + uniform(rng, power);
            }
            c.setWeight(Math.max(-limit, Math.min(limit, w)));
        }
    }

    /**
     * The add-connection mutation (figure 3, top): a new connection gene, weight uniform in
     * {@code [-initRange, initRange]}, between two nodes not yet connected, such that the network stays
     * feed-forward; up to {@code attempts} random pairs are tried.
     *
     * @param tracker the run's innovation numbers
     * @param initRange the half-width of the new weight
     * @param attempts how many random pairs to try, at least 1
     * @param rng the random source
     * @return the new gene, or null when no pair tried was possible
     */
    public ConnectionGene mutateAddConnection(InnovationTracker tracker, double initRange, int attempts, Random rng) {
        List<Integer> sources = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        for (NodeGene n : nodes.values()) {
            if (n.type() != NodeGene.Type.OUTPUT) {
                sources.add(n.id());
            }
            if (!n.isSensor()) {
                targets.add(n.id());
            }
        }
        for (int t = 0; t < attempts; t++) {
            int in = sources.get(rng.nextInt(sources.size()));
            int out = targets.get(rng.nextInt(targets.size()));
            if (in == out || hasConnection(in, out) || reaches(out, in)) {
                continue;
            }
            int innovation = tracker.connection(in, out);
            if (connections.containsKey(innovation)) {
                continue;
            }
            double w = uniform(rng, initRange);
            ConnectionGene c = new ConnectionGene(innovation, in, out, w, true);
            connections.put(innovation, c);
            return c;
        }
        return null;
    }

    /**
     * The add-node mutation (figure 3, bottom): an enabled connection chosen at random is disabled and
     * replaced by a new node and two connections, the one into the node of weight 1 and the one out of it of
     * the old weight, so the network's behaviour changes little. Connections from the bias are split only
     * when there is no other enabled connection (a node fed by the bias alone is a constant; Stanley's
     * NEAT code avoids them too).
     *
     * @param tracker the run's innovation numbers
     * @param rng the random source
     * @return the new node's id, or -1 when there is no enabled connection
     */
    public int mutateAddNode(InnovationTracker tracker, Random rng) {
        return mutateAddNode(tracker, rng, List.of(Activation.SIGMOID));
    }

    /**
     * The add-node mutation with the new node's activation function drawn uniformly from {@code choices} (a
     * CPPN's function set); with one choice no random number is drawn for it, so
     * {@link #mutateAddNode(InnovationTracker, Random)} is this method with {@link Activation#SIGMOID} alone.
     *
     * @param tracker the run's innovation numbers
     * @param rng the random source
     * @param choices the activation functions a new node may get, at least one
     * @return the new node's id, or -1 when there is no enabled connection
     */
    public int mutateAddNode(InnovationTracker tracker, Random rng, List<Activation> choices) {
        checkChoices("Genome.mutateAddNode", choices);
        List<ConnectionGene> enabled = new ArrayList<>();
        List<ConnectionGene> fromBias = new ArrayList<>();
        for (ConnectionGene c : connections.values()) {
            if (c.enabled()) {
                (c.in() == inputs ? fromBias : enabled).add(c);
            }
        }
        if (enabled.isEmpty()) {
            enabled = fromBias;
        }
        if (enabled.isEmpty()) {
            return -1;
        }
        ConnectionGene c = enabled.get(rng.nextInt(enabled.size()));
        InnovationTracker.Split s = tracker.split(c.innovation(), c.in(), c.out());
        if (nodes.containsKey(s.node())
                || connections.containsKey(s.inInnovation())
                || connections.containsKey(s.outInnovation())) {
            s = tracker.freshSplit();
        }
        c.setEnabled(false);
        Activation act = choices.size() == 1 ? choices.get(0) : choices.get(rng.nextInt(choices.size()));
        nodes.put(s.node(), new NodeGene(s.node(), NodeGene.Type.HIDDEN, act));
        connections.put(s.inInnovation(), new ConnectionGene(s.inInnovation(), c.in(), s.node(), 1.0, true));
        connections.put(s.outInnovation(), new ConnectionGene(s.outInnovation(), s.node(), c.out(), c.weight(), true));
        return s.node();
    }

    /**
     * The activation mutation of CPPN-NEAT: a hidden node chosen at random gets another function drawn
     * uniformly from {@code choices} (one that differs from its current one when there is such a choice).
     *
     * @param choices the activation functions, at least one
     * @param rng the random source
     * @return the changed node's id, or -1 when the genome has no hidden node or {@code choices} offers nothing new
     */
    public int mutateActivation(List<Activation> choices, Random rng) {
        checkChoices("Genome.mutateActivation", choices);
        List<NodeGene> hidden = new ArrayList<>();
        for (NodeGene n : nodes.values()) {
            if (n.type() == NodeGene.Type.HIDDEN) {
                hidden.add(n);
            }
        }
        if (hidden.isEmpty()) {
            return -1;
        }
        NodeGene n = hidden.get(rng.nextInt(hidden.size()));
        List<Activation> other = new ArrayList<>();
        for (Activation a : choices) {
            if (a != n.activation() && !other.contains(a)) {
                other.add(a);
            }
        }
        if (other.isEmpty()) {
            return -1;
        }
        nodes.put(n.id(), n.withActivation(other.get(rng.nextInt(other.size()))));
        return n.id();
    }

    private static void checkChoices(String where, List<Activation> choices) {
        if (choices == null || choices.isEmpty() || choices.stream().anyMatch(a -> a == null)) {
            throw new IllegalArgumentException(
                    where + ": the activation choices must be a non-empty list without nulls, got " + choices);
        }
    }

    /** The phenotype: a feed-forward network of the enabled connections. */
    public Network network() {
        return new Network(this);
    }

    // ---------------------------------------------------------------- JSON

    /**
     * The genome as a JSON document: {@code {"format": "jgrad-neat-genome", "version": 1, "inputs": I,
     * "outputs": O, "fitness": F or null, "nodes": [{"id", "type", "activation"}], "connections":
     * [{"innovation", "in", "out", "weight", "enabled"}]}}. A node's {@code "activation"} (such as
     * {@code "sine"}) is written only when it is not the default {@code "sigmoid"}, so a plain NEAT genome's
     * document is the same as before activations existed, and documents without it load with sigmoid nodes.
     * Weights are written with enough digits to read back exactly.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"format\": ").append(Json.quote(FORMAT)).append(",\n  \"version\": 1,\n");
        sb.append("  \"inputs\": ")
                .append(inputs)
                .append(",\n  \"outputs\": ")
                .append(outputs)
                .append(",\n");
        sb.append("  \"fitness\": ")
                .append(Double.isFinite(fitness) ? Double.toString(fitness) : "null")
                .append(",\n");
        sb.append("  \"nodes\": [");
        boolean first = true;
        for (NodeGene n : nodes.values()) {
            sb.append(first ? "\n" : ",\n")
                    .append("    {\"id\": ")
                    .append(n.id())
                    .append(", \"type\": ")
                    .append(Json.quote(n.type().name().toLowerCase(Locale.ROOT)));
            if (n.activation() != Activation.SIGMOID) {
                sb.append(", \"activation\": ").append(Json.quote(n.activation().jsonName()));
            }
            sb.append('}');
            first = false;
        }
        sb.append("\n  ],\n  \"connections\": [");
        first = true;
        for (ConnectionGene c : connections.values()) {
            sb.append(first ? "\n" : ",\n")
                    .append("    {\"innovation\": ")
                    .append(c.innovation())
                    .append(", \"in\": ")
                    .append(c.in())
                    .append(", \"out\": ")
                    .append(c.out())
                    .append(", \"weight\": ")
                    .append(Double.toString(c.weight()))
                    .append(", \"enabled\": ")
                    .append(c.enabled())
                    .append('}');
            first = false;
        }
        sb.append(first ? "]\n}\n" : "\n  ]\n}\n");
        return sb.toString();
    }

    /**
     * Reads a genome written by {@link #toJson}.
     *
     * @param text the JSON document
     * @return the genome
     * @throws IllegalArgumentException when the text is not such a document, with the reason
     */
    public static Genome fromJson(String text) {
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.JsonException e) {
            throw new IllegalArgumentException("Genome.fromJson: invalid JSON: " + e.getMessage(), e);
        }
        Map<?, ?> m = asMap(root, "the document");
        if (!FORMAT.equals(m.get("format"))) {
            throw new IllegalArgumentException(
                    "Genome.fromJson: expected \"format\": \"" + FORMAT + "\", got " + m.get("format"));
        }
        long version = asLong(m.get("version"), "version");
        if (version != 1) {
            throw new IllegalArgumentException(
                    "Genome.fromJson: unsupported version " + version + " (this reader knows 1)");
        }
        int inputs = asInt(m.get("inputs"), "inputs");
        int outputs = asInt(m.get("outputs"), "outputs");
        List<?> nodeList = asList(m.get("nodes"), "nodes");
        // the document lists every input, bias and output node: checked before the genome makes them
        if (inputs >= 1 && outputs >= 1 && (long) inputs + 1 + outputs > nodeList.size()) {
            throw new IllegalArgumentException("Genome.fromJson: " + inputs + " inputs and " + outputs
                    + " outputs need " + ((long) inputs + 1 + outputs) + " input, bias and output nodes, but \"nodes\""
                    + " lists " + nodeList.size());
        }
        Genome g = new Genome(inputs, outputs);
        Object f = m.get("fitness");
        g.fitness = f == null ? Double.NaN : asDouble(f, "fitness");
        int sensorsAndOutputs = 0;
        for (Object o : nodeList) {
            Map<?, ?> n = asMap(o, "a node");
            int id = asInt(n.get("id"), "node id");
            Object t = n.get("type");
            NodeGene.Type type;
            try {
                type = NodeGene.Type.valueOf(String.valueOf(t).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Genome.fromJson: unknown node type " + t + " of node " + id, e);
            }
            Activation act = Activation.SIGMOID;
            Object a = n.get("activation");
            if (a != null) {
                if (!(a instanceof String)) {
                    throw new IllegalArgumentException(
                            "Genome.fromJson: \"activation\" of node " + id + " must be a string, got " + a);
                }
                try {
                    act = Activation.parse((String) a);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Genome.fromJson: node " + id + ": " + e.getMessage(), e);
                }
            }
            if (type == NodeGene.Type.HIDDEN) {
                g.addHiddenNode(id, act);
            } else if (type == NodeGene.Type.OUTPUT) {
                NodeGene have = g.nodes.get(id);
                if (have == null || have.type() != type) {
                    throw new IllegalArgumentException("Genome.fromJson: node " + id + " of type " + t
                            + " does not fit " + g.inputs + " inputs and " + g.outputs + " outputs");
                }
                g.setActivation(id, act);
                sensorsAndOutputs++;
            } else {
                if (act != Activation.SIGMOID) {
                    throw new IllegalArgumentException("Genome.fromJson: " + t + " node " + id
                            + " computes nothing and cannot have activation " + a);
                }
                NodeGene have = g.nodes.get(id);
                if (have == null || have.type() != type) {
                    throw new IllegalArgumentException("Genome.fromJson: node " + id + " of type " + t
                            + " does not fit " + g.inputs + " inputs and " + g.outputs + " outputs");
                }
                sensorsAndOutputs++;
            }
        }
        if (sensorsAndOutputs != g.inputs + 1 + g.outputs) {
            throw new IllegalArgumentException("Genome.fromJson: expected " + (g.inputs + 1 + g.outputs)
                    + " input, bias and output nodes, got " + sensorsAndOutputs);
        }
        for (Object o : asList(m.get("connections"), "connections")) {
            Map<?, ?> c = asMap(o, "a connection");
            Object en = c.get("enabled");
            if (!(en instanceof Boolean)) {
                throw new IllegalArgumentException("Genome.fromJson: \"enabled\" must be true or false, got " + en);
            }
            g.addConnection(
                    asInt(c.get("innovation"), "innovation"),
                    asInt(c.get("in"), "in"),
                    asInt(c.get("out"), "out"),
                    asDouble(c.get("weight"), "weight"),
                    (Boolean) en);
        }
        return g;
    }

    private static Map<?, ?> asMap(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException("Genome.fromJson: expected an object for " + what + ", got " + o);
        }
        return (Map<?, ?>) o;
    }

    private static List<?> asList(Object o, String what) {
        if (!(o instanceof List)) {
            throw new IllegalArgumentException("Genome.fromJson: expected an array for \"" + what + "\", got " + o);
        }
        return (List<?>) o;
    }

    private static long asLong(Object o, String what) {
        if (!(o instanceof Long)) {
            throw new IllegalArgumentException("Genome.fromJson: expected an integer for \"" + what + "\", got " + o);
        }
        return (Long) o;
    }

    private static int asInt(Object o, String what) {
        long v = asLong(o, what);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Genome.fromJson: \"" + what + "\" out of range: " + v);
        }
        return (int) v;
    }

    private static double asDouble(Object o, String what) {
        if (o instanceof Long || o instanceof Double) {
            return ((Number) o).doubleValue();
        }
        throw new IllegalArgumentException("Genome.fromJson: expected a number for \"" + what + "\", got " + o);
    }

    /** Writes {@link #toJson} to {@code path} (UTF-8). */
    public void save(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(path, toJson(), StandardCharsets.UTF_8);
    }

    /** Reads a genome saved by {@link #save}. */
    public static Genome load(Path path) throws IOException {
        return fromJson(Files.readString(path, StandardCharsets.UTF_8));
    }

    /** True when both genomes have the same nodes and the same connection genes (weights compared exactly). */
    public boolean sameGenes(Genome other) {
        if (inputs != other.inputs
                || outputs != other.outputs
                || !nodes.equals(other.nodes)
                || connections.size() != other.connections.size()) {
            return false;
        }
        Iterator<ConnectionGene> it = other.connections.values().iterator();
        for (ConnectionGene a : connections.values()) {
            ConnectionGene b = it.next();
            if (a.innovation() != b.innovation()
                    || a.in() != b.in()
                    || a.out() != b.out()
                    || Double.compare(a.weight(), b.weight()) != 0
                    || a.enabled() != b.enabled()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Genome{inputs=" + inputs + ", outputs=" + outputs + ", hidden=" + hiddenCount() + ", connections="
                + connections.size() + " (" + enabledConnectionCount() + " enabled), fitness=" + fitness + "}";
    }
}
