package io.jgrad.optim;

import io.jgrad.autograd.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A set of parameters that share hyper-parameters (learning rate, weight decay, ...), like one entry
 * of PyTorch's {@code optimizer.param_groups}. Every group holds a value for each of its optimizer's
 * hyper-parameters; schedulers may add bookkeeping entries such as {@code initial_lr}.
 *
 * <p>Changing a hyper-parameter with {@link #set} validates the whole group with the optimizer's
 * rules, so an invalid combination (Nesterov without momentum, say) is refused with a clear message.
 */
public final class ParamGroup {
    private final Optimizer owner;
    private final List<Parameter> params;
    private final Map<String, Double> values;

    ParamGroup(Optimizer owner, List<Parameter> params, Map<String, Double> values) {
        this.owner = owner;
        this.params = Collections.unmodifiableList(params);
        this.values = new LinkedHashMap<>(values);
    }

    /** The parameters of this group, in order (read-only). */
    public List<Parameter> params() {
        return params;
    }

    /** The learning rate. */
    public double lr() {
        return get("lr");
    }

    /** Sets the learning rate (validated: must be non-negative). */
    public void lr(double lr) {
        set("lr", lr);
    }

    /** True when the group has a value for {@code key}. */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The value of a hyper-parameter; fails naming the known ones when {@code key} is unknown. */
    public double get(String key) {
        Double v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException(owner.name() + ": parameter group has no hyper-parameter '" + key
                    + "' (known: " + String.join(", ", values.keySet()) + ")");
        }
        return v;
    }

    /** A boolean hyper-parameter (non-zero is true). */
    public boolean flag(String key) {
        return get(key) != 0;
    }

    /**
     * Sets a hyper-parameter of the optimizer and validates the group; on failure the old value is
     * kept and the exception says what is wrong.
     *
     * @throws IllegalArgumentException when {@code key} is not a hyper-parameter of this group or the
     *     new value is invalid
     */
    public void set(String key, double value) {
        Double old = values.get(key);
        if (old == null) {
            throw new IllegalArgumentException(owner.name() + ": unknown hyper-parameter '" + key + "' (known: "
                    + String.join(", ", values.keySet()) + ")");
        }
        values.put(key, value);
        try {
            owner.validate(this);
        } catch (RuntimeException e) {
            values.put(key, old);
            throw e;
        }
    }

    /** Sets a boolean hyper-parameter (see {@link #set(String, double)}). */
    public void set(String key, boolean value) {
        set(key, value ? 1.0 : 0.0);
    }

    /**
     * Sets or adds an entry without validation. For trusted callers: schedulers (their bookkeeping
     * entries such as {@code initial_lr} and the values they compute, like PyTorch's schedulers) and
     * Backstitch's temporarily scaled learning rates.
     */
    void put(String key, double value) {
        values.put(key, value);
    }

    /** The names of the group's entries, in order (read-only). */
    public Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** The entries as a read-only map. */
    public Map<String, Double> values() {
        return Collections.unmodifiableMap(values);
    }

    Optimizer owner() {
        return owner;
    }

    @Override
    public String toString() {
        return "ParamGroup(" + params.size() + " parameters, " + values + ")";
    }
}
