package io.jgrad.data;

import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Mirrors each sample of a batch left to right (its last dimension) with probability {@code p}: the
 * augmentation of images {@code (N, C, H, W)} or {@code (N, H, W)}. One uniform draw per sample,
 * in order.
 */
public final class RandomHorizontalFlip implements Transform {
    private final double p;

    /** Flips with probability 0.5. */
    public RandomHorizontalFlip() {
        this(0.5);
    }

    /**
     * Flips with probability {@code p}.
     *
     * @param p in {@code [0, 1]}
     */
    public RandomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomHorizontalFlip: p must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public Tensor apply(Tensor batch, Generator generator) {
        if (batch.dim() < 2) {
            throw new IllegalArgumentException(
                    "RandomHorizontalFlip: expected a batch (N, ..., W), got " + Shape.format(batch.shape()));
        }
        Tensor out = null;
        int n = batch.size(0);
        for (int i = 0; i < n; i++) {
            if (generator.nextDouble() < p) {
                if (out == null) {
                    out = batch.clone();
                }
                Tensor sample = batch.select(0, i);
                out.select(0, i).copy_(sample.flip(sample.dim() - 1));
            }
        }
        return out == null ? batch : out;
    }
}
