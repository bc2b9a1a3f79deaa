package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Squared error loss, see {@link Losses#mse(Variable, Variable, Reduction)}. */
public class MSELoss extends Loss {
    /** With mean reduction. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    /**
     * With the given reduction.
     *
     * @param reduction NONE, MEAN or SUM
     */
    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        return Losses.mse(input, target, reduction);
    }
}
