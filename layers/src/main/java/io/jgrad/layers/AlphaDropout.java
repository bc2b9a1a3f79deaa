package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Tensor;

/**
 * Alpha dropout for self-normalizing networks (with {@link SELU}), like
 * {@code torch.nn.AlphaDropout}: in training mode dropped elements are set to SELU's negative
 * saturation value {@code -alpha'} (alpha' = 1.7581) and then an affine map {@code a * x + b} with
 * {@code a = 1 / sqrt((alpha'^2 p + 1)(1 - p))} and {@code b = a alpha' p} keeps zero mean and unit
 * variance. Identity in evaluation mode.
 */
public class AlphaDropout extends BaseDropout {
    /** SELU's {@code -scale * alpha}, the limit of SELU for large negative inputs (negated). */
    static final double ALPHA = 1.7580993408473766;

    /** Alpha dropout with p = 0.5. */
    public AlphaDropout() {
        this(0.5);
    }

    /**
     * Alpha dropout with drop probability {@code p}.
     *
     * @param p the probability of dropping an element, in [0, 1]
     */
    public AlphaDropout(double p) {
        super(p);
    }

    @Override
    protected int[] maskShape(int[] inputShape) {
        return inputShape;
    }

    @Override
    protected Variable applyMask(Variable x, Tensor keep) {
        if (p == 1) {
            return x.mul(0);
        }
        double a = 1 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));
        // kept: a * x + a alpha p; dropped: a * (-alpha) + a alpha p (as PyTorch computes it)
        Tensor mult = keep.mul(a);
        Tensor shift = keep.sub(1).mul(ALPHA * a).add(ALPHA * a * p);
        return x.mul(Variable.constant(mult)).add(Variable.constant(shift));
    }
}
