package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Leaky ReLU {@code x >= 0 ? x : slope * x}, element-wise (PyTorch's default slope 0.01). */
public class LeakyReLU extends Module {
    private final double negativeSlope;

    /** Slope 0.01. */
    public LeakyReLU() {
        this(0.01);
    }

    /**
     * A leaky ReLU with the given slope for negative inputs.
     *
     * @param negativeSlope the slope
     */
    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Variable forward(Variable x) {
        return x.leakyRelu(negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negativeSlope=" + negativeSlope;
    }
}
