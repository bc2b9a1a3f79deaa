package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;

/** Adaptive average pooling of {@code (N, C, L)} to {@code (N, C, outL)}, like {@code torch.nn.AdaptiveAvgPool1d}. */
public class AdaptiveAvgPool1d extends Module {
    private final int outL;

    /**
     * Pooling to length {@code outputSize}.
     *
     * @param outputSize the output length
     */
    public AdaptiveAvgPool1d(int outputSize) {
        if (outputSize < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool1d: output size must be positive, got " + outputSize);
        }
        this.outL = outputSize;
    }

    @Override
    public Variable forward(Variable x) {
        return NN.adaptiveAvgPool1d(x, outL);
    }

    @Override
    protected String extraRepr() {
        return "outputSize=" + outL;
    }
}
