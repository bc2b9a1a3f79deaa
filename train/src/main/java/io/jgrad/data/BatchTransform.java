package io.jgrad.data;

import io.jgrad.core.Generator;

/**
 * A function of a whole {@link Batch} (inputs, target and weight together), applied by a
 * {@link DataLoader} after the per-tensor transforms: e.g. a denoising autoencoder's
 * {@code (x) -> (noisy x, x)}.
 */
@FunctionalInterface
public interface BatchTransform {
    /**
     * Transforms one batch.
     *
     * @param batch the batch
     * @param generator the source of randomness
     * @return the transformed batch
     */
    Batch apply(Batch batch, Generator generator);
}
