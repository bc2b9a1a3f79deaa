package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/**
 * A residual connection: {@code body(x) + x}, or {@code body(x) + shortcut(x)} with a projection
 * shortcut (e.g. a 1x1 convolution when the channel count changes). The children are named
 * {@code body} and {@code shortcut}.
 */
public class Residual extends Module {
    private final Module body;
    private final Module shortcut;

    /**
     * {@code body(x) + x}; the body must keep the shape.
     *
     * @param body the residual branch
     */
    public Residual(Module body) {
        this.body = registerModule("body", body);
        this.shortcut = null;
    }

    /**
     * {@code body(x) + shortcut(x)}.
     *
     * @param body the residual branch
     * @param shortcut the projection of the identity branch
     */
    public Residual(Module body, Module shortcut) {
        this.body = registerModule("body", body);
        this.shortcut = registerModule("shortcut", shortcut);
    }

    @Override
    public Variable forward(Variable x) {
        Variable y = body.call(x);
        Variable s = shortcut == null ? x : shortcut.call(x);
        if (!java.util.Arrays.equals(y.shape(), s.shape())) {
            throw new IllegalArgumentException("Residual: the body's output " + io.jgrad.core.Shape.format(y.shape())
                    + " does not match the " + (shortcut == null ? "input " : "shortcut's output ")
                    + io.jgrad.core.Shape.format(s.shape()));
        }
        return y.add(s);
    }
}
