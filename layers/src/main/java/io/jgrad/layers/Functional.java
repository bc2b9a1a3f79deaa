package io.jgrad.layers;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.autograd.fused.BatchNormFunction;
import io.jgrad.autograd.fused.RowNormFunction;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Layers as functions, for models that hold their own parameters: the normalizations, like
 * {@code torch.nn.functional.layer_norm}, {@code batch_norm} and {@code group_norm}, each the fused
 * computation its layer uses, differentiable at every order (a recording backward pass
 * differentiates the same normalization written with primitive ops); and resampling, like
 * {@code F.interpolate}, {@code F.adaptive_max_pool2d} and {@code F.pixel_shuffle}, composed of
 * differentiable primitives (index selections, gathers, weighted sums, reshapes), so also
 * differentiable at every order.
 */
public final class Functional {
    private Functional() {}

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
            throw new IllegalArgumentException("layerNorm: input of shape " + Shape.format(s)
                    + " does not end with the normalized shape " + Shape.format(normalizedShape));
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
    public static Variable batchNorm(
            Variable x,
            Tensor runningMean,
            Tensor runningVar,
            Variable weight,
            Variable bias,
            boolean training,
            double momentum,
            double eps) {
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
            throw new IllegalArgumentException(
                    "batchNorm: expected more than 1 value per channel when training, got input " + Shape.format(s));
        }
        BatchNormFunction f = useBatch
                ? new BatchNormFunction(n, c, l, eps, null, null, weight != null, bias != null)
                : new BatchNormFunction(
                        n,
                        c,
                        l,
                        eps,
                        runningMean.toDoubleArray(),
                        runningVar.toDoubleArray(),
                        weight != null,
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
            rm.mul_(1 - m)
                    .add_(Tensor.wrap(mean).reshape(rm.shape()).to(rm.dtype()).mul(m));
            rv.mul_(1 - m)
                    .add_(Tensor.wrap(unbiased)
                            .reshape(rv.shape())
                            .to(rv.dtype())
                            .mul(m));
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
            throw new IllegalArgumentException("groupNorm: expected an input (N, C, ...) with C divisible by "
                    + numGroups + ", got " + Shape.format(s));
        }
        checkAffine("groupNorm", weight, new int[] {s[1]});
        checkAffine("groupNorm", bias, new int[] {s[1]});
        int per = s[0] == 0 ? 1 : x.numel() / (s[0] * numGroups);
        Variable y = RowNormFunction.normalize(x, per, eps, null, null);
        return channelAffine(y, weight, bias);
    }

    // ------------------------------------------------------------------------------------------ resampling

    /**
     * Resizes {@code x} to an output size, like {@code F.interpolate(x, size=size, mode=...,
     * align_corners=...)}: nearest ({@code "nearest"}, {@code "nearest-exact"}) on (N, C, L) or
     * (N, C, H, W); linear on (N, C, L); bilinear on (N, C, H, W). Each output position
     * {@code dst} reads the source position {@code dst * (in - 1) / (out - 1)} with
     * {@code alignCorners}, else {@code (dst + 0.5) * in / out - 0.5} (clamped at 0) for the linear
     * modes and {@code floor(dst * in / out)} for nearest, exactly as PyTorch's CPU kernels.
     *
     * @param x the input (N, C, L) or (N, C, H, W)
     * @param size the output size: one value for every spatial dimension, or one per dimension
     * @param mode the interpolation
     * @param alignCorners for the linear modes: whether the corner pixels of input and output are aligned
     * @return the resized input
     */
    public static Variable interpolate(Variable x, int[] size, InterpolationMode mode, boolean alignCorners) {
        return Resampling.interpolate("interpolate", x, size, null, mode, alignCorners, false);
    }

    /**
     * Resizes {@code x} by a scale factor, like {@code F.interpolate(x, scale_factor=scaleFactor,
     * mode=..., align_corners=...)}: the output size is {@code floor(in * scaleFactor)} and, as in
     * PyTorch, the source positions use {@code 1 / scaleFactor} as the scale (not
     * {@code in / out}).
     *
     * @param x the input (N, C, L) or (N, C, H, W)
     * @param scaleFactor one factor for every spatial dimension, or one per dimension
     * @param mode the interpolation
     * @param alignCorners for the linear modes: whether the corner pixels are aligned (then the
     *     scale is {@code (in - 1) / (out - 1)} whatever the factor)
     * @return the resized input
     */
    public static Variable interpolate(Variable x, double[] scaleFactor, InterpolationMode mode, boolean alignCorners) {
        return Resampling.interpolate("interpolate", x, null, scaleFactor, mode, alignCorners, false);
    }

    /**
     * The general form of {@code F.interpolate}: exactly one of {@code size} and {@code scaleFactor}
     * non-null; with {@code recomputeScaleFactor} the scale factor only determines the output size
     * and the source positions use {@code in / out}.
     *
     * @param x the input (N, C, L) or (N, C, H, W)
     * @param size the output size, or null
     * @param scaleFactor the scale factor, or null
     * @param mode the interpolation
     * @param alignCorners for the linear modes: whether the corner pixels are aligned
     * @param recomputeScaleFactor PyTorch's {@code recompute_scale_factor}
     * @return the resized input
     */
    public static Variable interpolate(
            Variable x,
            int[] size,
            double[] scaleFactor,
            InterpolationMode mode,
            boolean alignCorners,
            boolean recomputeScaleFactor) {
        return Resampling.interpolate("interpolate", x, size, scaleFactor, mode, alignCorners, recomputeScaleFactor);
    }

    /**
     * Adaptive max pooling of (N, C, H, W) to (N, C, outH, outW), like {@code F.adaptive_max_pool2d}:
     * output cell {@code (i, j)} is the maximum of rows {@code floor(i H / outH)} to
     * {@code ceil((i + 1) H / outH) - 1} and the same rule for columns. The gradient goes to the
     * first maximum of each window (in row-major order), as in PyTorch.
     *
     * @param x the input (N, C, H, W)
     * @param outH the output height
     * @param outW the output width
     * @return the pooled input
     */
    public static Variable adaptiveMaxPool2d(Variable x, int outH, int outW) {
        return Resampling.adaptiveMaxPool("adaptiveMaxPool2d", x, new int[] {outH, outW});
    }

    /**
     * Adaptive max pooling of (N, C, L) to (N, C, outL), like {@code F.adaptive_max_pool1d}.
     *
     * @param x the input (N, C, L)
     * @param outL the output length
     * @return the pooled input
     */
    public static Variable adaptiveMaxPool1d(Variable x, int outL) {
        return Resampling.adaptiveMaxPool("adaptiveMaxPool1d", x, new int[] {outL});
    }

    /**
     * Rearranges (N, C r^2, H, W) into (N, C, H r, W r), like {@code F.pixel_shuffle}: output pixel
     * {@code (c, h r + i, w r + j)} is input {@code (c r^2 + i r + j, h, w)}.
     *
     * @param x the input (N, C r^2, H, W)
     * @param upscaleFactor r
     * @return the rearranged input
     */
    public static Variable pixelShuffle(Variable x, int upscaleFactor) {
        return Resampling.pixelShuffle("pixelShuffle", x, upscaleFactor);
    }

    /**
     * The inverse of {@link #pixelShuffle}: (N, C, H r, W r) into (N, C r^2, H, W), like
     * {@code F.pixel_unshuffle}.
     *
     * @param x the input (N, C, H r, W r)
     * @param downscaleFactor r
     * @return the rearranged input
     */
    public static Variable pixelUnshuffle(Variable x, int downscaleFactor) {
        return Resampling.pixelUnshuffle("pixelUnshuffle", x, downscaleFactor);
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
            throw new IllegalArgumentException(op + ": weight or bias of shape " + Shape.format(p.shape())
                    + " does not match " + Shape.format(shape));
        }
    }
}
