package io.jgrad.data;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;

/**
 * Adds independent normal noise of standard deviation {@code std} to every element:
 * {@code x + std * randn}. The corruption of a denoising autoencoder's inputs.
 */
public final class GaussianNoise implements Transform {
    private final double std;

    /**
     * Noise of the given standard deviation.
     *
     * @param std the standard deviation (0 or more)
     */
    public GaussianNoise(double std) {
        if (!(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("GaussianNoise: std must be finite and >= 0, got " + std);
        }
        this.std = std;
    }

    @Override
    public Tensor apply(Tensor batch, Generator generator) {
        if (!batch.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("GaussianNoise: expected floating point data, got " + batch.dtype());
        }
        return batch.add(Tensor.randn(generator, batch.dtype(), batch.shape()).mul(std));
    }
}
