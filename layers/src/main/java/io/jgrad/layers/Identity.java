package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Returns its input unchanged (a placeholder, e.g. to remove a classifier head). */
public class Identity extends Module {
    /** An identity layer. */
    public Identity() {}

    @Override
    public Variable forward(Variable x) {
        return x;
    }
}
