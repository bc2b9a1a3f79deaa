package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/**
 * Adaptive max pooling of {@code (N, C, H, W)} to a fixed {@code (N, C, outH, outW)}, like
 * {@code torch.nn.AdaptiveMaxPool2d}: output cell {@code i} is the maximum of input rows
 * {@code floor(i H / outH)} to {@code ceil((i + 1) H / outH) - 1} (likewise columns), so any input
 * size works. The gradient goes to the first maximum of each window; differentiable at every order
 * (a gather at the maxima). See {@link Functional#adaptiveMaxPool2d}.
 */
public class AdaptiveMaxPool2d extends Module {
    private final int outH;
    private final int outW;

    /**
     * A square output.
     *
     * @param outputSize the output height and width
     */
    public AdaptiveMaxPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    /**
     * An output of {@code (outH, outW)}.
     *
     * @param outH the output height
     * @param outW the output width
     */
    public AdaptiveMaxPool2d(int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(
                    "AdaptiveMaxPool2d: output size must be positive, got (" + outH + ", " + outW + ")");
        }
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Variable forward(Variable x) {
        return Resampling.adaptiveMaxPool(label(), x, new int[] {outH, outW});
    }

    @Override
    protected String extraRepr() {
        return "outputSize=(" + outH + ", " + outW + ")";
    }
}
