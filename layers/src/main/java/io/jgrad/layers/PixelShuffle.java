package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/**
 * Rearranges {@code (N, C r^2, H, W)} into {@code (N, C, H r, W r)}, like
 * {@code torch.nn.PixelShuffle} (sub-pixel convolution, Shi et al. 2016): a reshape and a
 * permutation. See {@link Functional#pixelShuffle}.
 */
public class PixelShuffle extends Module {
    private final int upscaleFactor;

    /**
     * A shuffle by {@code upscaleFactor}.
     *
     * @param upscaleFactor r (positive)
     */
    public PixelShuffle(int upscaleFactor) {
        if (upscaleFactor < 1) {
            throw new IllegalArgumentException(
                    "PixelShuffle: the upscale factor must be positive, got " + upscaleFactor);
        }
        this.upscaleFactor = upscaleFactor;
    }

    @Override
    public Variable forward(Variable x) {
        return Resampling.pixelShuffle(label(), x, upscaleFactor);
    }

    @Override
    protected String extraRepr() {
        return "upscaleFactor=" + upscaleFactor;
    }
}
