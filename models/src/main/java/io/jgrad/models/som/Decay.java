package io.jgrad.models.som;

/**
 * How a {@link SOM}'s learning rate or radius goes from its start value to its end value over
 * training, as a function of the fraction {@code f = t / T} of training done (Kohonen 2001, section
 * 3.6: "the exact form is not important", any monotonically decreasing function will do).
 */
public enum Decay {
    /** {@code start + (end - start) f}. */
    LINEAR,
    /** {@code start (end / start)^f}: a constant rate of decay. */
    EXPONENTIAL,
    /**
     * {@code start / (1 + (start / end - 1) f)}: inversely proportional to time, the usual choice for
     * the learning rate of online training (Kohonen 2001, section 3.6; SOM Toolbox's {@code inv}).
     */
    INVERSE;

    /**
     * The value after a fraction {@code f} of training.
     *
     * @param start the value at {@code f = 0}, positive
     * @param end the value at {@code f = 1}, positive
     * @param f the fraction of training done, in [0, 1]
     * @return the value
     */
    public double value(double start, double end, double f) {
        if (!(start > 0) || !(end > 0) || Double.isInfinite(start) || Double.isInfinite(end)) {
            throw new IllegalArgumentException("Decay." + name()
                    + ": start and end must be positive and finite, got start=" + start + ", end=" + end);
        }
        if (!(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException(
                    "Decay." + name() + ": the fraction of training must be in [0, 1], got " + f);
        }
        switch (this) {
            case LINEAR:
                return start + (end - start) * f;
            case EXPONENTIAL:
                return start * Math.pow(end / start, f);
            default:
                return start / (1 + (start / end - 1) * f);
        }
    }
}
