package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Exponential linear unit {@code x > 0 ? x : alpha * (e^x - 1)}, element-wise (alpha 1 by default). */
public class ELU extends Module {
    private final double alpha;

    /** Alpha 1. */
    public ELU() {
        this(1.0);
    }

    /**
     * An ELU with the given alpha.
     *
     * @param alpha the saturation value for large negative inputs is {@code -alpha}
     */
    public ELU(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public Variable forward(Variable x) {
        return x.elu(alpha);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
