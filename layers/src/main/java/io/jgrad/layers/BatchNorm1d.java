package io.jgrad.layers;

import io.jgrad.core.Shape;

/**
 * Batch normalization of {@code (N, C)} or {@code (N, C, L)} inputs, like
 * {@code torch.nn.BatchNorm1d}; see {@link BatchNorm} for the semantics.
 */
public class BatchNorm1d extends BatchNorm {
    /**
     * Eps 1e-5, momentum 0.1, affine, tracking running statistics.
     *
     * @param numFeatures C
     */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /**
     * A fully configured layer.
     *
     * @param numFeatures C
     * @param eps added to the variance
     * @param momentum weight of the batch statistics in the running ones (NaN: cumulative average)
     * @param affine whether to learn weight and bias
     * @param trackRunningStats whether to keep running statistics
     */
    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInput(int[] shape) {
        if (shape.length != 2 && shape.length != 3) {
            throw new IllegalArgumentException(
                    "BatchNorm1d: expected a 2-D (N, C) or 3-D (N, C, L) input, got " + Shape.format(shape));
        }
    }
}
