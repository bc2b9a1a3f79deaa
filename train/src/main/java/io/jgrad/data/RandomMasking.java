package io.jgrad.data;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;

/**
 * Masking noise: sets each element independently to {@code value} (0 by default) with probability
 * {@code p}, keeping it otherwise. The corruption of a denoising autoencoder's inputs; unlike dropout
 * the kept values are not rescaled.
 */
public final class RandomMasking implements Transform {
    private final double p;
    private final double value;

    /**
     * Zeroes elements with probability {@code p}.
     *
     * @param p in {@code [0, 1]}
     */
    public RandomMasking(double p) {
        this(p, 0);
    }

    /**
     * Sets elements to {@code value} with probability {@code p}.
     *
     * @param p in {@code [0, 1]}
     * @param value the value of masked elements
     */
    public RandomMasking(double p, double value) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomMasking: p must be in [0, 1], got " + p);
        }
        this.p = p;
        this.value = value;
    }

    @Override
    public Tensor apply(Tensor batch, Generator generator) {
        if (!batch.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("RandomMasking: expected floating point data, got " + batch.dtype());
        }
        Tensor mask = Tensor.bernoulli(generator, batch.dtype(), p, batch.shape());
        return batch.maskedFill(mask, value);
    }
}
