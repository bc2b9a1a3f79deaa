package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A model built from a graph of layer calls, like a Keras functional {@code Model}: symbolic
 * inputs from {@link Input#of}, layers called on symbolic tensors with
 * {@link Module#call(SymbolicTensor...)}, and a model made of the inputs and the outputs. Graphs may
 * have several inputs and outputs, branches, merges ({@link Add}, {@link Concatenate}, ...), shared
 * layers (one layer instance called several times uses the same parameters) and nested models (a
 * {@code Model} is a {@link Module} and can be called like any layer).
 *
 * <pre>{@code
 * SymbolicTensor left = Input.of("left", 20), right = Input.of("right", 20);
 * Linear encoder = new Linear(20, 32);                          // shared by both towers
 * SymbolicTensor a = new ReLU().call(encoder.call("encoder", left));
 * SymbolicTensor b = new ReLU().call(encoder.call(right));
 * SymbolicTensor merged = new Concatenate().call(a, b);         // (N, 64)
 * SymbolicTensor same = new Linear(64, 1).call("same", merged); // output "same"
 * SymbolicTensor kind = new Linear(32, 5).call("kind", a);      // output "kind"
 * Model model = new Model(List.of(left, right), List.of(same, kind));
 * List<Variable> out = model.forward(List.of(x1, x2));          // [same, kind]
 * }</pre>
 *
 * <p><b>Shapes are checked when the graph is built.</b> Calling a layer on symbolic tensors runs it
 * on zeros of their shapes (a batch of two samples, evaluation mode, no gradients; twice, at two
 * sizes, when an input has open sizes), so a shape mismatch at a merge or a shared layer reused on
 * inputs of another shape throws at once, naming the layer and its inputs. Building the model checks that every output is computed from the given
 * inputs only and that every input is used. The probe changes no weights, running statistics,
 * modes or carried recurrent states; layers must be batch-first (batch dimension first, as a
 * functional graph's open dimension is), and a layer that draws random numbers in evaluation mode
 * ({@link MonteCarloDropout}) draws them for the probe too.
 *
 * <p><b>Names.</b> Each distinct layer is a child of the model under its name: the name given at
 * a call ({@code encoder.call("encoder", x)}) or one derived from its type, numbered per model in
 * the order of the graph as Keras does ({@code linear}, {@code linear_1}, {@code conv2d}, ...). So
 * {@link #stateDict()} has stable names ({@code encoder.weight}, {@code linear_1.bias}) for the same
 * code, and a saved model loads into the same graph built again. Inputs and layers share one name
 * space. Outputs are named after the layers that produce them (name the heads at their call).
 *
 * <p><b>Running it.</b> {@link #forward(List)} maps inputs in order to all outputs in order;
 * {@link #forward(Map)} maps input names to output names. A model with one output is also an
 * ordinary module: {@link #forward(Variable)} (one input) and {@link #forward(Variable...)} (several
 * inputs) return that output, so it works in a {@link Sequential} or a trainer. Inputs are checked
 * against the declared per-sample shapes; the batch size and the open sizes (-1) are free.
 */
public class Model extends Module {
    private final List<SymbolicTensor> inputs;
    private final List<SymbolicTensor> outputs;
    private final List<String> inputNames;
    private final List<String> outputNames;
    // layer calls in an order where each comes after the calls producing its inputs
    private final List<GraphNode> nodes;
    private final IdentityHashMap<Module, String> names = new IdentityHashMap<>();

    /**
     * A model of one input and one output.
     *
     * @param input a symbolic input from {@link Input#of}
     * @param output a symbolic tensor computed from it
     */
    public Model(SymbolicTensor input, SymbolicTensor output) {
        this(List.of(nonNull(input, "input")), List.of(nonNull(output, "output")));
    }

    /**
     * A model of several inputs and one output.
     *
     * @param inputs the symbolic inputs, in the order {@link #forward(Variable...)} takes them
     * @param output the symbolic output
     */
    public Model(List<SymbolicTensor> inputs, SymbolicTensor output) {
        this(inputs, List.of(nonNull(output, "output")));
    }

    /**
     * A model of several inputs and outputs; outputs are named after the layers producing them.
     *
     * @param inputs the symbolic inputs, in the order {@link #forward(List)} takes them
     * @param outputs the symbolic outputs, in the order {@link #forward(List)} returns them
     */
    public Model(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("Model: expected at least one input, got " + inputs);
        }
        if (outputs == null || outputs.isEmpty()) {
            throw new IllegalArgumentException("Model: expected at least one output, got " + outputs);
        }
        for (int k = 0; k < inputs.size(); k++) {
            nonNull(inputs.get(k), "input " + k);
        }
        for (int k = 0; k < outputs.size(); k++) {
            nonNull(outputs.get(k), "output " + k);
        }
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        List<String> ins = new ArrayList<>();
        Set<GraphNode> inputNodes = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SymbolicTensor t : this.inputs) {
            if (!t.isInput()) {
                throw new IllegalArgumentException(
                        "Model: inputs must come from Input.of, but one is the output of " + t.node.describe());
            }
            if (!inputNodes.add(t.node)) {
                throw new IllegalArgumentException("Model: input '" + t.name() + "' is given twice");
            }
            if (ins.contains(t.name())) {
                throw new IllegalArgumentException("Model: two inputs are named '" + t.name() + "'");
            }
            ins.add(t.name());
        }
        this.inputNames = List.copyOf(ins);
        this.nodes = sort(inputNodes);
        nameLayers();
        this.outputNames = List.copyOf(nameOutputs());
    }

    private static <T> T nonNull(T t, String what) {
        if (t == null) {
            throw new IllegalArgumentException("Model: " + what + " is null");
        }
        return t;
    }

    /** The layer calls reachable from the outputs, inputs first; checks that only the given inputs feed them. */
    private List<GraphNode> sort(Set<GraphNode> inputNodes) {
        List<GraphNode> order = new ArrayList<>();
        Set<GraphNode> done = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<GraphNode> usedInputs = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int k = 0; k < outputs.size(); k++) {
            visit(outputs.get(k).node, null, k, inputNodes, usedInputs, done, order);
        }
        for (SymbolicTensor t : inputs) {
            if (!usedInputs.contains(t.node)) {
                throw new IllegalArgumentException("Model: input '" + t.name() + "' is not used by any output");
            }
        }
        return order;
    }

    private void visit(
            GraphNode n,
            GraphNode consumer,
            int output,
            Set<GraphNode> inputNodes,
            Set<GraphNode> usedInputs,
            Set<GraphNode> done,
            List<GraphNode> order) {
        if (n.layer == null) {
            if (!inputNodes.contains(n)) {
                throw new IllegalArgumentException("Model: output " + output + " ("
                        + outputs.get(output).node.describe()
                        + ") is not reachable from the inputs " + inputNames + ": it depends on input '" + n.name + "'"
                        + (consumer == null ? "" : " through " + consumer.describe())
                        + ", which is not an input of the model");
            }
            usedInputs.add(n);
            return;
        }
        if (done.contains(n)) {
            return;
        }
        for (SymbolicTensor t : n.inbound) {
            visit(t.node, n, output, inputNodes, usedInputs, done, order);
        }
        done.add(n);
        order.add(n);
    }

    /** Gives every distinct layer its name (given at a call, else derived from its type) and registers it. */
    private void nameLayers() {
        Set<String> used = new HashSet<>(inputNames);
        IdentityHashMap<Module, String> given = new IdentityHashMap<>();
        List<Module> layers = new ArrayList<>();
        for (GraphNode n : nodes) {
            if (!layers.contains(n.layer)) {
                layers.add(n.layer);
            }
            if (n.name == null) {
                continue;
            }
            String before = given.get(n.layer);
            if (before == null) {
                if (!used.add(n.name)) {
                    throw new IllegalArgumentException("Model: the name '" + n.name + "' of " + n.describe()
                            + " is already used by " + (inputNames.contains(n.name) ? "an input" : "another layer"));
                }
                given.put(n.layer, n.name);
            } else if (!before.equals(n.name)) {
                throw new IllegalArgumentException("Model: " + GraphNode.describe(n.layer, null)
                        + " is called under two names, '" + before + "' and '" + n.name + "'");
            }
        }
        Map<String, Integer> counters = new HashMap<>();
        for (Module m : layers) {
            String name = given.get(m);
            if (name == null) {
                String base = snakeCase(m.typeName());
                int k = counters.getOrDefault(base, 0);
                name = k == 0 ? base : base + "_" + k;
                while (used.contains(name)) {
                    k++;
                    name = base + "_" + k;
                }
                counters.put(base, k + 1);
                used.add(name);
            }
            names.put(m, name);
            registerModule(name, m);
        }
    }

    private List<String> nameOutputs() {
        List<String> out = new ArrayList<>();
        for (SymbolicTensor t : outputs) {
            String base;
            if (t.isInput()) {
                base = t.name();
            } else {
                base = names.get(t.layer());
                if (t.node.numOutputs() > 1) {
                    base += "_" + ((Model) t.layer()).outputNames().get(t.index);
                }
            }
            String name = base;
            for (int k = 1; out.contains(name); k++) {
                name = base + "_" + k;
            }
            out.add(name);
        }
        return out;
    }

    /**
     * A layer's default name: its type in snake case, as Keras names layers ({@code Linear} to
     * {@code linear}, {@code BatchNorm2d} to {@code batch_norm2d}, {@code LSTMCell} to {@code lstm_cell},
     * {@code LeakyReLU} to {@code leaky_relu}).
     *
     * @param type a class name
     * @return the snake-case name
     */
    static String snakeCase(String type) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (i > 0 && Character.isUpperCase(c)) {
                char prev = type.charAt(i - 1);
                boolean nextLower = i + 1 < type.length() && Character.isLowerCase(type.charAt(i + 1));
                if (Character.isLowerCase(prev)
                        || Character.isDigit(prev)
                        || (Character.isUpperCase(prev) && nextLower)) {
                    sb.append('_');
                }
            }
            sb.append(Character.toLowerCase(c));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------ the graph

    /**
     * The symbolic inputs.
     *
     * @return the inputs, in order
     */
    public List<SymbolicTensor> inputs() {
        return inputs;
    }

    /**
     * The symbolic outputs.
     *
     * @return the outputs, in order
     */
    public List<SymbolicTensor> outputs() {
        return outputs;
    }

    /**
     * The names of the inputs.
     *
     * @return the names, in input order
     */
    public List<String> inputNames() {
        return inputNames;
    }

    /**
     * The names of the outputs: the names of the layers that produce them (an input's name for an
     * input returned as an output; {@code _1}, {@code _2}, ... appended when one layer produces
     * several outputs, and the nested model's output name for the outputs of a nested model).
     *
     * @return the names, in output order
     */
    public List<String> outputNames() {
        return outputNames;
    }

    /**
     * The number of inputs.
     *
     * @return the count
     */
    public int numInputs() {
        return inputs.size();
    }

    /**
     * The number of outputs.
     *
     * @return the count
     */
    public int numOutputs() {
        return outputs.size();
    }

    /**
     * The distinct layers of the graph under their names, in the order of the graph.
     *
     * @return an unmodifiable ordered map from name to layer
     */
    public Map<String, Module> layers() {
        return namedChildren();
    }

    /**
     * The layer named {@code name}.
     *
     * @param name a layer name, e.g. {@code "linear_1"}
     * @return the layer
     * @throws IllegalArgumentException when no layer has that name
     */
    public Module layer(String name) {
        Module m = namedChildren().get(name);
        if (m == null) {
            throw new IllegalArgumentException("Model.layer: no layer named '" + name + "'; layers: "
                    + namedChildren().keySet());
        }
        return m;
    }

    /**
     * The name of a layer of this model.
     *
     * @param layer a layer of the graph
     * @return its name
     * @throws IllegalArgumentException when the layer is not in the graph
     */
    public String nameOf(Module layer) {
        String n = names.get(layer);
        if (n == null) {
            throw new IllegalArgumentException(
                    "Model.nameOf: " + GraphNode.describe(layer, null) + " is not a layer of this model");
        }
        return n;
    }

    /**
     * Calls this model as a layer of another graph and returns all its outputs (for a model with one
     * output {@link Module#call(SymbolicTensor...)} returns it directly).
     *
     * @param inputs symbolic tensors matching this model's inputs
     * @return one symbolic tensor per output, in order
     */
    public final List<SymbolicTensor> callAll(SymbolicTensor... inputs) {
        return GraphNode.call(this, null, inputs);
    }

    /**
     * Calls this model as a named layer of another graph (see {@link Module#call(String, SymbolicTensor...)})
     * and returns all its outputs.
     *
     * @param name the model's name in the outer graph (non-empty, no dots), or null for {@code model}, {@code model_1}, ...
     * @param inputs symbolic tensors matching this model's inputs
     * @return one symbolic tensor per output, in order
     */
    public final List<SymbolicTensor> callAll(String name, SymbolicTensor... inputs) {
        return GraphNode.call(this, name, inputs);
    }

    // ------------------------------------------------------------------------------------------ forward

    /**
     * Runs the graph: every output for inputs given in order.
     *
     * @param xs one batch per input, each {@code (N, *inputShape)} with the same N
     * @return one value per output, in order
     */
    public List<Variable> forward(List<Variable> xs) {
        if (xs == null || xs.size() != inputs.size()) {
            throw new IllegalArgumentException("Model: expected " + inputs.size() + " inputs " + inputNames + ", got "
                    + (xs == null ? "null" : String.valueOf(xs.size())));
        }
        IdentityHashMap<SymbolicTensor, Variable> values = new IdentityHashMap<>();
        int n = -1;
        for (int k = 0; k < xs.size(); k++) {
            Variable x = xs.get(k);
            SymbolicTensor in = inputs.get(k);
            if (x == null) {
                throw new IllegalArgumentException("Model: input '" + in.name() + "' is null");
            }
            int[] s = x.shape();
            if (!fits(s, in.shape())) {
                throw new IllegalArgumentException("Model: input '" + in.name() + "' expects batches of shape "
                        + in.formatShape() + ", got " + io.jgrad.core.Shape.format(s));
            }
            if (n >= 0 && s[0] != n) {
                throw new IllegalArgumentException("Model: input '" + in.name() + "' has " + s[0]
                        + " samples but input '" + inputNames.get(0) + "' has " + n);
            }
            n = s[0];
            values.put(in, x);
        }
        for (GraphNode node : nodes) {
            Variable[] args = new Variable[node.inbound.size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = values.get(node.inbound.get(i));
            }
            List<SymbolicTensor> outs = node.outputs();
            if (outs.size() > 1) {
                List<Variable> r = ((Model) node.layer).forward(Arrays.asList(args));
                for (int k = 0; k < outs.size(); k++) {
                    values.put(outs.get(k), r.get(k));
                }
            } else {
                values.put(outs.get(0), args.length == 1 ? node.layer.call(args[0]) : node.layer.call(args));
            }
        }
        List<Variable> result = new ArrayList<>(outputs.size());
        for (SymbolicTensor o : outputs) {
            result.add(values.get(o));
        }
        return result;
    }

    /** Whether a batch shape is (N, *perSample), open (-1) sizes taking any value. */
    private static boolean fits(int[] batch, int[] perSample) {
        if (batch.length != perSample.length + 1) {
            return false;
        }
        for (int d = 0; d < perSample.length; d++) {
            if (perSample[d] >= 0 && batch[d + 1] != perSample[d]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the graph on named inputs and returns the named outputs.
     *
     * @param xs input name to batch; every input must be given, and nothing else
     * @return output name to value, in output order
     */
    public Map<String, Variable> forward(Map<String, Variable> xs) {
        if (xs == null) {
            throw new IllegalArgumentException("Model: the input map is null");
        }
        for (String k : xs.keySet()) {
            if (!inputNames.contains(k)) {
                throw new IllegalArgumentException("Model: no input named '" + k + "'; inputs: " + inputNames);
            }
        }
        List<Variable> in = new ArrayList<>();
        for (String name : inputNames) {
            if (!xs.containsKey(name)) {
                throw new IllegalArgumentException("Model: input '" + name + "' is missing; inputs: " + inputNames);
            }
            in.add(xs.get(name));
        }
        List<Variable> out = forward(in);
        Map<String, Variable> named = new LinkedHashMap<>();
        for (int k = 0; k < out.size(); k++) {
            named.put(outputNames.get(k), out.get(k));
        }
        return named;
    }

    /**
     * The output of a model with one input and one output.
     *
     * @param input the batch {@code (N, *inputShape)}
     * @return the output
     */
    @Override
    public Variable forward(Variable input) {
        return forward(new Variable[] {input});
    }

    /**
     * The output of a model with one output.
     *
     * @param xs one batch per input, in order
     * @return the output
     */
    @Override
    public Variable forward(Variable... xs) {
        if (outputs.size() != 1) {
            throw new IllegalStateException("Model: it has " + outputs.size() + " outputs " + outputNames
                    + "; use forward(List) or forward(Map) to get them all");
        }
        return forward(Arrays.asList(xs)).get(0);
    }

    // ------------------------------------------------------------------------------------------ printing

    /**
     * The graph as a table, like Keras's functional summary: one row per input and per layer call
     * with the layer's name and type, its output shape (batch dimension {@code N}), its parameter
     * count (a shared layer's second call shows {@code shared}) and the calls it is connected to
     * ({@code name[i]} is the i-th call of a shared layer, {@code name:k} the k-th output of a nested
     * model); then the totals, each parameter counted once.
     *
     * @return the table
     */
    public String summary() {
        IdentityHashMap<GraphNode, String> refs = new IdentityHashMap<>();
        IdentityHashMap<Module, Integer> calls = new IdentityHashMap<>();
        List<String[]> rows = new ArrayList<>();
        for (SymbolicTensor t : inputs) {
            refs.put(t.node, t.name());
            rows.add(new String[] {t.name() + " (Input)", shapes(t.node), "0", ""});
        }
        for (GraphNode n : nodes) {
            int call = calls.merge(n.layer, 1, Integer::sum) - 1;
            String name = names.get(n.layer) + (call == 0 ? "" : "[" + call + "]");
            refs.put(n, name);
            StringBuilder from = new StringBuilder();
            for (SymbolicTensor t : n.inbound) {
                from.append(from.length() == 0 ? "" : ", ")
                        .append(refs.get(t.node))
                        .append(t.node.numOutputs() > 1 ? ":" + t.index : "");
            }
            String params = call == 0 ? String.format(Locale.ROOT, "%,d", countParameters(n.layer, false)) : "shared";
            rows.add(new String[] {name + " (" + n.layer.typeName() + ")", shapes(n), params, from.toString()});
        }
        String[] head = {"Layer (type)", "Output Shape", "Param #", "Connected to"};
        int[] w = new int[4];
        for (int c = 0; c < 4; c++) {
            w[c] = head[c].length();
            for (String[] r : rows) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        String fmt = "%-" + (w[0] + 3) + "s%-" + (w[1] + 3) + "s%" + w[2] + "s   %s";
        String nl = System.lineSeparator();
        int width = w[0] + w[1] + w[2] + w[3] + 9;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, fmt, (Object[]) head).stripTrailing())
                .append(nl);
        sb.append("=".repeat(width)).append(nl);
        for (String[] r : rows) {
            sb.append(String.format(Locale.ROOT, fmt, (Object[]) r).stripTrailing())
                    .append(nl);
        }
        sb.append("=".repeat(width)).append(nl);
        long total = countParameters(this, false);
        long trainable = countParameters(this, true);
        sb.append("Inputs: ").append(inputNames).append(nl);
        sb.append("Outputs: ").append(outputNames).append(nl);
        sb.append(String.format(Locale.ROOT, "Total params: %,d", total)).append(nl);
        sb.append(String.format(Locale.ROOT, "Trainable params: %,d", trainable))
                .append(nl);
        sb.append(String.format(Locale.ROOT, "Non-trainable params: %,d", total - trainable))
                .append(nl);
        return sb.toString();
    }

    private static String shapes(GraphNode n) {
        StringBuilder sb = new StringBuilder();
        for (SymbolicTensor t : n.outputs()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(t.formatShape());
        }
        return sb.toString();
    }

    @Override
    protected String extraRepr() {
        return "inputs=" + inputNames + ", outputs=" + outputNames;
    }
}
