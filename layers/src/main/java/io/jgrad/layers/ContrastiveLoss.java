package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/**
 * Contrastive loss of pairs labelled 1 (similar) or 0 (dissimilar), after Hadsell, Chopra and LeCun,
 * "Dimensionality Reduction by Learning an Invariant Mapping" (CVPR 2006); takes three inputs
 * {@code (x1, x2, similar)}. See {@link Losses#contrastive} for the formula.
 */
public class ContrastiveLoss extends Loss {
    private final double margin;
    private final double eps;

    /** Margin 1, eps 1e-6, mean reduction. */
    public ContrastiveLoss() {
        this(1.0, 1e-6, Reduction.MEAN);
    }

    /**
     * A configured loss.
     *
     * @param margin how far apart dissimilar pairs are pushed, positive
     * @param eps added to the differences before the norm
     * @param reduction NONE, MEAN or SUM
     */
    public ContrastiveLoss(double margin, double eps, Reduction reduction) {
        super(reduction);
        if (!(margin > 0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("ContrastiveLoss: margin must be positive and finite, got " + margin);
        }
        this.margin = margin;
        this.eps = eps;
    }

    /**
     * The loss of the pairs.
     *
     * @param x1 (N, D)
     * @param x2 (N, D)
     * @param similar labels (N): 1 for a similar pair, 0 for a dissimilar one
     * @return the loss
     */
    public Variable forward(Variable x1, Variable x2, Variable similar) {
        return Losses.contrastive(x1, x2, similar.data(), margin, eps, reduction);
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        throw new IllegalArgumentException("ContrastiveLoss: expected 3 inputs (x1, x2, similar), got 2");
    }

    @Override
    public Variable forward(Variable... inputs) {
        if (inputs.length != 3) {
            throw new IllegalArgumentException(
                    "ContrastiveLoss: expected 3 inputs (x1, x2, similar), got " + inputs.length);
        }
        return forward(inputs[0], inputs[1], inputs[2]);
    }

    @Override
    protected String extraRepr() {
        return "margin=" + margin + ", " + super.extraRepr();
    }
}
