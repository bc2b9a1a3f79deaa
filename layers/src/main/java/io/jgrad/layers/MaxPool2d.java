package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;

/**
 * 2-D max pooling of {@code (N, C, H, W)}, like {@code torch.nn.MaxPool2d}: each output is the
 * maximum of a {@code kernel} window moved by {@code stride} (the kernel size by default) over the
 * input padded with -infinity, with optional dilation and ceil mode for the output size. The
 * gradient goes to the first maximum of each window.
 */
public class MaxPool2d extends Module {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;

    /**
     * Square windows with stride equal to the kernel size.
     *
     * @param kernelSize the window's height and width
     */
    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    /**
     * Square windows with the given stride and padding.
     *
     * @param kernelSize the window's height and width
     * @param stride the step in both directions
     * @param padding implicit -infinity padding on every side (at most half the kernel)
     */
    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(
                new int[] {kernelSize, kernelSize},
                new int[] {stride, stride},
                new int[] {padding, padding},
                new int[] {1, 1},
                false);
    }

    /**
     * A fully configured pooling.
     *
     * @param kernel (kh, kw)
     * @param stride (sh, sw)
     * @param padding (ph, pw)
     * @param dilation (dh, dw)
     * @param ceilMode whether the output size rounds up
     */
    public MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this.kernel = ConvOptions.expand("MaxPool2d", "kernelSize", kernel, 2);
        this.stride = ConvOptions.expand("MaxPool2d", "stride", stride, 2);
        this.padding = ConvOptions.expand("MaxPool2d", "padding", padding, 2);
        this.dilation = ConvOptions.expand("MaxPool2d", "dilation", dilation, 2);
        this.ceilMode = ceilMode;
    }

    @Override
    public Variable forward(Variable x) {
        return NN.maxPool2d(x, kernel, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernelSize=" + Shape.format(kernel) + ", stride=" + Shape.format(stride) + ", padding="
                + Shape.format(padding) + ", dilation=" + Shape.format(dilation) + ", ceilMode=" + ceilMode;
    }
}
