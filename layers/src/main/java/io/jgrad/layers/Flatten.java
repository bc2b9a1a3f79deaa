package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;

/**
 * Flattens dimensions {@code startDim..endDim} into one, like {@code torch.nn.Flatten}; by default
 * every dimension but the batch: (N, C, H, W) becomes (N, C*H*W). A view when the input is
 * contiguous.
 */
public class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    /** Flattens all dimensions after the first. */
    public Flatten() {
        this(1, -1);
    }

    /**
     * Flattens dimensions {@code startDim} through {@code endDim} (inclusive; negative counts from the
     * end).
     *
     * @param startDim the first dimension to merge
     * @param endDim the last dimension to merge
     */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Variable forward(Variable x) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException(
                    "Flatten: input must have at least one dimension, got " + Shape.format(x.shape()));
        }
        return x.flatten(startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "startDim=" + startDim + ", endDim=" + endDim;
    }
}
