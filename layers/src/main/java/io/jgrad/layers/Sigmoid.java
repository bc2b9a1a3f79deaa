package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Logistic sigmoid {@code 1 / (1 + e^-x)}, element-wise. */
public class Sigmoid extends Module {
    /** The activation as a layer. */
    public Sigmoid() {}

    @Override
    public Variable forward(Variable x) {
        return x.sigmoid();
    }
}
