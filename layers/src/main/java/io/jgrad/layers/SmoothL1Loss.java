package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Smooth L1 loss, see {@link Losses#smoothL1(Variable, Variable, double, Reduction)}. */
public class SmoothL1Loss extends Loss {
    private final double beta;

    /** beta 1 with mean reduction. */
    public SmoothL1Loss() {
        this(1.0, Reduction.MEAN);
    }

    /**
     * A configured loss.
     *
     * @param beta the threshold between the quadratic and linear parts
     * @param reduction NONE, MEAN or SUM
     */
    public SmoothL1Loss(double beta, Reduction reduction) {
        super(reduction);
        this.beta = beta;
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        return Losses.smoothL1(input, target, beta, reduction);
    }

    @Override
    protected String extraRepr() {
        return "beta=" + beta + ", " + super.extraRepr();
    }
}
