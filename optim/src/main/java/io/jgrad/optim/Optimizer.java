package io.jgrad.optim;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Tape;
import io.jgrad.core.DType;
import io.jgrad.core.Recycling;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Base of every optimizer: parameter groups with per-group hyper-parameters, per-parameter state
 * created lazily, {@link #zeroGrad()}, {@link #step()}, {@link #step(Closure)} and a state dictionary
 * that lets training resume exactly.
 *
 * <p>A subclass declares its defaults, validates a group's hyper-parameters in {@link #validate}, and
 * updates one parameter at a time in {@link #update}; the base loops over the groups, skips frozen
 * parameters ({@code requiresGrad() == false}) and parameters without a gradient (as PyTorch does:
 * their state, including the step count, is not advanced), and negates the gradient when the group's
 * {@code maximize} flag is set.
 *
 * <pre>{@code
 * Adam opt = new Adam(model.parameters(), new Adam.Options().lr(1e-3).weightDecay(1e-4));
 * for (Batch b : loader) {
 *     opt.zeroGrad();
 *     Variable loss = lossFn(model.forward(b.x()), b.y());
 *     loss.backward();
 *     opt.step();
 * }
 * }</pre>
 *
 * <h2>State dictionary</h2>
 * {@link #stateDict()} returns tensors under stable names, ready to be written to a safetensors file:
 * <ul>
 *   <li>{@code param_groups.<g>.<name>}: each hyper-parameter of group g as a 0-d FLOAT64 tensor
 *       (booleans as 0 or 1, Adam's betas as {@code beta1} and {@code beta2});</li>
 *   <li>{@code param_groups.<g>.params}: the indices of the group's parameters (1-d INT32); parameters
 *       are numbered over all groups in order, like PyTorch's state dict;</li>
 *   <li>{@code state.<i>.<buffer>}: the state buffers of parameter i (e.g. {@code state.3.exp_avg});</li>
 *   <li>{@code state.<i>.<scalar>}: its scalars as 0-d FLOAT64 tensors (e.g. {@code state.3.step}).</li>
 * </ul>
 * {@link #loadStateDict(Map)} restores them into an optimizer built over the same parameters.
 */
public abstract class Optimizer {

    /**
     * Re-evaluates the model: zeroes or clears the gradients, computes the loss, calls
     * {@code backward()}, and returns the loss value. {@link Backstitch} calls it twice per mini-batch.
     */
    @FunctionalInterface
    public interface Closure {
        /** Recomputes the loss and the gradients; returns the loss. */
        double evaluate();
    }

    private final String name;
    private final Map<String, Double> defaults;
    private final List<ParamGroup> groups;
    private final IdentityHashMap<Parameter, ParamState> state;

    /**
     * An optimizer over one group holding {@code params}.
     *
     * @param name the optimizer's name, used in messages (e.g. {@code "Adam"})
     * @param params the parameters to optimize (at least one, no duplicates)
     * @param defaults every hyper-parameter with its default value (the keys define which exist)
     * @param options values overriding the defaults; may be null
     */
    protected Optimizer(
            String name,
            Collection<? extends Parameter> params,
            Map<String, Double> defaults,
            OptimizerOptions<?> options) {
        this.name = name;
        this.groups = new ArrayList<>();
        this.state = new IdentityHashMap<>();
        Map<String, Double> d = new LinkedHashMap<>(defaults);
        if (!d.containsKey("maximize")) {
            d.put("maximize", 0.0);
        }
        if (options != null) {
            for (Map.Entry<String, Double> e : options.values().entrySet()) {
                checkKnown(d, e.getKey());
                d.put(e.getKey(), e.getValue());
            }
        }
        this.defaults = Collections.unmodifiableMap(d);
        addParamGroup(params, null);
    }

    /** An optimizer that shares the groups and defaults of {@code other} (for wrappers such as Backstitch). */
    Optimizer(String name, Optimizer other) {
        this.name = name;
        this.defaults = other.defaults;
        this.groups = other.groups;
        this.state = other.state;
    }

    /** The optimizer's name, used in messages. */
    public String name() {
        return name;
    }

    /** The default hyper-parameters (read-only). */
    public Map<String, Double> defaults() {
        return defaults;
    }

    /** The parameter groups (read-only list; a group's hyper-parameters can be changed). */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** The learning rate of group {@code group}. */
    public double lr(int group) {
        return group(group).lr();
    }

    /** Sets the learning rate of group {@code group}. */
    public void setLr(int group, double lr) {
        group(group).lr(lr);
    }

    /** Sets the learning rate of every group. */
    public void setLr(double lr) {
        for (ParamGroup g : groups) {
            g.lr(lr);
        }
    }

    private ParamGroup group(int i) {
        if (i < 0 || i >= groups.size()) {
            throw new IndexOutOfBoundsException(
                    name + ": parameter group " + i + " does not exist (there are " + groups.size() + ")");
        }
        return groups.get(i);
    }

    /** Adds a group of parameters that uses the optimizer's defaults. */
    public void addParamGroup(Collection<? extends Parameter> params) {
        addParamGroup(params, null);
    }

    /**
     * Adds a group of parameters whose hyper-parameters are the defaults overridden by
     * {@code overrides} (e.g. a smaller learning rate, no weight decay for biases).
     *
     * @throws IllegalArgumentException when the list is empty, a parameter is already in a group,
     *     an override names an unknown hyper-parameter, or a value is invalid
     */
    public void addParamGroup(Collection<? extends Parameter> params, OptimizerOptions<?> overrides) {
        if (params == null || params.isEmpty()) {
            throw new IllegalArgumentException(name + ": got an empty parameter list");
        }
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : groups) {
            seen.addAll(g.params());
        }
        List<Parameter> list = new ArrayList<>(params.size());
        int k = 0;
        for (Parameter p : params) {
            if (p == null) {
                throw new IllegalArgumentException(name + ": parameter " + k + " of the new group is null");
            }
            if (!p.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(name + ": parameter " + k + " has dtype " + p.dtype()
                        + "; only floating point parameters can be optimized");
            }
            if (!seen.add(p)) {
                throw new IllegalArgumentException(name + ": parameter " + k + " " + describe(p)
                        + " appears more than once (in this group or in another group)");
            }
            list.add(p);
            k++;
        }
        Map<String, Double> values = new LinkedHashMap<>(defaults);
        if (overrides != null) {
            for (Map.Entry<String, Double> e : overrides.values().entrySet()) {
                checkKnown(defaults, e.getKey());
                values.put(e.getKey(), e.getValue());
            }
        }
        ParamGroup g = new ParamGroup(this, list, values);
        validate(g);
        groups.add(g);
    }

    private void checkKnown(Map<String, Double> known, String key) {
        if (!known.containsKey(key)) {
            throw new IllegalArgumentException(name + ": unknown hyper-parameter '" + key + "' (known: "
                    + String.join(", ", known.keySet()) + ")");
        }
    }

    private static String describe(Parameter p) {
        return (p.name() != null ? "'" + p.name() + "' " : "") + Shape.format(p.shape());
    }

    // ------------------------------------------------------------------------------------------ stepping

    /**
     * Clears the gradients of all parameters (sets them to null, like PyTorch's default
     * {@code zero_grad(set_to_none=True)}); the next backward allocates fresh ones.
     */
    public void zeroGrad() {
        for (ParamGroup g : groups) {
            for (Parameter p : g.params()) {
                p.zeroGrad();
            }
        }
    }

    /** Zeroes the gradients: sets them to null when {@code setToNone}, else fills them with zeros. */
    public void zeroGrad(boolean setToNone) {
        if (setToNone) {
            zeroGrad();
            return;
        }
        for (ParamGroup g : groups) {
            for (Parameter p : g.params()) {
                Tensor grad = p.peekGrad();
                if (grad != null) {
                    grad.zero_();
                }
            }
        }
    }

    /** Updates every parameter that has a gradient, once. */
    public void step() {
        boolean builtIn = Recycling.libraryCode(getClass());
        for (ParamGroup g : groups) {
            boolean maximize = g.flag("maximize");
            for (Parameter p : g.params()) {
                // the library's optimizers use the gradient within the step; a subclass defined
                // elsewhere might keep it, so it gets one that is never recycled
                Tensor grad = builtIn ? p.peekGrad() : p.grad();
                if (!p.requiresGrad() || grad == null) {
                    continue;
                }
                if (grad.dtype() != p.dtype()) {
                    throw new IllegalStateException(name + ": gradient of parameter " + describe(p) + " has dtype "
                            + grad.dtype() + ", the parameter " + p.dtype());
                }
                if (maximize) {
                    grad = grad.neg(); // ascend: step along +gradient
                }
                ParamState s = state.get(p);
                if (s == null) {
                    s = new ParamState();
                    state.put(p, s);
                }
                if (!s.initialized) {
                    initState(p, s, g);
                    s.initialized = true;
                }
                update(p, grad, s, g);
            }
        }
    }

    /**
     * Calls {@code closure} (with gradient recording on) to recompute the loss and gradients, then
     * steps once. Returns the loss the closure returned.
     */
    public double step(Closure closure) {
        double loss = evaluate(closure);
        step();
        return loss;
    }

    /** Runs the closure with gradient recording on. */
    @SuppressWarnings("try")
    static double evaluate(Closure closure) {
        if (closure == null) {
            throw new IllegalArgumentException("step: closure must not be null");
        }
        try (Tape.Scope on = Autograd.enableGrad()) {
            return closure.evaluate();
        }
    }

    /**
     * Creates the state of a parameter before its first update (buffers of the parameter's shape,
     * the step count). The default creates nothing.
     */
    protected void initState(Parameter p, ParamState s, ParamGroup group) {}

    /**
     * Updates one parameter in place from its gradient.
     *
     * @param p the parameter; update {@code p.data()} in place
     * @param grad its gradient (already negated when the group maximizes); must not be modified
     * @param s the parameter's state
     * @param group the parameter's group, holding the hyper-parameters
     */
    protected abstract void update(Parameter p, Tensor grad, ParamState s, ParamGroup group);

    /**
     * Checks a group's hyper-parameters; throws {@link IllegalArgumentException} naming the optimizer,
     * the hyper-parameter, its value and the valid range.
     */
    protected abstract void validate(ParamGroup group);

    /** The names of state entries that are scalars rather than buffers (for {@link #loadStateDict}). */
    protected Set<String> scalarStateNames() {
        return Set.of("step");
    }

    /** The state of {@code p}, or null before its first update. */
    public ParamState state(Parameter p) {
        return state.get(p);
    }

    // ------------------------------------------------------------------------------------------ validation helpers

    /** Fails unless {@code lo <= value} (and finite); the message names the optimizer and the key. */
    protected final void checkAtLeast(ParamGroup g, String key, double lo) {
        double v = g.get(key);
        if (!(v >= lo) || Double.isInfinite(v)) {
            throw invalid(key, v, "must be >= " + fmt(lo));
        }
    }

    /**
     * Fails unless {@code value} lies in the interval from {@code lo} to {@code hi}, each end closed
     * or open as given.
     */
    protected final void checkRange(
            ParamGroup g, String key, double lo, boolean loClosed, double hi, boolean hiClosed) {
        double v = g.get(key);
        boolean ok = (loClosed ? v >= lo : v > lo) && (hiClosed ? v <= hi : v < hi);
        if (!ok) {
            throw invalid(
                    key, v, "must be in " + (loClosed ? "[" : "(") + fmt(lo) + ", " + fmt(hi) + (hiClosed ? "]" : ")"));
        }
    }

    /** Fails unless the value is 0 or 1. */
    protected final void checkFlag(ParamGroup g, String key) {
        double v = g.get(key);
        if (v != 0 && v != 1) {
            throw invalid(key, v, "a flag must be 0 (false) or 1 (true)");
        }
    }

    /** An {@link IllegalArgumentException} like {@code "Adam: invalid beta1 1.2 (must be in [0, 1))"}. */
    protected final IllegalArgumentException invalid(String key, double value, String why) {
        return new IllegalArgumentException(name + ": invalid " + key + " " + fmt(value) + " (" + why + ")");
    }

    /** Formats a number without a trailing {@code .0}. */
    static String fmt(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    // ------------------------------------------------------------------------------------------ state dict

    private List<Parameter> allParams() {
        List<Parameter> all = new ArrayList<>();
        for (ParamGroup g : groups) {
            all.addAll(g.params());
        }
        return all;
    }

    /**
     * The optimizer's hyper-parameters and state as named tensors (see the class documentation for the
     * names). The tensors are copies: later steps do not change them.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int index = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            for (Map.Entry<String, Double> e : g.values().entrySet()) {
                out.put("param_groups." + gi + "." + e.getKey(), Tensor.scalar(DType.FLOAT64, e.getValue()));
            }
            int[] idx = new int[g.params().size()];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = index++;
            }
            out.put("param_groups." + gi + ".params", Tensor.of(idx, idx.length));
        }
        List<Parameter> all = allParams();
        for (int i = 0; i < all.size(); i++) {
            ParamState s = state.get(all.get(i));
            if (s == null || !s.initialized) {
                continue;
            }
            for (Map.Entry<String, Double> e : s.scalars().entrySet()) {
                out.put("state." + i + "." + e.getKey(), Tensor.scalar(DType.FLOAT64, e.getValue()));
            }
            for (Map.Entry<String, Tensor> e : s.buffers().entrySet()) {
                out.put("state." + i + "." + e.getKey(), e.getValue().clone());
            }
        }
        return out;
    }

    /**
     * Restores hyper-parameters and state saved by {@link #stateDict()} of an optimizer of the same
     * kind over parameters of the same shapes, in the same groups. Buffers are copied (converted to
     * the parameter's dtype); state not in {@code dict} is cleared.
     *
     * @throws IllegalArgumentException when the groups, parameter counts or shapes do not match, or a
     *     key is not understood
     */
    public void loadStateDict(Map<String, Tensor> dict) {
        List<Parameter> all = allParams();
        Set<String> scalarNames = scalarStateNames();
        // Check everything before changing anything.
        Map<Integer, Map<String, Double>> groupValues = new LinkedHashMap<>();
        Map<Integer, Map<String, Tensor>> paramState = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : dict.entrySet()) {
            String key = e.getKey();
            Tensor t = e.getValue();
            String[] parts = key.split("\\.", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException(name + ".loadStateDict: unexpected key '" + key + "'");
            }
            int i = parseIndex(key, parts[1]);
            if (parts[0].equals("param_groups")) {
                if (i >= groups.size()) {
                    throw new IllegalArgumentException(name + ".loadStateDict: '" + key + "' refers to group " + i
                            + " but the optimizer has " + groups.size() + " groups");
                }
                if (parts[2].equals("params")) {
                    int expected = groups.get(i).params().size();
                    if (t.numel() != expected) {
                        throw new IllegalArgumentException(name + ".loadStateDict: group " + i + " had " + t.numel()
                                + " parameters when saved, this optimizer's has " + expected);
                    }
                    continue;
                }
                if (t.numel() != 1) {
                    throw new IllegalArgumentException(
                            name + ".loadStateDict: '" + key + "' must hold one value, got " + Shape.format(t.shape()));
                }
                groupValues.computeIfAbsent(i, k -> new LinkedHashMap<>()).put(parts[2], t.item());
            } else if (parts[0].equals("state")) {
                if (i >= all.size()) {
                    throw new IllegalArgumentException(name + ".loadStateDict: '" + key + "' refers to parameter " + i
                            + " but the optimizer has " + all.size() + " parameters");
                }
                Parameter p = all.get(i);
                if (scalarNames.contains(parts[2])) {
                    if (t.numel() != 1) {
                        throw new IllegalArgumentException(name + ".loadStateDict: '" + key
                                + "' must hold one value, got " + Shape.format(t.shape()));
                    }
                } else if (!Arrays.equals(t.shape(), p.shape())) {
                    throw new IllegalArgumentException(
                            name + ".loadStateDict: '" + key + "' has shape " + Shape.format(t.shape())
                                    + " but parameter " + i + " has shape " + Shape.format(p.shape()));
                }
                paramState.computeIfAbsent(i, k -> new LinkedHashMap<>()).put(parts[2], t);
            } else {
                throw new IllegalArgumentException(name + ".loadStateDict: unexpected key '" + key + "'");
            }
        }
        for (Map.Entry<Integer, Map<String, Double>> e : groupValues.entrySet()) {
            for (String key : defaults.keySet()) {
                if (!e.getValue().containsKey(key)) {
                    throw new IllegalArgumentException(name + ".loadStateDict: group " + e.getKey() + " has no '" + key
                            + "' (saved by a different optimizer?)");
                }
            }
        }
        for (Map.Entry<Integer, Map<String, Double>> e : groupValues.entrySet()) {
            ParamGroup g = groups.get(e.getKey());
            for (Map.Entry<String, Double> v : e.getValue().entrySet()) {
                g.put(v.getKey(), v.getValue());
            }
            validate(g);
        }
        state.clear();
        for (Map.Entry<Integer, Map<String, Tensor>> e : paramState.entrySet()) {
            Parameter p = all.get(e.getKey());
            ParamState s = new ParamState();
            for (Map.Entry<String, Tensor> v : e.getValue().entrySet()) {
                if (scalarNames.contains(v.getKey())) {
                    s.putScalar(v.getKey(), v.getValue().item());
                } else {
                    s.putBuffer(v.getKey(), v.getValue().to(p.dtype()).clone());
                }
            }
            s.initialized = true;
            state.put(p, s);
        }
    }

    private int parseIndex(String key, String s) {
        try {
            int i = Integer.parseInt(s);
            if (i >= 0) {
                return i;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(name + ".loadStateDict: unexpected key '" + key + "' (no index)");
    }

    // ------------------------------------------------------------------------------------------ snapshots (Backstitch)

    /** A copy of every parameter's state; {@code reuse} (may be null) donates its tensors. */
    Map<Parameter, ParamState> snapshotState(Map<Parameter, ParamState> reuse) {
        Map<Parameter, ParamState> snap = reuse != null ? reuse : new IdentityHashMap<>();
        snap.keySet().retainAll(state.keySet());
        for (Map.Entry<Parameter, ParamState> e : state.entrySet()) {
            ParamState copy = snap.get(e.getKey());
            if (copy == null) {
                copy = new ParamState();
                snap.put(e.getKey(), copy);
            }
            e.getValue().copyInto(copy);
        }
        return snap;
    }

    /** Restores the state captured by {@link #snapshotState}, in place; state created since is removed. */
    void restoreState(Map<Parameter, ParamState> snap) {
        state.keySet().retainAll(snap.keySet());
        for (Map.Entry<Parameter, ParamState> e : snap.entrySet()) {
            ParamState live = state.get(e.getKey());
            if (live == null) {
                live = new ParamState();
                state.put(e.getKey(), live);
            }
            e.getValue().copyInto(live);
        }
    }
}
