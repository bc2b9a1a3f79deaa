package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;

/**
 * A transposed 2-D convolution (the gradient of {@link Conv2d} with respect to its input, used for
 * upsampling), like {@code torch.nn.ConvTranspose2d}: an input {@code (N, C_in, H, W)} gives
 * {@code H_out = (H - 1) stride - 2 padding + dilation (k - 1) + outputPadding + 1}. Weight of shape
 * {@code (C_in, C_out / groups, kh, kw)}; see {@link ConvNd}. Options: stride, padding, output
 * padding, dilation, groups, bias.
 */
public class ConvTranspose2d extends ConvNd {
    /**
     * A square-kernel transposed convolution with default options.
     *
     * @param inChannels C_in
     * @param outChannels C_out
     * @param kernelSize the kernel's height and width
     */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, new int[] {kernelSize}, ConvOptions.defaults());
    }

    /**
     * A square-kernel transposed convolution with options.
     *
     * @param inChannels C_in
     * @param outChannels C_out
     * @param kernelSize the kernel's height and width
     * @param options stride, padding, outputPadding, dilation, groups, bias
     */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        this(inChannels, outChannels, new int[] {kernelSize}, options);
    }

    /**
     * A transposed convolution with a (kh, kw) kernel and options.
     *
     * @param inChannels C_in
     * @param outChannels C_out
     * @param kernelSize (kh, kw), or one value for both
     * @param options stride, padding, outputPadding, dilation, groups, bias
     */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options) {
        super("ConvTranspose2d", 2, true, inChannels, outChannels, kernelSize, options);
    }

    @Override
    public Variable forwardWith(Variable x, Variable weight, Variable bias) {
        return NN.convTranspose2d(prepare(x, 2), weight, bias, stride, convPadding, outputPadding, dilation, groups);
    }
}
