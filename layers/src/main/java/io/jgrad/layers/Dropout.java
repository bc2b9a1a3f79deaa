package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Tensor;

/**
 * Inverted dropout, like {@code torch.nn.Dropout}: in training mode each element is zeroed with
 * probability {@code p} and the others are scaled by {@code 1 / (1 - p)}, so that evaluation mode
 * is the identity. Masks come from the module's generator (see {@link Module#setGenerator}).
 */
public class Dropout extends BaseDropout {
    /** Dropout with p = 0.5. */
    public Dropout() {
        this(0.5);
    }

    /**
     * Dropout with drop probability {@code p}.
     *
     * @param p the probability of zeroing an element, in [0, 1]
     */
    public Dropout(double p) {
        super(p);
    }

    @Override
    protected int[] maskShape(int[] inputShape) {
        return inputShape;
    }

    @Override
    public Variable forward(Variable x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        // the mask holds 0 or 1 / (1 - p) directly: one pass to draw it, one to apply it
        return x.mul(Variable.constant(sampleMask(x.dtype(), maskShape(x.shape()), p == 1 ? 0 : 1 / (1 - p))));
    }

    @Override
    protected Variable applyMask(Variable x, Tensor keep) {
        // p = 1 drops everything (a zero mask), rather than scaling by infinity
        return x.mul(Variable.constant(p == 1 ? keep.mul(0) : keep.mul(1 / (1 - p))));
    }
}
