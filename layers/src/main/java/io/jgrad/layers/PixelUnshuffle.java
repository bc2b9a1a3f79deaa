package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/**
 * The inverse of {@link PixelShuffle}: {@code (N, C, H r, W r)} into {@code (N, C r^2, H, W)}, like
 * {@code torch.nn.PixelUnshuffle}. See {@link Functional#pixelUnshuffle}.
 */
public class PixelUnshuffle extends Module {
    private final int downscaleFactor;

    /**
     * An unshuffle by {@code downscaleFactor}.
     *
     * @param downscaleFactor r (positive)
     */
    public PixelUnshuffle(int downscaleFactor) {
        if (downscaleFactor < 1) {
            throw new IllegalArgumentException(
                    "PixelUnshuffle: the downscale factor must be positive, got " + downscaleFactor);
        }
        this.downscaleFactor = downscaleFactor;
    }

    @Override
    public Variable forward(Variable x) {
        return Resampling.pixelUnshuffle(label(), x, downscaleFactor);
    }

    @Override
    protected String extraRepr() {
        return "downscaleFactor=" + downscaleFactor;
    }
}
