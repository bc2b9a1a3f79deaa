package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/**
 * Triplet margin loss of (anchor, positive, negative), like {@code torch.nn.TripletMarginLoss};
 * takes three inputs. See {@link Losses#tripletMargin}.
 */
public class TripletMarginLoss extends Loss {
    private final double margin;
    private final double p;
    private final double eps;
    private final boolean swap;

    /** Margin 1, p 2, eps 1e-6, no swap, mean reduction. */
    public TripletMarginLoss() {
        this(1.0, 2.0, 1e-6, false, Reduction.MEAN);
    }

    /**
     * A configured loss.
     *
     * @param margin the margin
     * @param p the norm degree
     * @param eps added to differences
     * @param swap whether to use the distance swap
     * @param reduction NONE, MEAN or SUM
     */
    public TripletMarginLoss(double margin, double p, double eps, boolean swap, Reduction reduction) {
        super(reduction);
        this.margin = margin;
        this.p = p;
        this.eps = eps;
        this.swap = swap;
    }

    /**
     * The loss of the triplets.
     *
     * @param anchor (N, D)
     * @param positive (N, D)
     * @param negative (N, D)
     * @return the loss
     */
    public Variable forward(Variable anchor, Variable positive, Variable negative) {
        return Losses.tripletMargin(anchor, positive, negative, margin, p, eps, swap, reduction);
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        throw new IllegalArgumentException("TripletMarginLoss: expected 3 inputs (anchor, positive, negative), got 2");
    }

    @Override
    public Variable forward(Variable... inputs) {
        if (inputs.length != 3) {
            throw new IllegalArgumentException(
                    "TripletMarginLoss: expected 3 inputs (anchor, positive, negative), got " + inputs.length);
        }
        return forward(inputs[0], inputs[1], inputs[2]);
    }
}
