package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;

/**
 * A 1-D convolution over an input {@code (N, C_in, L)}, like {@code torch.nn.Conv1d}: output
 * {@code (N, C_out, L_out)} with {@code L_out = floor((L + 2 padding - dilation (k - 1) - 1) / stride)
 * + 1}. Options as for {@link Conv2d} through {@link ConvOptions}; parameters and initialization in
 * {@link ConvNd}.
 */
public class Conv1d extends ConvNd {
    /**
     * A convolution with default options.
     *
     * @param inChannels C_in
     * @param outChannels C_out
     * @param kernelSize k
     */
    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, ConvOptions.defaults());
    }

    /**
     * A convolution with options.
     *
     * @param inChannels C_in
     * @param outChannels C_out
     * @param kernelSize k
     * @param options stride, padding, dilation, groups, bias, padding mode (one value each)
     */
    public Conv1d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        super("Conv1d", 1, false, inChannels, outChannels, new int[] {kernelSize}, options);
    }

    @Override
    public Variable forwardWith(Variable x, Variable weight, Variable bias) {
        return NN.conv1d(prepare(x, 1), weight, bias, stride[0], convPadding[0], dilation[0], groups);
    }
}
