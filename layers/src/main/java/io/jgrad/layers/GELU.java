package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/**
 * Gaussian error linear unit: exactly {@code x * Phi(x) = x/2 * (1 + erf(x / sqrt 2))}, or with the
 * tanh approximation {@code x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))} (PyTorch's
 * {@code approximate='tanh'}).
 */
public class GELU extends Module {
    private final boolean tanhApproximation;

    /** The exact GELU. */
    public GELU() {
        this(false);
    }

    /**
     * A GELU, exact or approximated.
     *
     * @param tanhApproximation true for the tanh approximation
     */
    public GELU(boolean tanhApproximation) {
        this.tanhApproximation = tanhApproximation;
    }

    @Override
    public Variable forward(Variable x) {
        return tanhApproximation ? x.geluTanh() : x.gelu();
    }

    @Override
    protected String extraRepr() {
        return tanhApproximation ? "approximate=tanh" : "";
    }
}
