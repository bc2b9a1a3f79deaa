package io.jgrad.models.neat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The phenotype of a NEAT {@link Genome}: a feed-forward network of its enabled connections, activated in
 * topological order. Inputs pass through, the bias is 1, and every hidden and output node computes its
 * {@link Activation} of the weighted sum of its inputs: for plain NEAT the steepened sigmoid of Stanley and
 * Miikkulainen 2002 (section 4.1), {@code 1 / (1 + exp(-4.9 x))} (a node without enabled inputs gives
 * {@code sigmoid(0) = 0.5}); for a CPPN whatever function each node carries.
 *
 * <p>Immutable once built, and {@link #activate(double...)} allocates its own buffer, so one network may be
 * activated from several threads; {@link #activate(double[], double[], double[])} reuses the caller's
 * buffers for the many queries of a CPPN.
 */
public final class Network {
    /** The slope of the paper's sigmoid. */
    public static final double SLOPE = 4.9;

    private final int inputs;
    private final int outputs;
    private final int nodeCount;
    /** Slots of the computed nodes, in topological order. */
    private final int[] order;
    /** For computed node k (in {@link #order}): its incoming sources' slots and weights. */
    private final int[][] sources;

    private final double[][] weights;
    /** For computed node k (in {@link #order}): its activation function. */
    private final Activation[] activations;

    private final int[] outputSlots;

    Network(Genome g) {
        inputs = g.inputCount();
        outputs = g.outputCount();
        Map<Integer, Integer> slot = new HashMap<>();
        List<Activation> slotActivation = new ArrayList<>();
        int s = 0;
        for (NodeGene n : g.nodes()) {
            slot.put(n.id(), s++);
            slotActivation.add(n.activation());
        }
        nodeCount = s;
        List<List<Integer>> inSrc = new ArrayList<>();
        List<List<Double>> inW = new ArrayList<>();
        List<List<Integer>> succ = new ArrayList<>();
        for (int k = 0; k < nodeCount; k++) {
            inSrc.add(new ArrayList<>());
            inW.add(new ArrayList<>());
            succ.add(new ArrayList<>());
        }
        int[] indegree = new int[nodeCount];
        for (ConnectionGene c : g.connections()) {
            if (!c.enabled()) {
                continue;
            }
            int a = slot.get(c.in());
            int b = slot.get(c.out());
            inSrc.get(b).add(a);
            inW.get(b).add(c.weight());
            succ.get(a).add(b);
            indegree[b]++;
        }
        // Kahn's algorithm over all nodes; sensors come first in id order, so slots 0..inputs are sensors
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int k = 0; k < nodeCount; k++) {
            if (indegree[k] == 0) {
                ready.add(k);
            }
        }
        List<Integer> topo = new ArrayList<>();
        while (!ready.isEmpty()) {
            int k = ready.poll();
            if (k > inputs) {
                topo.add(k);
            }
            for (int m : succ.get(k)) {
                if (--indegree[m] == 0) {
                    ready.add(m);
                }
            }
        }
        if (topo.size() != nodeCount - inputs - 1) {
            throw new IllegalStateException("Network: the enabled connections of " + g + " contain a cycle");
        }
        order = new int[topo.size()];
        sources = new int[topo.size()][];
        weights = new double[topo.size()][];
        activations = new Activation[topo.size()];
        for (int i = 0; i < order.length; i++) {
            int k = topo.get(i);
            order[i] = k;
            activations[i] = slotActivation.get(k);
            sources[i] = inSrc.get(k).stream().mapToInt(Integer::intValue).toArray();
            weights[i] = inW.get(k).stream().mapToDouble(Double::doubleValue).toArray();
        }
        outputSlots = new int[outputs];
        for (int o = 0; o < outputs; o++) {
            outputSlots[o] = slot.get(g.outputId(o));
        }
    }

    /** The paper's steepened sigmoid {@code 1 / (1 + exp(-4.9 x))}. */
    public static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-SLOPE * x));
    }

    /** The number of inputs (without the bias). */
    public int inputCount() {
        return inputs;
    }

    /** The number of outputs. */
    public int outputCount() {
        return outputs;
    }

    /** The number of nodes, the length of the work buffer of {@link #activate(double[], double[], double[])}. */
    public int nodeCount() {
        return nodeCount;
    }

    /**
     * The outputs for one input vector.
     *
     * @param input {@link #inputCount()} values
     * @return {@link #outputCount()} values (in (0, 1) for sigmoid outputs)
     * @throws IllegalArgumentException for the wrong number of inputs
     */
    public double[] activate(double... input) {
        double[] out = new double[outputs];
        activate(input, new double[nodeCount], out);
        return out;
    }

    /**
     * The outputs for one input vector, computed in the caller's buffers (for the many queries of a CPPN).
     *
     * @param input {@link #inputCount()} values (not modified)
     * @param work a buffer of at least {@link #nodeCount()} values (overwritten)
     * @param output receives the {@link #outputCount()} outputs (modified)
     * @throws IllegalArgumentException for the wrong number of inputs or buffers that are too short
     */
    public void activate(double[] input, double[] work, double[] output) {
        if (input.length != inputs) {
            throw new IllegalArgumentException("Network.activate: expected " + inputs + " inputs, got " + input.length);
        }
        if (work.length < nodeCount || output.length < outputs) {
            throw new IllegalArgumentException("Network.activate: buffers too short: work " + work.length + " (need "
                    + nodeCount + "), output " + output.length + " (need " + outputs + ")");
        }
        double[] v = work;
        System.arraycopy(input, 0, v, 0, inputs);
        v[inputs] = 1.0;
        for (int i = 0; i < order.length; i++) {
            int[] src = sources[i];
            double[] w = weights[i];
            double sum = 0;
            for (int j = 0; j < src.length; j++) {
                sum += w[j] * v[src[j]];
            }
            v[order[i]] = activations[i].apply(sum);
        }
        for (int o = 0; o < outputs; o++) {
            output[o] = v[outputSlots[o]];
        }
    }
}
