package io.jgrad.layers;

import io.jgrad.core.Shape;

/**
 * Batch normalization of {@code (N, C, H, W)} inputs per channel, like {@code torch.nn.BatchNorm2d};
 * see {@link BatchNorm} for the semantics.
 */
public class BatchNorm2d extends BatchNorm {
    /**
     * Eps 1e-5, momentum 0.1, affine, tracking running statistics.
     *
     * @param numFeatures C
     */
    public BatchNorm2d(int numFeatures) {
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
    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInput(int[] shape) {
        if (shape.length != 4) {
            throw new IllegalArgumentException(
                    "BatchNorm2d: expected a 4-D (N, C, H, W) input, got " + Shape.format(shape));
        }
    }
}
