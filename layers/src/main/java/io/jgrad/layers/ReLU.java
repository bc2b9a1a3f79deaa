package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Rectified linear unit {@code max(x, 0)}, element-wise (gradient 0 at 0, as PyTorch). */
public class ReLU extends Module {
    /** The activation as a layer. */
    public ReLU() {}

    @Override
    public Variable forward(Variable x) {
        return x.relu();
    }
}
