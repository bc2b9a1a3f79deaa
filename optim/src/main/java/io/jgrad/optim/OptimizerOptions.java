package io.jgrad.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters for an optimizer or for one of its parameter groups, set fluently. Each optimizer
 * has its own subclass with typed setters ({@code new Adam.Options().lr(1e-3).amsgrad(true)}); only
 * the values that were set override the optimizer's defaults, so the same class describes both the
 * optimizer's defaults and a parameter group's overrides.
 *
 * <p>Values are stored as doubles under PyTorch's names ({@code lr}, {@code weight_decay},
 * {@code beta1}, ...); booleans are stored as 0 or 1. Values are validated when an optimizer or a
 * group is built from them, not when they are set.
 *
 * @param <T> the concrete options type, returned by the fluent setters
 */
public abstract class OptimizerOptions<T extends OptimizerOptions<T>> {
    private final Map<String, Double> values = new LinkedHashMap<>();

    /** Empty options: every hyper-parameter takes the optimizer's default. */
    protected OptimizerOptions() {}

    /** This object, typed. */
    @SuppressWarnings("unchecked")
    protected final T self() {
        return (T) this;
    }

    /** Sets a hyper-parameter by its name (e.g. {@code "lr"}). */
    public T set(String key, double value) {
        values.put(key, value);
        return self();
    }

    /** Sets a boolean hyper-parameter (stored as 1 or 0). */
    public T set(String key, boolean value) {
        return set(key, value ? 1.0 : 0.0);
    }

    /** The learning rate. */
    public T lr(double lr) {
        return set("lr", lr);
    }

    /** The weight decay (L2 penalty coefficient, or the decoupled decay rate for AdamW). */
    public T weightDecay(double weightDecay) {
        return set("weight_decay", weightDecay);
    }

    /** Maximizes the objective instead of minimizing it (steps along the gradient). */
    public T maximize(boolean maximize) {
        return set("maximize", maximize);
    }

    /** The values set so far, by name (a read-only view). */
    public Map<String, Double> values() {
        return Collections.unmodifiableMap(values);
    }
}
