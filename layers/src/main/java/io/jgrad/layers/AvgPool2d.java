package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;

/**
 * 2-D average pooling of {@code (N, C, H, W)}, like {@code torch.nn.AvgPool2d}: each output is the
 * mean of a {@code kernel} window moved by {@code stride} (the kernel size by default); with
 * {@code countIncludePad} (the default) zero padding counts in the divisor.
 */
public class AvgPool2d extends Module {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    /**
     * Square windows with stride equal to the kernel size.
     *
     * @param kernelSize the window's height and width
     */
    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    /**
     * Square windows with the given stride and zero padding.
     *
     * @param kernelSize the window's height and width
     * @param stride the step in both directions
     * @param padding zeros added on every side
     */
    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding}, false, true);
    }

    /**
     * A fully configured pooling.
     *
     * @param kernel (kh, kw)
     * @param stride (sh, sw)
     * @param padding (ph, pw)
     * @param ceilMode whether the output size rounds up
     * @param countIncludePad whether padded zeros count in the mean
     */
    public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = ConvOptions.expand("AvgPool2d", "kernelSize", kernel, 2);
        this.stride = ConvOptions.expand("AvgPool2d", "stride", stride, 2);
        this.padding = ConvOptions.expand("AvgPool2d", "padding", padding, 2);
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Variable forward(Variable x) {
        return NN.avgPool2d(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return "kernelSize=" + Shape.format(kernel) + ", stride=" + Shape.format(stride) + ", padding="
                + Shape.format(padding) + ", ceilMode=" + ceilMode + ", countIncludePad=" + countIncludePad;
    }
}
