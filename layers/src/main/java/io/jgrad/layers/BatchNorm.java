package io.jgrad.layers;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Batch normalization over the channel dimension 1 of an input {@code (N, C, ...)}: the common
 * part of {@link BatchNorm1d} and {@link BatchNorm2d}, with PyTorch's semantics.
 *
 * <p>In training mode each channel is normalized with the mean and biased variance of the batch,
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias}, and the running statistics are updated:
 * {@code running = (1 - momentum) * running + momentum * batch}, where the running variance receives
 * the unbiased batch variance ({@code var * M / (M - 1)}, M = values per channel) and
 * {@code num_batches_tracked} is incremented. A NaN momentum gives the cumulative average
 * ({@code momentum = 1 / num_batches_tracked}). In evaluation mode the running statistics are used;
 * without {@code trackRunningStats} the batch statistics are used in both modes.
 *
 * <p>State: parameters {@code weight} (ones) and {@code bias} (zeros) when affine; buffers
 * {@code running_mean} (zeros), {@code running_var} (ones) and {@code num_batches_tracked} (a 0-D
 * INT64 tensor, as in PyTorch, saved as {@code I64}) when tracking.
 *
 * <p>The computation is fused: two passes for the statistics and one for the output, two for the
 * backward. Second-order gradients are not supported.
 */
public abstract class BatchNorm extends Module {
    private final int numFeatures;
    private final double eps;
    private final double momentum;
    private final boolean affine;
    private final boolean trackRunningStats;

    /**
     * A batch normalization layer.
     *
     * @param numFeatures C, the number of channels
     * @param eps added to the variance for stability
     * @param momentum the weight of the batch statistics in the running ones (NaN: cumulative average)
     * @param affine whether to learn a per-channel scale and shift
     * @param trackRunningStats whether to keep running statistics for evaluation
     */
    protected BatchNorm(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(
                    getClass().getSimpleName() + ": numFeatures must be positive, got " + numFeatures);
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": eps must be non-negative, got " + eps);
        }
        if (!Double.isNaN(momentum) && !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(
                    getClass().getSimpleName() + ": momentum must be in [0, 1] (or NaN), got " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        registerParameter("weight", affine ? new Parameter(Tensor.ones(numFeatures)) : null);
        registerParameter("bias", affine ? new Parameter(Tensor.zeros(numFeatures)) : null);
        registerBuffer("running_mean", trackRunningStats ? Tensor.zeros(numFeatures) : null);
        registerBuffer("running_var", trackRunningStats ? Tensor.ones(numFeatures) : null);
        registerBuffer("num_batches_tracked", trackRunningStats ? Tensor.zeros(DType.INT64) : null);
    }

    /**
     * Checks the input's rank for this layer.
     *
     * @param shape the input's shape
     */
    protected abstract void checkInput(int[] shape);

    /** Resets the running statistics to mean 0, variance 1 and no batches. */
    public void resetRunningStats() {
        if (trackRunningStats) {
            buffer("running_mean").zero_();
            buffer("running_var").fill_(1);
            buffer("num_batches_tracked").zero_();
        }
    }

    @Override
    public void resetParameters(Generator g) {
        resetRunningStats();
        if (affine) {
            Init.ones(parameter("weight").data());
            Init.zeros(parameter("bias").data());
        }
    }

    @Override
    public Variable forward(Variable x) {
        int[] s = x.shape();
        checkInput(s);
        if (s[1] != numFeatures) {
            throw new IllegalArgumentException(
                    label() + ": expected " + numFeatures + " channels (dimension 1), got input " + Shape.format(s));
        }
        boolean countBatch = isTraining() && trackRunningStats;
        Tensor nbt = buffer("num_batches_tracked");
        // a NaN momentum is the cumulative moving average over the batches seen
        double m = countBatch && Double.isNaN(momentum) ? 1.0 / (nbt.item() + 1) : momentum;
        Variable y = Functional.batchNorm(
                x, buffer("running_mean"), buffer("running_var"), param("weight"), param("bias"), isTraining(), m, eps);
        if (countBatch) {
            nbt.add_(1);
        }
        return y;
    }

    /**
     * The number of channels.
     *
     * @return C
     */
    public int numFeatures() {
        return numFeatures;
    }

    /**
     * The scale, or null without affine.
     *
     * @return the weight parameter
     */
    public Parameter weight() {
        return parameter("weight");
    }

    /**
     * The shift, or null without affine.
     *
     * @return the bias parameter
     */
    public Parameter bias() {
        return parameter("bias");
    }

    /**
     * The running mean, or null without running statistics.
     *
     * @return the buffer
     */
    public Tensor runningMean() {
        return buffer("running_mean");
    }

    /**
     * The running (unbiased) variance, or null without running statistics.
     *
     * @return the buffer
     */
    public Tensor runningVar() {
        return buffer("running_var");
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + affine + ", trackRunningStats="
                + trackRunningStats;
    }
}
