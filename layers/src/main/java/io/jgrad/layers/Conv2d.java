package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;

/**
 * A 2-D convolution over an input {@code (N, C_in, H, W)}, like {@code torch.nn.Conv2d}: output
 * {@code (N, C_out, H_out, W_out)} with {@code H_out = floor((H + 2 padding - dilation (k - 1) - 1) /
 * stride) + 1}. Supports stride, padding (explicit, {@code "same"} or {@code "valid"}), dilation,
 * groups (depthwise when groups = C_in), bias on or off, and zero, reflect or replicate padding,
 * through {@link ConvOptions}. See {@link ConvNd} for the parameters and their initialization. The
 * work is lowered to GEMM by the core ({@link NN#conv2d}).
 */
public class Conv2d extends ConvNd {
    /**
     * A square-kernel convolution with default options.
     *
     * @param inChannels C_in
     * @param outChannels C_out
     * @param kernelSize the kernel's height and width
     */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, new int[] {kernelSize}, ConvOptions.defaults());
    }

    /**
     * A square-kernel convolution with the given stride and symmetric zero padding.
     *
     * @param inChannels C_in
     * @param outChannels C_out
     * @param kernelSize the kernel's height and width
     * @param stride the step in both directions
     * @param padding zeros added on every side
     */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(
                inChannels,
                outChannels,
                new int[] {kernelSize},
                ConvOptions.defaults().stride(stride).padding(padding));
    }

    /**
     * A square-kernel convolution with options.
     *
     * @param inChannels C_in
     * @param outChannels C_out
     * @param kernelSize the kernel's height and width
     * @param options stride, padding, dilation, groups, bias, padding mode
     */
    public Conv2d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        this(inChannels, outChannels, new int[] {kernelSize}, options);
    }

    /**
     * A convolution with a (kh, kw) kernel and options.
     *
     * @param inChannels C_in
     * @param outChannels C_out
     * @param kernelSize (kh, kw), or one value for both
     * @param options stride, padding, dilation, groups, bias, padding mode
     */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options) {
        super("Conv2d", 2, false, inChannels, outChannels, kernelSize, options);
    }

    @Override
    public Variable forwardWith(Variable x, Variable weight, Variable bias) {
        return NN.conv2d(prepare(x, 2), weight, bias, stride, convPadding, dilation, groups);
    }
}
