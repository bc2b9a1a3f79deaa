package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** SiLU (swish) {@code x * sigmoid(x)}, element-wise. */
public class SiLU extends Module {
    /** The activation as a layer. */
    public SiLU() {}

    @Override
    public Variable forward(Variable x) {
        return x.silu();
    }
}
