package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import java.util.function.UnaryOperator;

/** A parameterless layer from a function, e.g. {@code new Lambda("square", Variable::square)}. */
public class Lambda extends Module {
    private final String name;
    private final UnaryOperator<Variable> fn;

    /**
     * A layer computing {@code fn(x)}.
     *
     * @param name printed by {@code toString}
     * @param fn the function
     */
    public Lambda(String name, UnaryOperator<Variable> fn) {
        if (fn == null) {
            throw new IllegalArgumentException("Lambda: function is null");
        }
        this.name = name;
        this.fn = fn;
    }

    @Override
    public Variable forward(Variable x) {
        return fn.apply(x);
    }

    @Override
    protected String extraRepr() {
        return name == null ? "" : name;
    }
}
