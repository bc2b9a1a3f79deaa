package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;

/** 1-D average pooling of {@code (N, C, L)}, like {@code torch.nn.AvgPool1d}; see {@link AvgPool2d}. */
public class AvgPool1d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    /**
     * Windows of {@code kernelSize} with the same stride.
     *
     * @param kernelSize the window length
     */
    public AvgPool1d(int kernelSize) {
        this(kernelSize, kernelSize, 0, false, true);
    }

    /**
     * A fully configured pooling.
     *
     * @param kernelSize the window length
     * @param stride the step
     * @param padding zeros added on both sides
     * @param ceilMode whether the output size rounds up
     * @param countIncludePad whether padded zeros count in the mean
     */
    public AvgPool1d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Variable forward(Variable x) {
        return NN.avgPool1d(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return "kernelSize=" + kernel + ", stride=" + stride + ", padding=" + padding + ", ceilMode=" + ceilMode
                + ", countIncludePad=" + countIncludePad;
    }
}
