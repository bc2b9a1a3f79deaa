package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Scaled exponential linear unit {@code scale * (max(0, x) + min(0, alpha * (e^x - 1)))} with PyTorch's constants (alpha 1.6733, scale 1.0507); pair it with LeCun normal initialization and {@link AlphaDropout}. */
public class SELU extends Module {
    /** The activation as a layer. */
    public SELU() {}

    @Override
    public Variable forward(Variable x) {
        return x.selu();
    }
}
