package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;

/**
 * Global mean pooling over all spatial positions: an input {@code (N, C, ...)} (e.g.
 * {@code (N, C, H, W)} or {@code (N, C, L)}) becomes {@code (N, C)}, or {@code (N, C, 1, ...)} with
 * {@code keepDims}. Its gradient spreads evenly over the positions.
 */
public class GlobalAvgPool extends Module {
    private final boolean keepDims;

    /** Pooling to {@code (N, C)}. */
    public GlobalAvgPool() {
        this(false);
    }

    /**
     * Pooling that keeps the pooled dimensions as size 1 when {@code keepDims}.
     *
     * @param keepDims whether to keep the spatial dimensions
     */
    public GlobalAvgPool(boolean keepDims) {
        this.keepDims = keepDims;
    }

    @Override
    public Variable forward(Variable x) {
        if (x.dim() < 3) {
            throw new IllegalArgumentException(
                    "GlobalAvgPool: expected an input (N, C, ...) with spatial dimensions, got "
                            + Shape.format(x.shape()));
        }
        int[] dims = new int[x.dim() - 2];
        for (int k = 0; k < dims.length; k++) {
            dims[k] = k + 2;
        }
        return x.mean(dims, keepDims);
    }

    @Override
    protected String extraRepr() {
        return keepDims ? "keepDims=true" : "";
    }
}
