package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;

/**
 * Adaptive average pooling of {@code (N, C, H, W)} to a fixed {@code (N, C, outH, outW)}, like
 * {@code torch.nn.AdaptiveAvgPool2d}: output cell {@code i} averages input rows
 * {@code floor(i H / outH)} to {@code ceil((i + 1) H / outH) - 1} (likewise columns), so any input
 * size works. {@code (1, 1)} is global average pooling keeping the dimensions.
 */
public class AdaptiveAvgPool2d extends Module {
    private final int outH;
    private final int outW;

    /**
     * A square output.
     *
     * @param outputSize the output height and width
     */
    public AdaptiveAvgPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    /**
     * An output of {@code (outH, outW)}.
     *
     * @param outH the output height
     * @param outW the output width
     */
    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(
                    "AdaptiveAvgPool2d: output size must be positive, got (" + outH + ", " + outW + ")");
        }
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Variable forward(Variable x) {
        return NN.adaptiveAvgPool2d(x, outH, outW);
    }

    @Override
    protected String extraRepr() {
        return "outputSize=(" + outH + ", " + outW + ")";
    }
}
