package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/**
 * Adaptive max pooling of {@code (N, C, L)} to {@code (N, C, outL)}, like
 * {@code torch.nn.AdaptiveMaxPool1d}: output {@code i} is the maximum of positions
 * {@code floor(i L / outL)} to {@code ceil((i + 1) L / outL) - 1}. The gradient goes to the first
 * maximum of each window; differentiable at every order. See {@link Functional#adaptiveMaxPool1d}.
 */
public class AdaptiveMaxPool1d extends Module {
    private final int outL;

    /**
     * Pooling to length {@code outputSize}.
     *
     * @param outputSize the output length
     */
    public AdaptiveMaxPool1d(int outputSize) {
        if (outputSize < 1) {
            throw new IllegalArgumentException("AdaptiveMaxPool1d: output size must be positive, got " + outputSize);
        }
        this.outL = outputSize;
    }

    @Override
    public Variable forward(Variable x) {
        return Resampling.adaptiveMaxPool(label(), x, new int[] {outL});
    }

    @Override
    protected String extraRepr() {
        return "outputSize=" + outL;
    }
}
