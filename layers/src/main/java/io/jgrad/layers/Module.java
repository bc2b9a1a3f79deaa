package io.jgrad.layers;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.core.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The base class of every layer and model: a node of a tree that names its parameters, buffers and
 * child modules explicitly, like {@code torch.nn.Module}.
 *
 * <p>A subclass builds its parameters in its constructor with {@link #registerParameter}, its
 * non-trainable state (running statistics) with {@link #registerBuffer} and its sub-layers with
 * {@link #registerModule}, and implements {@link #forward(Variable)} (or
 * {@link #forward(Variable...)} when it takes several inputs). Names are joined with dots through
 * the tree, so a {@code Sequential} of a {@code Linear} has the parameter {@code 0.weight}, as in
 * PyTorch, and {@link #stateDict()} / {@link #loadStateDict(Map, boolean)} / {@link #save} /
 * {@link #load} exchange weights with PyTorch under the same names.
 *
 * <pre>{@code
 * class Mlp extends Module {
 *     private final Linear fc1 = registerModule("fc1", new Linear(784, 128));
 *     private final Linear fc2 = registerModule("fc2", new Linear(128, 10));
 *
 *     public Variable forward(Variable x) {      // x is (N, 784)
 *         return fc2.call(fc1.call(x).relu());    // (N, 10)
 *     }
 * }
 * }</pre>
 *
 * <p>Inside a layer, parameters are read with {@link #param(String)}, which also honours the
 * substitutions of {@link #functionalCall}. Calling a child with {@link #call} rather than
 * {@code forward} runs its forward hooks, which {@link #summary(int...)} uses to report output
 * shapes. Forward passes in evaluation mode only read the module, so one model may serve several
 * threads; training, {@link #functionalCall} and changes of mode, generator or weights must not run
 * concurrently with other uses.
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistent = new HashSet<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private Map<String, Variable> overrides;
    private List<ForwardHook> hooks;
    private boolean training = true;
    /** The buffers saved as I8 (int8 weights of quantized layers), or null when none. */
    private Set<String> int8Buffers;
    /** The parameters with a pruning mask (a buffer named {@code <name>_mask}), or null when none. */
    private Set<String> masked;
    /** The suffix of the buffer holding a parameter's pruning mask. */
    static final String MASK_SUFFIX = "_mask";

    /** Creates an empty module in training mode. */
    protected Module() {}

    // ------------------------------------------------------------------------------------------ registration

    /**
     * Registers a parameter under {@code name} (no dots). A null parameter records an absent optional
     * parameter (such as {@code bias=False}); it appears in no listing or state dict.
     *
     * @param name the local name, e.g. {@code "weight"}
     * @param p the parameter, or null
     * @param <P> the parameter's type
     * @return {@code p}
     */
    protected final <P extends Parameter> P registerParameter(String name, P p) {
        checkNewName(name);
        if (p != null && p.name() == null) {
            p.name(name);
        }
        parameters.put(name, p);
        return p;
    }

    /**
     * Registers a buffer: state that is not trained but is saved in the state dict (running
     * statistics). Layers update buffers in place.
     *
     * @param name the local name, e.g. {@code "running_mean"}
     * @param t the initial value, or null for an absent buffer
     * @return {@code t}
     */
    protected final Tensor registerBuffer(String name, Tensor t) {
        return registerBuffer(name, t, true);
    }

    /**
     * Registers a buffer that is saved in the state dict only when {@code persistent}.
     *
     * @param name the local name
     * @param t the initial value, or null for an absent buffer
     * @param persistent whether {@link #stateDict()} includes it
     * @return {@code t}
     */
    protected final Tensor registerBuffer(String name, Tensor t, boolean persistent) {
        checkNewName(name);
        buffers.put(name, t);
        if (!persistent) {
            nonPersistent.add(name);
        }
        return t;
    }

    /**
     * Registers a persistent INT32 buffer holding int8 values (the weights of a quantized layer), which
     * {@link #save} stores as {@code I8}: one byte per value.
     *
     * @param name the local name
     * @param t INT32 values in [-128, 127]
     * @return {@code t}
     */
    protected final Tensor registerInt8Buffer(String name, Tensor t) {
        if (t == null || t.dtype() != DType.INT32) {
            throw new IllegalArgumentException(label() + ": int8 buffer '" + name + "' must be an INT32 tensor, got "
                    + (t == null ? "null" : t.dtype()));
        }
        registerBuffer(name, t, true);
        if (int8Buffers == null) {
            int8Buffers = new HashSet<>();
        }
        int8Buffers.add(name);
        return t;
    }

    /** Replaces the child registered as {@code name} (quantization swaps layers this way). */
    final void replaceChild(String name, Module m) {
        if (!children.containsKey(name) || m == null) {
            throw new IllegalArgumentException(label() + ": cannot replace child '" + name + "' with " + m);
        }
        children.put(name, m);
    }

    /**
     * Registers a child module under {@code name} (no dots).
     *
     * @param name the local name, e.g. {@code "encoder"} or {@code "0"}
     * @param m the child
     * @param <M> the child's type
     * @return {@code m}
     */
    protected final <M extends Module> M registerModule(String name, M m) {
        checkNewName(name);
        if (m == null) {
            throw new IllegalArgumentException(label() + ".registerModule: module '" + name + "' is null");
        }
        if (m == this) {
            throw new IllegalArgumentException(
                    label() + ".registerModule: a module cannot be its own child ('" + name + "')");
        }
        children.put(name, m);
        return m;
    }

    private void checkNewName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(
                    label() + ": invalid name '" + name + "' (must be non-empty, without '.')");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(label() + ": the name '" + name + "' is already registered");
        }
    }

    /**
     * Replaces the value of a registered buffer (e.g. with a tensor of another type).
     *
     * @param name the buffer's local name
     * @param t the new value
     */
    protected final void setBuffer(String name, Tensor t) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException(
                    label() + ".setBuffer: no buffer named '" + name + "'; buffers: " + buffers.keySet());
        }
        buffers.put(name, t);
    }

    /**
     * Replaces a registered parameter (used by {@link #to(DType)}).
     *
     * @param name the parameter's local name
     * @param p the new parameter (may be null)
     */
    protected final void setParameter(String name, Parameter p) {
        if (!parameters.containsKey(name)) {
            throw new IllegalArgumentException(
                    label() + ".setParameter: no parameter named '" + name + "'; parameters: " + parameters.keySet());
        }
        if (p != null && p.name() == null) {
            p.name(name);
        }
        parameters.put(name, p);
    }

    // ------------------------------------------------------------------------------------------ access

    /**
     * The value a layer's forward uses for its parameter {@code name}: the substitution given to
     * {@link #functionalCall} when one is active, else the registered parameter (null when absent).
     *
     * @param name the local name
     * @return the variable to compute with, or null
     */
    protected final Variable param(String name) {
        Variable v = overrides != null ? overrides.get(name) : null;
        if (v == null) {
            Parameter p = parameters.get(name);
            if (p == null && !parameters.containsKey(name)) {
                throw new IllegalArgumentException(
                        label() + ": no parameter named '" + name + "'; parameters: " + parameters.keySet());
            }
            v = p;
        }
        if (v != null && masked != null && masked.contains(name)) {
            // a pruned parameter: the forward sees weight * mask, so pruned entries get no gradient either
            return v.mul(Variable.constant(buffers.get(name + MASK_SUFFIX)));
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------ pruning masks

    /**
     * Attaches a pruning mask to this module's parameter {@code name} (see {@link Pruning}): a buffer
     * {@code <name>_mask} of the parameter's shape and type, saved in the state dict, by which
     * {@link #param} multiplies the parameter from now on. An existing mask is replaced in place.
     */
    final void setMask(String name, Tensor mask) {
        Parameter p = parameter(name);
        if (p == null) {
            throw new IllegalArgumentException(label() + ": parameter '" + name + "' is absent and cannot be pruned");
        }
        if (!Arrays.equals(mask.shape(), p.shape())) {
            throw new IllegalArgumentException(label() + ": mask " + Shape.format(mask.shape())
                    + " does not match parameter '" + name + "' " + Shape.format(p.shape()));
        }
        Tensor m = mask.to(p.dtype());
        if (masked != null && masked.contains(name)) {
            buffers.get(name + MASK_SUFFIX).copy_(m);
            return;
        }
        registerBuffer(name + MASK_SUFFIX, m.contiguous().clone());
        if (masked == null) {
            masked = new HashSet<>();
        }
        masked.add(name);
    }

    /** The pruning mask of parameter {@code name}, or null when it is not pruned. */
    final Tensor mask(String name) {
        return masked != null && masked.contains(name) ? buffers.get(name + MASK_SUFFIX) : null;
    }

    /** Removes the pruning mask of parameter {@code name} (its buffer too). */
    final void removeMask(String name) {
        if (masked != null && masked.remove(name)) {
            buffers.remove(name + MASK_SUFFIX);
        }
    }

    /** This module's own parameters (not its children's) by local name, absent ones as null; read-only. */
    final Map<String, Parameter> ownParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * This module's own parameter {@code name} (not its children's).
     *
     * @param name the local name
     * @return the parameter, or null when it is registered as absent
     * @throws IllegalArgumentException when no such name is registered
     */
    public final Parameter parameter(String name) {
        if (!parameters.containsKey(name)) {
            throw new IllegalArgumentException(
                    label() + ": no parameter named '" + name + "'; parameters: " + parameters.keySet());
        }
        return parameters.get(name);
    }

    /**
     * This module's own buffer {@code name}.
     *
     * @param name the local name
     * @return the buffer's current value, or null when registered as absent
     * @throws IllegalArgumentException when no such name is registered
     */
    public final Tensor buffer(String name) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException(
                    label() + ": no buffer named '" + name + "'; buffers: " + buffers.keySet());
        }
        return buffers.get(name);
    }

    /**
     * Every parameter of the tree with its dotted name, in registration order; a parameter shared by
     * several modules appears once, under its first name.
     *
     * @return an ordered map from name to parameter
     */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Parameter> p : e.getValue().parameters.entrySet()) {
                if (p.getValue() != null && seen.add(p.getValue())) {
                    out.put(prefix + p.getKey(), p.getValue());
                }
            }
        }
        return out;
    }

    /**
     * Every parameter of the tree (each once), in registration order: what an optimizer updates.
     *
     * @return the parameters
     */
    public final List<Parameter> parameters() {
        // without the dotted names of namedParameters(): a training loop may call this every step (to clip
        // the gradients' norm), where the names were a megabyte a step for a four-layer transformer
        List<Parameter> out = new ArrayList<>();
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Module m : modules()) {
            for (Parameter p : m.parameters.values()) {
                if (p != null && seen.add(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /**
     * The parameters that currently require gradients (not frozen).
     *
     * @return the trainable parameters
     */
    public final List<Parameter> trainableParameters() {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : parameters()) {
            if (p.requiresGrad()) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The number of parameter elements in the tree (shared parameters counted once).
     *
     * @return the count
     */
    public final long numParameters() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.numel();
        }
        return n;
    }

    /**
     * Every buffer of the tree with its dotted name (persistent or not), in registration order.
     *
     * @return an ordered map from name to buffer value
     */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> b : e.getValue().buffers.entrySet()) {
                if (b.getValue() != null) {
                    out.put(prefix + b.getKey(), b.getValue());
                }
            }
        }
        return out;
    }

    /**
     * The direct children with their local names.
     *
     * @return an unmodifiable ordered map
     */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * The direct children.
     *
     * @return the children in registration order
     */
    public final List<Module> children() {
        return new ArrayList<>(children.values());
    }

    /**
     * This module (under the name {@code ""}) and all its descendants with dotted names, depth first
     * in registration order; a module reachable twice appears once.
     *
     * @return an ordered map from name to module
     */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void collectModules(String prefix, Module m, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(m)) {
            return;
        }
        out.put(prefix, m);
        for (Map.Entry<String, Module> e : m.children.entrySet()) {
            collectModules(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out, seen);
        }
    }

    /**
     * This module and all its descendants.
     *
     * @return the modules, depth first
     */
    public final List<Module> modules() {
        List<Module> out = new ArrayList<>();
        collectModules(this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    /** {@link #namedModules}' walk without the names. */
    private static void collectModules(Module m, List<Module> out, Set<Module> seen) {
        if (!seen.add(m)) {
            return;
        }
        out.add(m);
        for (Module c : m.children.values()) {
            collectModules(c, out, seen);
        }
    }

    /**
     * Calls {@code fn} on every module of the tree, children before parents (like PyTorch's
     * {@code apply}), e.g. to apply a custom initialization.
     *
     * @param fn the action
     * @return this module
     */
    public final Module forEachModule(Consumer<Module> fn) {
        for (Module c : children.values()) {
            c.forEachModule(fn);
        }
        fn.accept(this);
        return this;
    }

    // ------------------------------------------------------------------------------------------ modes

    /**
     * Puts the tree in training mode (dropout active, batch norm using and updating batch statistics).
     *
     * @return this module
     */
    public final Module train() {
        return train(true);
    }

    /**
     * Sets training mode on the whole tree.
     *
     * @param on true for training, false for evaluation
     * @return this module
     */
    public final Module train(boolean on) {
        for (Module m : modules()) {
            m.training = on;
        }
        return this;
    }

    /**
     * Puts the tree in evaluation mode (dropout off, batch norm using running statistics).
     *
     * @return this module
     */
    public final Module eval() {
        return train(false);
    }

    /**
     * Whether this module is in training mode.
     *
     * @return true in training mode
     */
    public final boolean isTraining() {
        return training;
    }

    /**
     * Stops gradient tracking of every parameter of the tree (transfer learning: a frozen feature
     * extractor). Frozen parameters get no gradient and are skipped by optimizers built from
     * {@link #trainableParameters()}; optimizers built from {@link #parameters()} skip them because
     * their gradient stays null.
     *
     * @return this module
     */
    public final Module freeze() {
        for (Parameter p : parameters()) {
            p.requiresGrad(false);
            p.zeroGrad();
        }
        return this;
    }

    /**
     * Turns gradient tracking of every parameter of the tree back on.
     *
     * @return this module
     */
    public final Module unfreeze() {
        for (Parameter p : parameters()) {
            p.requiresGrad(true);
        }
        return this;
    }

    /** Clears the gradient of every parameter of the tree (sets it to null). */
    public final void zeroGrad() {
        for (Parameter p : parameters()) {
            p.zeroGrad();
        }
    }

    /**
     * Sets the generator that the random layers of the tree (dropout) draw from. By default they draw
     * from {@link Generator#global()}.
     *
     * @param g the generator
     * @return this module
     */
    public final Module setGenerator(Generator g) {
        if (g == null) {
            throw new IllegalArgumentException(label() + ".setGenerator: generator is null");
        }
        for (Module m : modules()) {
            m.useGenerator(g);
        }
        return this;
    }

    /**
     * Called by {@link #setGenerator} on every module of the tree; random layers keep {@code g}.
     *
     * @param g the generator
     */
    protected void useGenerator(Generator g) {}

    /**
     * Re-initializes the parameters of the tree with the layers' default schemes, drawing from
     * {@link Generator#global()}.
     */
    public final void resetParameters() {
        resetParameters(Generator.global());
    }

    /**
     * Re-initializes the parameters of the tree with the layers' default schemes (equal in
     * distribution to PyTorch's), drawing from {@code g}. Layers with parameters override this; the
     * default resets the children.
     *
     * @param g the generator
     */
    public void resetParameters(Generator g) {
        for (Module c : children.values()) {
            c.resetParameters(g);
        }
    }

    /**
     * Converts the floating point parameters and buffers of the tree to {@code dtype} (e.g. FLOAT64
     * for gradient checks). Parameters are replaced by new objects: build optimizers afterwards.
     *
     * @param dtype FLOAT32 or FLOAT64
     * @return this module
     */
    public final Module to(DType dtype) {
        if (dtype == null || !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(label() + ".to: expected a floating point dtype, got " + dtype);
        }
        IdentityHashMap<Parameter, Parameter> done = new IdentityHashMap<>();
        for (Module m : modules()) {
            for (Map.Entry<String, Parameter> e : m.parameters.entrySet()) {
                Parameter p = e.getValue();
                if (p == null || p.dtype() == dtype) {
                    continue;
                }
                Parameter q = done.computeIfAbsent(p, k -> {
                    Parameter n = new Parameter(k.data().to(dtype), k.requiresGrad());
                    n.name(k.name());
                    return n;
                });
                e.setValue(q);
            }
            for (Map.Entry<String, Tensor> e : m.buffers.entrySet()) {
                Tensor t = e.getValue();
                if (t != null && t.dtype().isFloatingPoint() && t.dtype() != dtype) {
                    e.setValue(t.to(dtype));
                }
            }
        }
        return this;
    }

    // ------------------------------------------------------------------------------------------ forward

    /**
     * The computation of a one-input module. Modules with several inputs override
     * {@link #forward(Variable...)} instead.
     *
     * @param input the input
     * @return the output
     */
    public Variable forward(Variable input) {
        throw new UnsupportedOperationException(label() + ": forward(Variable) is not implemented; this module takes "
                + "a different number of inputs (see forward(Variable...))");
    }

    /**
     * The computation of a module with any number of inputs; by default it accepts exactly one and
     * hands it to {@link #forward(Variable)}.
     *
     * @param inputs the inputs
     * @return the output
     */
    public Variable forward(Variable... inputs) {
        if (inputs.length != 1) {
            throw new IllegalArgumentException(label() + ": expected 1 input, got " + inputs.length);
        }
        return forward(inputs[0]);
    }

    /**
     * Runs {@link #forward(Variable)} and then the forward hooks. Containers call their children
     * this way.
     *
     * @param input the input
     * @return the output
     */
    public final Variable call(Variable input) {
        Variable out = forward(input);
        if (hooks != null) {
            runHooks(new Variable[] {input}, out);
        }
        return out;
    }

    /**
     * Runs {@link #forward(Variable...)} and then the forward hooks.
     *
     * @param inputs the inputs
     * @return the output
     */
    public final Variable call(Variable... inputs) {
        Variable out = forward(inputs);
        if (hooks != null) {
            runHooks(inputs, out);
        }
        return out;
    }

    /**
     * Runs the module on a plain tensor (wrapped as a constant).
     *
     * @param input the input tensor
     * @return the output
     */
    public final Variable call(Tensor input) {
        return call(Variable.constant(input));
    }

    /**
     * Calls this layer on symbolic tensors to build the graph of a functional {@link Model}, like
     * calling a Keras layer on {@code keras.Input}s. The layer runs on zeros of the inputs' shapes
     * (a batch of two, evaluation mode, no gradients, nothing changed; twice when an input has open
     * sizes, see {@link Input#of(String, int...)}) so that the output
     * shape is known and a layer that cannot take these inputs fails now, naming itself and its
     * inputs. Calling one layer instance several times shares its parameters. The model names the
     * layer after its type ({@code linear}, {@code linear_1}, ...); see
     * {@link #call(String, SymbolicTensor...)} to name it.
     *
     * <pre>{@code
     * SymbolicTensor x = Input.of("x", 20);
     * SymbolicTensor h = new Linear(20, 64).call(x);            // (N, 64)
     * SymbolicTensor y = new Add().call(h, new Linear(20, 64).call(x));
     * }</pre>
     *
     * @param inputs one symbolic tensor per input of {@link #forward(Variable...)}
     * @return the symbolic output
     * @throws IllegalArgumentException when the layer cannot take inputs of these shapes
     */
    public final SymbolicTensor call(SymbolicTensor... inputs) {
        return call(null, inputs);
    }

    /**
     * Calls this layer on symbolic tensors under a name (see {@link #call(SymbolicTensor...)}): the
     * model registers the layer under {@code name}, so its parameters are {@code name.weight}, ...;
     * the name of a layer that produces a model output also names that output. A shared layer needs
     * its name at one call only.
     *
     * @param name the layer's name in the model (non-empty, no dots), or null for a default name
     * @param inputs one symbolic tensor per input of {@link #forward(Variable...)}
     * @return the symbolic output
     * @throws IllegalArgumentException when the layer cannot take inputs of these shapes
     */
    public final SymbolicTensor call(String name, SymbolicTensor... inputs) {
        if (this instanceof Model && ((Model) this).numOutputs() != 1) {
            throw new IllegalArgumentException(label() + ".call: the model has " + ((Model) this).numOutputs()
                    + " outputs; use Model.callAll to get them all");
        }
        return GraphNode.call(this, name, inputs).get(0);
    }

    private void runHooks(Variable[] inputs, Variable out) {
        for (ForwardHook h : List.copyOf(hooks)) {
            h.afterForward(this, inputs, out);
        }
    }

    /** A function called after a module's forward when the module is run with {@link #call}. */
    @FunctionalInterface
    public interface ForwardHook {
        /**
         * Observes one forward.
         *
         * @param module the module that ran
         * @param inputs its inputs
         * @param output its output
         */
        void afterForward(Module module, Variable[] inputs, Variable output);
    }

    /** Removes what it was returned for (a hook) when closed; closing twice does nothing. */
    public interface Handle extends AutoCloseable {
        /** Removes the hook. */
        @Override
        void close();
    }

    /**
     * Adds a forward hook to this module.
     *
     * @param hook the hook
     * @return closing the handle removes the hook
     */
    public final Handle registerForwardHook(ForwardHook hook) {
        if (hooks == null) {
            hooks = new ArrayList<>();
        }
        hooks.add(hook);
        return new Handle() {
            private boolean closed;

            @Override
            public void close() {
                if (closed || hooks == null) {
                    return;
                }
                closed = true;
                hooks.remove(hook);
                if (hooks.isEmpty()) {
                    hooks = null;
                }
            }
        };
    }

    /**
     * Runs the module with some parameters replaced by the given variables (like
     * {@code torch.func.functional_call}): the registered parameters are not touched, and gradients
     * flow to the given variables. Used for gradient checks, meta-learning and weight sharing
     * across threads.
     *
     * @param params dotted parameter name to the variable to use in its place
     * @param inputs the inputs
     * @return the output
     */
    public final Variable functionalCall(Map<String, Variable> params, Variable... inputs) {
        Map<String, Module> mods = namedModules();
        IdentityHashMap<Module, Map<String, Variable>> plan = new IdentityHashMap<>();
        for (Map.Entry<String, Variable> e : params.entrySet()) {
            String full = e.getKey();
            int dot = full.lastIndexOf('.');
            Module owner = mods.get(dot < 0 ? "" : full.substring(0, dot));
            String local = full.substring(dot + 1);
            if (owner == null || owner.parameters.get(local) == null) {
                throw new IllegalArgumentException(label() + ".functionalCall: no parameter named '" + full
                        + "'; parameters: " + namedParameters().keySet());
            }
            Parameter p = owner.parameters.get(local);
            Variable v = e.getValue();
            if (!Arrays.equals(p.shape(), v.shape())) {
                throw new IllegalArgumentException(label() + ".functionalCall: '" + full + "' has shape "
                        + Shape.format(p.shape()) + " but the substitute has shape " + Shape.format(v.shape()));
            }
            plan.computeIfAbsent(owner, k -> new HashMap<>()).put(local, v);
        }
        IdentityHashMap<Module, Map<String, Variable>> previous = new IdentityHashMap<>();
        try {
            for (Map.Entry<Module, Map<String, Variable>> e : plan.entrySet()) {
                previous.put(e.getKey(), e.getKey().overrides);
                e.getKey().overrides = e.getValue();
            }
            return inputs.length == 1 ? call(inputs[0]) : call(inputs);
        } finally {
            for (Map.Entry<Module, Map<String, Variable>> e : previous.entrySet()) {
                e.getKey().overrides = e.getValue();
            }
        }
    }

    // ------------------------------------------------------------------------------------------ state dict

    /**
     * The persistent state of the tree: parameters then buffers of each module, depth first, under
     * dotted names ({@code 0.weight}, {@code 1.running_mean}, ...), as PyTorch orders them. The
     * tensors are the live values (not copies); a parameter shared by two modules appears under both
     * names.
     *
     * @return an ordered map from name to tensor
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    // like PyTorch, a module registered under two names is saved under both
    private void collectState(String prefix, Map<String, Tensor> out) {
        for (Map.Entry<String, Parameter> p : parameters.entrySet()) {
            if (p.getValue() != null) {
                out.put(prefix + p.getKey(), p.getValue().data());
            }
        }
        for (Map.Entry<String, Tensor> b : buffers.entrySet()) {
            if (b.getValue() != null && !nonPersistent.contains(b.getKey())) {
                out.put(prefix + b.getKey(), b.getValue());
            }
        }
        for (Map.Entry<String, Module> c : children.entrySet()) {
            c.getValue().collectState(prefix + c.getKey() + ".", out);
        }
    }

    /**
     * Loads a state dict strictly: every key must match a parameter or persistent buffer of the same
     * shape, and none may be missing. Nothing is modified unless everything matches.
     *
     * @param state name to tensor, as from {@link #stateDict()} or a PyTorch file
     * @return the (clean) result
     * @throws StateDictException listing the missing, unexpected and mis-shaped keys
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state) {
        return loadStateDict(state, true);
    }

    /**
     * Loads a state dict. Values are copied into the existing tensors (so optimizers keep their
     * references); values are converted to the destination type as needed (between the float types, and between INT32, INT64 and BOOL); a float into an integer buffer or the reverse is a mismatch. All
     * keys are checked before anything is modified. In strict mode any missing, unexpected or
     * mis-shaped key throws and leaves the model unchanged; otherwise the matching keys are loaded and
     * the others reported in the result.
     *
     * @param state name to tensor
     * @param strict whether any mismatch is an error
     * @return what was missing, unexpected or mis-shaped
     * @throws StateDictException in strict mode when the keys do not match exactly
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        if (state == null) {
            throw new IllegalArgumentException(label() + ".loadStateDict: state dict is null");
        }
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        Map<String, Tensor> ok = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
                continue;
            }
            Tensor dst = e.getValue();
            if (!Arrays.equals(src.shape(), dst.shape())) {
                mismatched.add(e.getKey() + ": expected shape " + Shape.format(dst.shape()) + ", got "
                        + Shape.format(src.shape()));
            } else if (src.dtype().isFloatKind() != dst.dtype().isFloatKind()) {
                mismatched.add(e.getKey() + ": expected dtype " + dst.dtype() + ", got " + src.dtype());
            } else {
                ok.put(e.getKey(), src);
            }
        }
        for (String k : state.keySet()) {
            if (!own.containsKey(k)) {
                unexpected.add(k);
            }
        }
        LoadResult result = new LoadResult(missing, unexpected, mismatched);
        if (strict && !result.isClean()) {
            throw new StateDictException(
                    label() + ".loadStateDict: the state dict does not match the model:" + result.describe(), result);
        }
        try (var off = Autograd.noGrad()) {
            for (Map.Entry<String, Tensor> e : ok.entrySet()) {
                Tensor dst = own.get(e.getKey());
                dst.copy_(e.getValue().to(dst.dtype()));
            }
        }
        for (Module m : modules()) {
            m.stateLoaded();
        }
        return result;
    }

    /**
     * Called on every module of the tree after {@link #loadStateDict} has copied new values into its
     * parameters and buffers, for layers that keep a derived form of them (a quantized layer's packed
     * int8 weights). Does nothing by default.
     */
    protected void stateLoaded() {}

    // ------------------------------------------------------------------------------------------ files

    /**
     * Saves {@link #stateDict()} as a safetensors file (with metadata {@code format=pt}, so that
     * PyTorch tools accept it; int8 buffers as {@code I8}), written atomically: a temporary file in the same directory is
     * flushed and renamed over {@code path}, so a failure never leaves a partial file.
     *
     * @param path the file to create or replace
     * @throws IOException when writing fails (an existing file is then left untouched)
     */
    public final void save(Path path) throws IOException {
        Set<String> int8 = new HashSet<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            if (e.getValue().int8Buffers != null) {
                for (String b : e.getValue().int8Buffers) {
                    int8.add(e.getKey().isEmpty() ? b : e.getKey() + "." + b);
                }
            }
        }
        SafeTensors.write(path, stateDict(), Map.of("format", "pt"), int8);
    }

    /**
     * Loads weights saved by {@link #save} (or by PyTorch under the same names) strictly.
     *
     * @param path a safetensors file
     * @return the (clean) result
     * @throws IOException when the file cannot be read or is invalid (truncated, corrupt); the model
     *     is then unchanged
     * @throws StateDictException when the keys or shapes do not match; the model is then unchanged
     */
    public final LoadResult load(Path path) throws IOException {
        return load(path, true);
    }

    /**
     * Loads weights from a safetensors file. The whole file is read and validated, and every key
     * checked, before the model is modified.
     *
     * <p>Each tensor is converted to the type of the parameter or buffer it loads into: float16 or
     * bfloat16 weights into FLOAT32 parameters, an {@code I64} {@code num_batches_tracked} (PyTorch's
     * and jgrad's type) into an INT64 buffer as it is or into an INT32 one (keeping the low 32 bits);
     * a float into an integer buffer or the reverse is a mismatch.
     *
     * @param path a safetensors file
     * @param strict whether missing, unexpected or mis-shaped keys are an error
     * @return what was missing, unexpected or mis-shaped
     * @throws IOException when the file cannot be read or is invalid; the model is then unchanged
     * @throws StateDictException in strict mode when the keys do not match; the model is then unchanged
     */
    public final LoadResult load(Path path, boolean strict) throws IOException {
        Map<String, Tensor> tensors = SafeTensors.read(path).tensors();
        try {
            return loadStateDict(tensors, strict);
        } catch (StateDictException e) {
            throw new StateDictException(path + ": " + e.getMessage(), e.result());
        }
    }

    /**
     * What this module prints between its parentheses, e.g. {@code inFeatures=4, outFeatures=3}.
     *
     * @return the description of the layer's configuration (empty by default)
     */
    protected String extraRepr() {
        return "";
    }

    /**
     * The class name used when printing; anonymous classes print as their super class.
     *
     * @return the type name
     */
    public String typeName() {
        Class<?> c = getClass();
        while (c.getSimpleName().isEmpty()) {
            c = c.getSuperclass();
        }
        return c.getSimpleName();
    }

    String label() {
        return typeName();
    }

    /** The tree in PyTorch's format: {@code Sequential(\n  (0): Linear(inFeatures=4, ...)\n)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(typeName()).append('(');
        String extra = extraRepr();
        if (children.isEmpty()) {
            return sb.append(extra).append(')').toString();
        }
        sb.append(extra.isEmpty() ? "" : "\n  " + extra.replace("\n", "\n  ")).append('\n');
        for (Map.Entry<String, Module> e : children.entrySet()) {
            String child = e.getValue().toString().replace("\n", "\n  ");
            sb.append("  (").append(e.getKey()).append("): ").append(child).append('\n');
        }
        return sb.append(')').toString();
    }

    /**
     * A Keras-style summary: one row per module of the tree with its output shape (from a forward of
     * zeros of {@code inputShape}, batch dimension included) and its number of parameters, then the
     * totals. The forward runs in evaluation mode without recording gradients and changes nothing.
     * Modules that their parent runs with {@code forward} instead of {@link #call} show no output
     * shape.
     *
     * @param inputShape the shape of one input batch, e.g. {@code (1, 1, 28, 28)}
     * @return the table
     */
    public final String summary(int... inputShape) {
        return Summary.of(this, inputShape);
    }

    /** A parameter count of the subtree of {@code m} (each parameter once). */
    static long countParameters(Module m, boolean trainableOnly) {
        long n = 0;
        for (Parameter p : m.parameters()) {
            if (!trainableOnly || p.requiresGrad()) {
                n += p.numel();
            }
        }
        return n;
    }

    /** The dtype of the first parameter or floating buffer, FLOAT32 if there is none. */
    final DType floatType() {
        for (Parameter p : parameters()) {
            return p.dtype();
        }
        for (Tensor t : namedBuffers().values()) {
            if (t.dtype().isFloatingPoint()) {
                return t.dtype();
            }
        }
        return DType.FLOAT32;
    }

    /** Training flags of the tree, to restore after a temporary mode change. */
    final IdentityHashMap<Module, Boolean> saveModes() {
        IdentityHashMap<Module, Boolean> m = new IdentityHashMap<>();
        for (Module x : modules()) {
            m.put(x, x.training);
        }
        return m;
    }

    static void restoreModes(Map<Module, Boolean> modes) {
        for (Map.Entry<Module, Boolean> e : modes.entrySet()) {
            e.getKey().training = e.getValue();
        }
    }

    /** Sets this module's own flag only (used by Monte Carlo dropout). */
    final void setTrainingFlag(boolean on) {
        training = on;
    }
}
