package io.jgrad.layers;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * The normalization layers as functions, like {@code torch.nn.functional.layer_norm},
 * {@code batch_norm} and {@code group_norm}, for models that hold their own parameters. Each is the
 * fused computation its layer uses, differentiable at every order (a recording backward pass
 * differentiates the same normalization written with primitive ops).
 */
public final class Functional {
    private Functional() {
    }

    /**
     * Layer normalization of the trailing {@code normalizedShape} of {@code x}:
     * {@code (x - mean) / sqrt(var + eps) * weight + bias} with the biased variance of each sample.
     *
     * @param x the input {@code (..., *normalizedShape)}
     * @param normalizedShape the trailing shape to normalize over
     * @param weight the scale of shape {@code normalizedShape}, or null
     * @param bias the shift of shape {@code normalizedShape}, or null
     * @param eps added to the variance
     * @return the normalized input
     */
    public static Variable layerNorm(Variable x, int[] normalizedShape, Variable weight, Variable bias, double eps) {
        int[] s = x.shape();
        int k = normalizedShape.length;
        boolean ok = k > 0 && s.length >= k;
        int d = 1;
        for (int i = 0; ok && i < k; i++) {
            ok = s[s.length - k + i] == normalizedShape[i];
            d *= normalizedShape[i];
        }
        if (!ok) {
            throw new IllegalArgumentException("layerNorm: input of shape " + Shape.format(s) + " does not end with the normalized shape "
                    + Shape.format(normalizedShape));
        }
        checkAffine("layerNorm", weight, normalizedShape);
        checkAffine("layerNorm", bias, normalizedShape);
        return RowNormFunction.normalize(x, d, eps, weight, bias);
    }

    /**
     * Batch normalization of {@code x (N, C, ...)} per channel, like {@code F.batch_norm}. In training
     * (or without running statistics) the batch's mean and biased variance are used and, when given,
     * the running statistics are updated in place with {@code momentum} (the running variance with
     * the unbiased batch variance); otherwise the running statistics are used.
     *
     * @param x the input (N, C, ...)
     * @param runningMean (C), updated in training; or null
     * @param runningVar (C), updated in training; or null (null exactly when runningMean is)
     * @param weight the scale (C), or null
     * @param bias the shift (C), or null
     * @param training whether to use (and record) batch statistics
     * @param momentum the weight of the batch statistics in the running ones
     * @param eps added to the variance
     * @return the normalized input
     */
    public static Variable batchNorm(Variable x, Tensor runningMean, Tensor runningVar, Variable weight, Variable bias,
            boolean training, double momentum, double eps) {
        int[] s = x.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("batchNorm: expected an input (N, C, ...), got " + Shape.format(s));
        }
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("batchNorm: give both running statistics or neither");
        }
        int c = s[1];
        for (Tensor t : new Tensor[] {runningMean, runningVar}) {
            if (t != null && (t.dim() != 1 || t.size(0) != c)) {
                throw new IllegalArgumentException("batchNorm: running statistics of shape " + Shape.format(t.shape())
                        + " do not match " + c + " channels of input " + Shape.format(s));
            }
        }
        checkAffine("batchNorm", weight, new int[] {c});
        checkAffine("batchNorm", bias, new int[] {c});
        int n = s[0];
        int l = 1;
        for (int k = 2; k < s.length; k++) {
            l *= s[k];
        }
        boolean useBatch = training || runningMean == null;
        if (useBatch && training && (long) n * l <= 1) {
            throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training, got input "
                    + Shape.format(s));
        }
        BatchNormFunction f = useBatch
                ? new BatchNormFunction(n, c, l, eps, null, null, weight != null, bias != null)
                : new BatchNormFunction(n, c, l, eps, runningMean.toDoubleArray(), runningVar.toDoubleArray(), weight != null,
                        bias != null);
        Variable y = f.run(x, weight, bias);
        if (training && runningMean != null) {
            updateRunning(runningMean, runningVar, f.batchMean(), f.batchVar(), (double) n * l, momentum);
        }
        return y;
    }

    /** {@code running = (1 - m) running + m batch}, with the unbiased batch variance. */
    static void updateRunning(Tensor rm, Tensor rv, double[] mean, double[] var, double count, double m) {
        try (var off = Autograd.noGrad()) {
            double[] unbiased = new double[var.length];
            for (int c = 0; c < var.length; c++) {
                unbiased[c] = var[c] * count / (count - 1);
            }
            rm.mul_(1 - m).add_(Arrays0.tensor(mean, rm.dtype(), rm.shape()).mul(m));
            rv.mul_(1 - m).add_(Arrays0.tensor(unbiased, rv.dtype(), rv.shape()).mul(m));
        }
    }

    /**
     * Group normalization of {@code x (N, C, ...)}: each of {@code numGroups} groups of channels is
     * normalized per sample, then scaled and shifted per channel.
     *
     * @param x the input (N, C, ...)
     * @param numGroups G, dividing C
     * @param weight the scale (C), or null
     * @param bias the shift (C), or null
     * @param eps added to the variance
     * @return the normalized input
     */
    public static Variable groupNorm(Variable x, int numGroups, Variable weight, Variable bias, double eps) {
        int[] s = x.shape();
        if (s.length < 2 || numGroups <= 0 || s[1] % numGroups != 0) {
            throw new IllegalArgumentException("groupNorm: expected an input (N, C, ...) with C divisible by " + numGroups + ", got "
                    + Shape.format(s));
        }
        checkAffine("groupNorm", weight, new int[] {s[1]});
        checkAffine("groupNorm", bias, new int[] {s[1]});
        int per = s[0] == 0 ? 1 : x.numel() / (s[0] * numGroups);
        Variable y = RowNormFunction.normalize(x, per, eps, null, null);
        return channelAffine(y, weight, bias);
    }

    /** {@code y * w[c] + b[c]} for y (N, C, ...), w and b (C) or null. */
    static Variable channelAffine(Variable y, Variable w, Variable b) {
        if (w == null && b == null) {
            return y;
        }
        int[] bs = new int[y.dim()];
        java.util.Arrays.fill(bs, 1);
        bs[1] = y.size(1);
        if (w != null) {
            y = y.mul(w.reshape(bs));
        }
        if (b != null) {
            y = y.add(b.reshape(bs));
        }
        return y;
    }

    private static void checkAffine(String op, Variable p, int[] shape) {
        if (p != null && !java.util.Arrays.equals(p.shape(), shape)) {
            throw new IllegalArgumentException(op + ": weight or bias of shape " + Shape.format(p.shape()) + " does not match "
                    + Shape.format(shape));
        }
    }
}
