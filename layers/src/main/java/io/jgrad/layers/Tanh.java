package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Hyperbolic tangent, element-wise. */
public class Tanh extends Module {
    /** The activation as a layer. */
    public Tanh() {}

    @Override
    public Variable forward(Variable x) {
        return x.tanh();
    }
}
