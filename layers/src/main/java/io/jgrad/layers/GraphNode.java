package io.jgrad.layers;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One call of a layer on symbolic tensors (or one model input): the layer, the tensors it was called
 * on and the symbolic tensors it produced. Nodes are immutable and only point back to their inputs,
 * so a graph can never have a cycle.
 */
final class GraphNode {
    /** The batch size of the zeros a layer runs on to find its output shapes. */
    static final int PROBE_BATCH = 2;

    final Module layer;
    final String name;
    final List<SymbolicTensor> inbound;
    private List<SymbolicTensor> outputs = List.of();

    private GraphNode(Module layer, String name, List<SymbolicTensor> inbound) {
        this.layer = layer;
        this.name = name;
        this.inbound = inbound;
    }

    static SymbolicTensor input(String name, DType dtype, int[] shape) {
        GraphNode n = new GraphNode(null, name, List.of());
        SymbolicTensor t = new SymbolicTensor(n, 0, shape, dtype);
        n.outputs = List.of(t);
        return t;
    }

    List<SymbolicTensor> outputs() {
        return outputs;
    }

    int numOutputs() {
        return outputs.size();
    }

    static void checkName(String op, String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(op + ": invalid name '" + name + "' (must be non-empty, without '.')");
        }
    }

    /**
     * Calls {@code layer} on symbolic tensors: runs it on zeros of the inputs' shapes with a batch of
     * {@link #PROBE_BATCH} (evaluation mode, no gradients, modes and carried states restored) and
     * records the call. When an input has open sizes (-1), it runs twice, with the open sizes
     * {@link #OPEN_SIZES}, and the output sizes that differ between the two runs are open.
     */
    static List<SymbolicTensor> call(Module layer, String name, SymbolicTensor[] inputs) {
        String who = describe(layer, name);
        if (name != null) {
            checkName(who + ".call", name);
        }
        if (inputs == null || inputs.length == 0) {
            throw new IllegalArgumentException(who + ".call: expected at least one symbolic input");
        }
        boolean open = false;
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException(who + ".call: symbolic input " + i + " is null");
            }
            for (int d : inputs[i].shape()) {
                open |= d < 0;
            }
        }
        List<Variable> outs = probe(layer, who, inputs, OPEN_SIZES[0], open);
        List<Variable> outs2 = open ? probe(layer, who, inputs, OPEN_SIZES[1], true) : outs;
        GraphNode n = new GraphNode(layer, name, List.of(inputs));
        List<SymbolicTensor> ts = new ArrayList<>(outs.size());
        for (int k = 0; k < outs.size(); k++) {
            int[] s = checkBatchFirst(who, inputs, outs.get(k));
            int[] s2 = checkBatchFirst(who, inputs, outs2.get(k));
            if (s.length != s2.length) {
                throw new IllegalArgumentException(
                        who + " called on " + describeAll(inputs) + " returns outputs whose rank depends"
                                + " on the open sizes: " + Shape.format(s) + " and " + Shape.format(s2));
            }
            int[] perSample = Arrays.copyOfRange(s, 1, s.length);
            for (int d = 0; d < perSample.length; d++) {
                perSample[d] = s[d + 1] == s2[d + 1] ? s[d + 1] : -1;
            }
            ts.add(new SymbolicTensor(n, k, perSample, outs.get(k).dtype()));
        }
        n.outputs = Collections.unmodifiableList(ts);
        return n.outputs;
    }

    /** The sizes given to the open (-1) dimensions of inputs in the two probes. */
    static final int[] OPEN_SIZES = {8, 16};

    /** Runs {@code layer} once on zeros, open sizes set to {@code openSize}, leaving no trace in it. */
    private static List<Variable> probe(Module layer, String who, SymbolicTensor[] inputs, int openSize, boolean open) {
        Variable[] probes = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            probes[i] = Variable.constant(Tensor.zeros(inputs[i].dtype(), probeShape(inputs[i].shape(), openSize)));
        }
        var modes = layer.saveModes();
        // stateful recurrent layers start the probe from zeros and get their carried states back
        IdentityHashMap<RNNBase, Tensor[]> carried = new IdentityHashMap<>();
        for (Module m : layer.modules()) {
            if (m instanceof RNNBase) {
                carried.put((RNNBase) m, ((RNNBase) m).carriedStates());
                ((RNNBase) m).resetStates();
            }
        }
        try (var off = Autograd.noGrad()) {
            layer.eval();
            if (layer instanceof Model) {
                return ((Model) layer).forward(Arrays.asList(probes));
            }
            return List.of(probes.length == 1 ? layer.forward(probes[0]) : layer.forward(probes));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    who + " cannot be called on " + describeAll(inputs) + " (tried on a batch of " + PROBE_BATCH
                            + " zeros" + (open ? " with open sizes " + openSize : "") + "): " + e.getMessage(),
                    e);
        } finally {
            Module.restoreModes(modes);
            for (Map.Entry<RNNBase, Tensor[]> e : carried.entrySet()) {
                e.getKey().restoreCarriedStates(e.getValue());
            }
        }
    }

    private static int[] checkBatchFirst(String who, SymbolicTensor[] inputs, Variable o) {
        if (o == null || o.dim() == 0 || o.size(0) != PROBE_BATCH) {
            throw new IllegalArgumentException(
                    who + " called on " + describeAll(inputs) + " does not keep the batch dimension"
                            + " first: for a batch of " + PROBE_BATCH + " it returned "
                            + (o == null ? "null" : "shape " + Shape.format(o.shape()))
                            + " (a functional model needs batch-first layers)");
        }
        return o.shape();
    }

    static int[] probeShape(int[] perSample, int openSize) {
        int[] s = new int[perSample.length + 1];
        s[0] = PROBE_BATCH;
        for (int d = 0; d < perSample.length; d++) {
            s[d + 1] = perSample[d] < 0 ? openSize : perSample[d];
        }
        return s;
    }

    /** How errors name a layer before a model has named it: its given name or its configuration. */
    static String describe(Module layer, String name) {
        if (name != null) {
            return "layer '" + name + "' (" + layer.typeName() + ")";
        }
        String extra = layer instanceof Model ? "" : layer.extraRepr();
        return "layer " + layer.typeName() + "(" + (extra.contains("\n") ? "..." : extra) + ")";
    }

    String describe() {
        return layer == null ? "input '" + name + "'" : describe(layer, name);
    }

    /** E.g. {@code [input 'a' (N, 8), the output of layer 'encoder' (Linear) (N, 16)]}. */
    static String describeAll(SymbolicTensor[] ts) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ts.length; i++) {
            SymbolicTensor t = ts[i];
            sb.append(i == 0 ? "" : ", ");
            if (t.isInput()) {
                sb.append(t.node.describe());
            } else {
                sb.append("the output ")
                        .append(t.node.numOutputs() > 1 ? t.index + " " : "")
                        .append("of ")
                        .append(t.node.describe());
            }
            sb.append(' ').append(t.formatShape());
        }
        return sb.append(']').toString();
    }
}
