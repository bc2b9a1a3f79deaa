package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;

/** 1-D max pooling of {@code (N, C, L)}, like {@code torch.nn.MaxPool1d}; see {@link MaxPool2d}. */
public class MaxPool1d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final boolean ceilMode;

    /**
     * Windows of {@code kernelSize} with the same stride.
     *
     * @param kernelSize the window length
     */
    public MaxPool1d(int kernelSize) {
        this(kernelSize, kernelSize, 0, 1, false);
    }

    /**
     * A fully configured pooling.
     *
     * @param kernelSize the window length
     * @param stride the step
     * @param padding implicit -infinity padding on both sides
     * @param dilation the spacing of window elements
     * @param ceilMode whether the output size rounds up
     */
    public MaxPool1d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        this.kernel = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
    }

    @Override
    public Variable forward(Variable x) {
        return NN.maxPool1d(x, kernel, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernelSize=" + kernel + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation
                + ", ceilMode=" + ceilMode;
    }
}
