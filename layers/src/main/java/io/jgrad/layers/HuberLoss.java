package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Huber loss, see {@link Losses#huber(Variable, Variable, double, Reduction)}. */
public class HuberLoss extends Loss {
    private final double delta;

    /** delta 1 with mean reduction. */
    public HuberLoss() {
        this(1.0, Reduction.MEAN);
    }

    /**
     * A configured loss.
     *
     * @param delta the threshold between the quadratic and linear parts
     * @param reduction NONE, MEAN or SUM
     */
    public HuberLoss(double delta, Reduction reduction) {
        super(reduction);
        this.delta = delta;
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        return Losses.huber(input, target, delta, reduction);
    }

    @Override
    protected String extraRepr() {
        return "delta=" + delta + ", " + super.extraRepr();
    }
}
