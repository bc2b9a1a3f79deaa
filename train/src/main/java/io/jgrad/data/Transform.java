package io.jgrad.data;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.List;

/**
 * A function of a batch tensor {@code (N, ...)}, applied by a {@link DataLoader} to each batch's
 * inputs or targets: normalization, one-hot encoding, augmentation, noise.
 *
 * <p>Random transforms draw from the generator they are given, never from a generator of their own,
 * so that the loader's seed alone fixes every random choice of a run (and a checkpoint of the
 * loader's generator replays them). Transforms return new tensors and leave their argument unchanged.
 * They compose with {@link #andThen} and {@link #compose}.
 */
@FunctionalInterface
public interface Transform {
    /**
     * Transforms one batch.
     *
     * @param batch the batch, first dimension = samples
     * @param generator the source of randomness (used by random transforms only)
     * @return the transformed batch (a new tensor, or {@code batch} itself when nothing changes)
     */
    Tensor apply(Tensor batch, Generator generator);

    /**
     * Transforms one batch; random transforms draw from {@link Generator#global()}. For deterministic
     * transforms such as {@link Normalize}, this needs no generator argument.
     *
     * @param batch the batch, first dimension = samples
     * @return the transformed batch
     */
    default Tensor apply(Tensor batch) {
        return apply(batch, Generator.global());
    }

    /**
     * This transform, then {@code next}.
     *
     * @param next the transform applied to this one's output
     * @return the composition
     */
    default Transform andThen(Transform next) {
        Transform self = this;
        return (x, g) -> next.apply(self.apply(x, g), g);
    }

    /**
     * The transforms applied in order.
     *
     * @param transforms the transforms, first applied first
     * @return the composition (the identity when empty)
     */
    static Transform compose(Transform... transforms) {
        List<Transform> list = List.of(transforms);
        return (x, g) -> {
            Tensor y = x;
            for (Transform t : list) {
                y = t.apply(y, g);
            }
            return y;
        };
    }

    /**
     * The transform that returns its input.
     *
     * @return the identity
     */
    static Transform identity() {
        return (x, g) -> x;
    }
}
