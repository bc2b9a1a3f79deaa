package io.jgrad.layers;

import io.jgrad.core.Tensor;
import java.util.Arrays;

/**
 * The settings of a convolution layer besides its channel counts and kernel size, as an immutable
 * value with PyTorch's defaults: stride 1, padding 0, dilation 1, one group, a bias, zero padding.
 * Each method returns a modified copy. Values given per dimension hold one value for all spatial
 * dimensions or one per dimension (height, width).
 *
 * <pre>{@code
 * new Conv2d(1, 32, 5, ConvOptions.defaults().padding("same"));
 * new Conv2d(32, 64, 3, ConvOptions.defaults().stride(2).padding(1).bias(false));
 * new ConvTranspose2d(64, 32, 4, ConvOptions.defaults().stride(2).padding(1));
 * }</pre>
 */
public final class ConvOptions {
    private static final ConvOptions DEFAULTS = new ConvOptions(
            new int[] {1}, new int[] {0}, null, new int[] {1}, 1, true, Tensor.PadMode.CONSTANT, new int[] {0});

    final int[] stride;
    final int[] padding;
    /** "same" or "valid", or null when {@link #padding} holds explicit sizes. */
    final String paddingName;

    final int[] dilation;
    final int groups;
    final boolean bias;
    final Tensor.PadMode paddingMode;
    final int[] outputPadding;

    private ConvOptions(
            int[] stride,
            int[] padding,
            String paddingName,
            int[] dilation,
            int groups,
            boolean bias,
            Tensor.PadMode paddingMode,
            int[] outputPadding) {
        this.stride = stride;
        this.padding = padding;
        this.paddingName = paddingName;
        this.dilation = dilation;
        this.groups = groups;
        this.bias = bias;
        this.paddingMode = paddingMode;
        this.outputPadding = outputPadding;
    }

    /**
     * PyTorch's defaults.
     *
     * @return the default options
     */
    public static ConvOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The step between windows.
     *
     * @param s one value, or one per spatial dimension (each at least 1)
     * @return a modified copy
     */
    public ConvOptions stride(int... s) {
        return new ConvOptions(
                positive("stride", s, 1), padding, paddingName, dilation, groups, bias, paddingMode, outputPadding);
    }

    /**
     * Explicit padding added on both sides of each spatial dimension.
     *
     * @param p one value, or one per spatial dimension (each at least 0)
     * @return a modified copy
     */
    public ConvOptions padding(int... p) {
        return new ConvOptions(
                stride, positive("padding", p, 0), null, dilation, groups, bias, paddingMode, outputPadding);
    }

    /**
     * Named padding: {@code "valid"} (none) or {@code "same"} (output size equals input size; needs
     * stride 1; an odd total padding puts the extra element at the end, as PyTorch does).
     *
     * @param name "same" or "valid"
     * @return a modified copy
     */
    public ConvOptions padding(String name) {
        if (!"same".equals(name) && !"valid".equals(name)) {
            throw new IllegalArgumentException(
                    "ConvOptions.padding: expected \"same\" or \"valid\", got \"" + name + "\"");
        }
        return new ConvOptions(stride, new int[] {0}, name, dilation, groups, bias, paddingMode, outputPadding);
    }

    /**
     * The spacing between kernel taps.
     *
     * @param d one value, or one per spatial dimension (each at least 1)
     * @return a modified copy
     */
    public ConvOptions dilation(int... d) {
        return new ConvOptions(
                stride, padding, paddingName, positive("dilation", d, 1), groups, bias, paddingMode, outputPadding);
    }

    /**
     * The number of channel groups (which divides both channel counts); equal to the input channels
     * for a depthwise convolution.
     *
     * @param g the group count (at least 1)
     * @return a modified copy
     */
    public ConvOptions groups(int g) {
        if (g < 1) {
            throw new IllegalArgumentException("ConvOptions.groups: must be at least 1, got " + g);
        }
        return new ConvOptions(stride, padding, paddingName, dilation, g, bias, paddingMode, outputPadding);
    }

    /**
     * Whether the layer has a bias.
     *
     * @param on true for a learned bias
     * @return a modified copy
     */
    public ConvOptions bias(boolean on) {
        return new ConvOptions(stride, padding, paddingName, dilation, groups, on, paddingMode, outputPadding);
    }

    /**
     * How padded positions are filled: {@code CONSTANT} (zeros, the default), {@code REFLECT} or
     * {@code REPLICATE}, like PyTorch's {@code padding_mode} (not for transposed convolutions).
     *
     * @param mode the padding mode
     * @return a modified copy
     */
    public ConvOptions paddingMode(Tensor.PadMode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("ConvOptions.paddingMode: mode is null");
        }
        return new ConvOptions(stride, padding, paddingName, dilation, groups, bias, mode, outputPadding);
    }

    /**
     * Extra size added to one side of the output of a transposed convolution (to choose among the
     * input sizes that a strided convolution maps to the same size).
     *
     * @param p one value, or one per spatial dimension (each at least 0, smaller than stride or dilation)
     * @return a modified copy
     */
    public ConvOptions outputPadding(int... p) {
        return new ConvOptions(
                stride, padding, paddingName, dilation, groups, bias, paddingMode, positive("outputPadding", p, 0));
    }

    private static int[] positive(String what, int[] v, int min) {
        if (v == null || v.length == 0 || v.length > 2) {
            throw new IllegalArgumentException("ConvOptions." + what + ": expected one value or one per dimension, got "
                    + (v == null ? "null" : Arrays.toString(v)));
        }
        for (int x : v) {
            if (x < min) {
                throw new IllegalArgumentException(
                        "ConvOptions." + what + ": values must be at least " + min + ", got " + Arrays.toString(v));
            }
        }
        return v.clone();
    }

    /** A per-dimension value expanded to {@code dims} entries. */
    static int[] expand(String layer, String what, int[] v, int dims) {
        if (v.length == dims) {
            return v.clone();
        }
        if (v.length == 1) {
            int[] r = new int[dims];
            Arrays.fill(r, v[0]);
            return r;
        }
        throw new IllegalArgumentException(layer + ": " + what + " " + Arrays.toString(v) + " has " + v.length
                + " values for " + dims + " spatial dimension(s)");
    }
}
