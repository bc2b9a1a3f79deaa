package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Absolute error loss, see {@link Losses#l1(Variable, Variable, Reduction)}. */
public class L1Loss extends Loss {
    /** With mean reduction. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    /**
     * With the given reduction.
     *
     * @param reduction NONE, MEAN or SUM
     */
    public L1Loss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        return Losses.l1(input, target, reduction);
    }
}
