package io.jgrad.models.som;

import io.jgrad.core.Tensor;

/**
 * The neighbourhood function {@code h(d, sigma)} of a {@link SOM}: how much a node at lattice distance
 * {@code d} from the best-matching unit moves towards a sample, for the current radius {@code sigma}
 * (Kohonen 2001, section 3.2, equations 3.4 and 3.5).
 */
public enum Neighborhood {
    /** {@code h = exp(-d^2 / (2 sigma^2))}. */
    GAUSSIAN,
    /** The "bubble": {@code h = 1} for {@code d <= sigma}, else 0. */
    BUBBLE;

    /**
     * The function applied element-wise to squared lattice distances.
     *
     * @param squaredDistances {@code d^2}, any shape, FLOAT32 or FLOAT64
     * @param radius {@code sigma}, positive
     * @return {@code h}, of the same shape and type
     */
    public Tensor apply(Tensor squaredDistances, double radius) {
        if (!(radius > 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException(
                    "Neighborhood." + name() + ": the radius must be positive and finite, got " + radius);
        }
        if (this == GAUSSIAN) {
            return squaredDistances.mul(-1 / (2 * radius * radius)).exp();
        }
        // a small tolerance so that nodes exactly at distance sigma count as inside
        return squaredDistances.le(radius * radius * (1 + 1e-9)).to(squaredDistances.dtype());
    }

    /** The function at one squared distance. */
    public double apply(double squaredDistance, double radius) {
        if (!(radius > 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException(
                    "Neighborhood." + name() + ": the radius must be positive and finite, got " + radius);
        }
        if (this == GAUSSIAN) {
            return Math.exp(-squaredDistance / (2 * radius * radius));
        }
        return squaredDistance <= radius * radius * (1 + 1e-9) ? 1 : 0;
    }
}
