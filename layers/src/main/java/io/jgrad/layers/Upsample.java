package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import java.util.Arrays;

/**
 * Upsamples (resizes) its input, like {@code torch.nn.Upsample}: nearest, linear (N, C, L) or
 * bilinear (N, C, H, W) interpolation to a fixed output size or by a scale factor, with
 * {@code alignCorners} for the linear modes; see {@link Functional#interpolate}. No parameters.
 *
 * <pre>{@code
 * new Upsample(2.0, InterpolationMode.NEAREST);                 // (N, C, H, W) -> (N, C, 2H, 2W)
 * new Upsample(new int[] {32, 32}, InterpolationMode.BILINEAR, true);
 * }</pre>
 */
public class Upsample extends Module {
    private final int[] size;
    private final double[] scaleFactor;
    private final InterpolationMode mode;
    private final boolean alignCorners;

    /**
     * Nearest upsampling by {@code scaleFactor} in every spatial dimension.
     *
     * @param scaleFactor the factor (positive)
     */
    public Upsample(double scaleFactor) {
        this(scaleFactor, InterpolationMode.NEAREST);
    }

    /**
     * Upsampling by {@code scaleFactor} in every spatial dimension.
     *
     * @param scaleFactor the factor (positive)
     * @param mode the interpolation
     */
    public Upsample(double scaleFactor, InterpolationMode mode) {
        this(null, new double[] {scaleFactor}, mode, false);
    }

    /**
     * Upsampling by per-dimension factors.
     *
     * @param scaleFactor one factor, or one per spatial dimension
     * @param mode the interpolation
     * @param alignCorners for the linear modes: whether the corner pixels are aligned
     */
    public Upsample(double[] scaleFactor, InterpolationMode mode, boolean alignCorners) {
        this(null, scaleFactor, mode, alignCorners);
    }

    /**
     * Resizing to a fixed output size.
     *
     * @param size one size for every spatial dimension, or one per dimension
     * @param mode the interpolation
     * @param alignCorners for the linear modes: whether the corner pixels are aligned
     */
    public Upsample(int[] size, InterpolationMode mode, boolean alignCorners) {
        this(size, null, mode, alignCorners);
    }

    private Upsample(int[] size, double[] scaleFactor, InterpolationMode mode, boolean alignCorners) {
        if ((size == null) == (scaleFactor == null)
                || (size != null && size.length == 0)
                || (scaleFactor != null && scaleFactor.length == 0)) {
            throw new IllegalArgumentException("Upsample: give exactly one of an output size and a scale factor");
        }
        if (mode == null) {
            throw new IllegalArgumentException("Upsample: mode is null");
        }
        if (alignCorners && mode != InterpolationMode.LINEAR && mode != InterpolationMode.BILINEAR) {
            throw new IllegalArgumentException(
                    "Upsample: alignCorners can only be set with the interpolating modes linear and " + "bilinear, not "
                            + mode.torchName());
        }
        if (size != null && Arrays.stream(size).anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException(
                    "Upsample: the output size must be positive, got " + Arrays.toString(size));
        }
        if (scaleFactor != null && Arrays.stream(scaleFactor).anyMatch(v -> !(v > 0) || Double.isInfinite(v))) {
            throw new IllegalArgumentException(
                    "Upsample: the scale factor must be positive and finite, got " + Arrays.toString(scaleFactor));
        }
        this.size = size == null ? null : size.clone();
        this.scaleFactor = scaleFactor == null ? null : scaleFactor.clone();
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    @Override
    public Variable forward(Variable x) {
        return Resampling.interpolate(label(), x, size, scaleFactor, mode, alignCorners, false);
    }

    @Override
    protected String extraRepr() {
        return (size != null ? "size=" + Arrays.toString(size) : "scaleFactor=" + Arrays.toString(scaleFactor))
                + ", mode=" + mode.torchName() + (alignCorners ? ", alignCorners=true" : "");
    }
}
