package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;

/**
 * A transposed 1-D convolution (the gradient of {@link Conv1d} with respect to its input), like
 * {@code torch.nn.ConvTranspose1d}: an input {@code (N, C_in, L)} gives
 * {@code L_out = (L - 1) stride - 2 padding + dilation (k - 1) + outputPadding + 1}. Weight of shape
 * {@code (C_in, C_out / groups, k)}; see {@link ConvNd}. Options: stride, padding, output padding,
 * dilation, groups, bias. Computed as a {@link ConvTranspose2d} of height 1, so differentiable at
 * every order.
 */
public class ConvTranspose1d extends ConvNd {
    /**
     * A transposed convolution with default options.
     *
     * @param inChannels C_in
     * @param outChannels C_out
     * @param kernelSize the kernel's length
     */
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, ConvOptions.defaults());
    }

    /**
     * A transposed convolution with options.
     *
     * @param inChannels C_in
     * @param outChannels C_out
     * @param kernelSize the kernel's length
     * @param options stride, padding, outputPadding, dilation, groups, bias
     */
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        super("ConvTranspose1d", 1, true, inChannels, outChannels, new int[] {kernelSize}, options);
    }

    @Override
    public Variable forwardWith(Variable x, Variable weight, Variable bias) {
        Variable x2 = prepare(x, 1).unsqueeze(2);
        Variable w2 = weight.unsqueeze(2);
        return NN.convTranspose2d(
                        x2,
                        w2,
                        bias,
                        new int[] {1, stride[0]},
                        new int[] {0, convPadding[0]},
                        new int[] {0, outputPadding[0]},
                        new int[] {1, dilation[0]},
                        groups)
                .squeeze(2);
    }
}
