package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Mish {@code x * tanh(softplus(x))}, element-wise. */
public class Mish extends Module {
    /** The activation as a layer. */
    public Mish() {}

    @Override
    public Variable forward(Variable x) {
        return x.mish();
    }
}
