package io.jgrad.layers;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.autograd.fused.BatchNormFunction;
import io.jgrad.autograd.fused.RowNormFunction;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Instance normalization, like {@code torch.nn.InstanceNorm2d}: each channel of each sample of an
 * input {@code (N, C, H, W)} is normalized over its H x W positions (biased variance). By default
 * (as in PyTorch) there is no affine and no running statistics, so training and evaluation agree.
 * With {@code trackRunningStats}, training updates {@code running_mean} and {@code running_var}
 * with the batch average of the per-instance mean and unbiased variance,
 * {@code running = (1 - momentum) * running + momentum * batch}, and evaluation normalizes with
 * them. As in PyTorch, the {@code num_batches_tracked} buffer exists but stays 0.
 */
public class InstanceNorm2d extends Module {
    private final int numFeatures;
    private final double eps;
    private final double momentum;
    private final boolean affine;
    private final boolean trackRunningStats;

    /**
     * Eps 1e-5, no affine, no running statistics.
     *
     * @param numFeatures C
     */
    public InstanceNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, false, false);
    }

    /**
     * A fully configured layer.
     *
     * @param numFeatures C
     * @param eps added to the variance
     * @param momentum weight of the batch statistics in the running ones, in [0, 1]
     * @param affine whether to learn a per-channel weight (ones) and bias (zeros)
     * @param trackRunningStats whether to keep running statistics for evaluation
     */
    public InstanceNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException("InstanceNorm2d: numFeatures must be positive, got " + numFeatures);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("InstanceNorm2d: momentum must be in [0, 1], got " + momentum);
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("InstanceNorm2d: eps must be non-negative, got " + eps);
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

    @Override
    public void resetParameters(Generator g) {
        if (affine) {
            Init.ones(parameter("weight").data());
            Init.zeros(parameter("bias").data());
        }
        if (trackRunningStats) {
            buffer("running_mean").zero_();
            buffer("running_var").fill_(1);
            buffer("num_batches_tracked").zero_();
        }
    }

    @Override
    public Variable forward(Variable x) {
        int[] s = x.shape();
        if (s.length != 4 || s[1] != numFeatures) {
            throw new IllegalArgumentException(
                    "InstanceNorm2d: expected an input (N, " + numFeatures + ", H, W), got " + Shape.format(s));
        }
        int hw = s[2] * s[3];
        if (trackRunningStats && !isTraining()) {
            BatchNormFunction f = new BatchNormFunction(
                    s[0],
                    numFeatures,
                    hw,
                    eps,
                    buffer("running_mean").toDoubleArray(),
                    buffer("running_var").toDoubleArray(),
                    affine,
                    affine);
            return f.run(x, param("weight"), param("bias"));
        }
        if (isTraining() && hw <= 1) {
            throw new IllegalArgumentException(
                    "InstanceNorm2d: expected more than 1 spatial element when training, got input " + Shape.format(s));
        }
        if (trackRunningStats) {
            updateRunningStats(x.data(), s[0], hw);
        }
        Variable y = RowNormFunction.normalize(x, hw, eps, null, null);
        return Functional.channelAffine(y, param("weight"), param("bias"));
    }

    private void updateRunningStats(Tensor x, int n, int hw) {
        try (var off = Autograd.noGrad()) {
            // per-instance statistics, averaged over the batch (PyTorch folds N into the channels)
            Tensor xd = x.to(DType.FLOAT64).reshape(n, numFeatures, hw);
            Tensor mean = xd.mean(2, false).mean(0, false);
            Tensor var = xd.var(new int[] {2}, 1, false).mean(0, false);
            // as in PyTorch, num_batches_tracked is kept (for state-dict compatibility) but not advanced
            double m = momentum;
            Tensor rm = buffer("running_mean");
            Tensor rv = buffer("running_var");
            rm.mul_(1 - m).add_(mean.to(rm.dtype()).mul(m));
            rv.mul_(1 - m).add_(var.to(rv.dtype()).mul(m));
        }
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + affine + ", trackRunningStats="
                + trackRunningStats;
    }
}
