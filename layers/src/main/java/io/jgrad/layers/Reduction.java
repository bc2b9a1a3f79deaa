package io.jgrad.layers;

/** How a loss combines its per-element values, as PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** No reduction: one loss per element (or per sample for the class-based losses). */
    NONE,
    /** The mean (for weighted class losses, the weighted mean, as PyTorch). */
    MEAN,
    /** The sum. */
    SUM,
    /** The sum divided by the batch size (dimension 0); only for {@link Losses#klDiv}, where it is the true KL divergence. */
    BATCHMEAN
}
