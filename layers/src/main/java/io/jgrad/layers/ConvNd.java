package io.jgrad.layers;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.Arrays;

/**
 * The common part of the convolution layers ({@link Conv1d}, {@link Conv2d},
 * {@link ConvTranspose1d}, {@link ConvTranspose2d}): channel counts, kernel size, the settings of
 * {@link ConvOptions}, the parameters and PyTorch's initialization.
 *
 * <p>Parameters: {@code weight} of shape {@code (out, in / groups, *kernel)} (transposed:
 * {@code (in, out / groups, *kernel)}) and {@code bias (out)} unless disabled. Initialization (as
 * PyTorch): Kaiming uniform with {@code a = sqrt(5)}, i.e. {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))}
 * with {@code fanIn = weight.size(1) * prod(kernel)}, and the bias from the same range.
 */
public abstract class ConvNd extends Module implements WeightedLayer {
    final int inChannels;
    final int outChannels;
    final int[] kernel;
    final int[] stride;
    final int[] dilation;
    final int groups;
    final boolean transposed;
    final int[] outputPadding;
    final Tensor.PadMode paddingMode;
    final String paddingName;
    /** Symmetric padding given to the convolution itself. */
    final int[] convPadding;
    /** Padding applied to the input beforehand (F.pad order: last dimension first), or null. */
    final int[] explicitPads;

    ConvNd(
            String name,
            int dims,
            boolean transposed,
            int inChannels,
            int outChannels,
            int[] kernelSize,
            ConvOptions o) {
        if (o == null) {
            throw new IllegalArgumentException(name + ": options are null (use ConvOptions.defaults())");
        }
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException(
                    name + ": channel counts must be positive, got in=" + inChannels + ", out=" + outChannels);
        }
        if (inChannels % o.groups != 0 || outChannels % o.groups != 0) {
            throw new IllegalArgumentException(name + ": groups (" + o.groups + ") must divide both inChannels ("
                    + inChannels + ") and outChannels (" + outChannels + ")");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = ConvOptions.expand(name, "kernelSize", kernelSize, dims);
        for (int k : kernel) {
            if (k < 1) {
                throw new IllegalArgumentException(
                        name + ": kernel sizes must be positive, got " + Arrays.toString(kernelSize));
            }
        }
        this.stride = ConvOptions.expand(name, "stride", o.stride, dims);
        this.dilation = ConvOptions.expand(name, "dilation", o.dilation, dims);
        this.groups = o.groups;
        this.transposed = transposed;
        this.outputPadding = ConvOptions.expand(name, "outputPadding", o.outputPadding, dims);
        this.paddingMode = o.paddingMode;
        this.paddingName = o.paddingName;
        int[] pad = ConvOptions.expand(name, "padding", o.padding, dims);
        if (transposed) {
            if (o.paddingName != null || o.paddingMode != Tensor.PadMode.CONSTANT) {
                throw new IllegalArgumentException(
                        name + ": only explicit zero padding is supported for transposed convolutions");
            }
        } else if (Arrays.stream(outputPadding).anyMatch(v -> v != 0)) {
            throw new IllegalArgumentException(name + ": outputPadding is only for transposed convolutions");
        }
        int[] left = pad.clone();
        int[] right = pad.clone();
        if ("same".equals(o.paddingName)) {
            if (Arrays.stream(stride).anyMatch(s -> s != 1)) {
                throw new IllegalArgumentException(
                        name + ": padding \"same\" needs stride 1, got stride " + Arrays.toString(stride));
            }
            for (int d = 0; d < dims; d++) {
                int total = dilation[d] * (kernel[d] - 1);
                left[d] = total / 2;
                right[d] = total - left[d];
            }
        }
        if (Arrays.equals(left, right) && paddingMode == Tensor.PadMode.CONSTANT) {
            this.convPadding = left;
            this.explicitPads = null;
        } else {
            this.convPadding = new int[dims];
            this.explicitPads = new int[2 * dims];
            for (int d = 0; d < dims; d++) {
                explicitPads[2 * (dims - 1 - d)] = left[d];
                explicitPads[2 * (dims - 1 - d) + 1] = right[d];
            }
        }
        for (int d = 0; d < dims; d++) {
            if (transposed && outputPadding[d] >= Math.max(stride[d], dilation[d])) {
                throw new IllegalArgumentException(name + ": outputPadding " + Arrays.toString(outputPadding)
                        + " must be smaller than stride or dilation");
            }
        }
        int[] ws = new int[2 + dims];
        ws[0] = transposed ? inChannels : outChannels;
        ws[1] = transposed ? outChannels / groups : inChannels / groups;
        System.arraycopy(kernel, 0, ws, 2, dims);
        registerParameter("weight", new Parameter(Tensor.zeros(ws)));
        registerParameter("bias", o.bias ? new Parameter(Tensor.zeros(outChannels)) : null);
        resetParameters(Generator.global());
    }

    @Override
    public void resetParameters(Generator g) {
        Tensor w = parameter("weight").data();
        Init.kaimingUniform(w, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", g);
        Parameter b = parameter("bias");
        if (b != null) {
            double bound = 1 / Math.sqrt(Init.fans(w)[0]);
            Init.uniform(b.data(), -bound, bound, g);
        }
    }

    @Override
    public Variable forward(Variable x) {
        return forwardWith(x, param("weight"), param("bias"));
    }

    /** Checks the input's channels and rank and applies any explicit padding. */
    final Variable prepare(Variable x, int dims) {
        int[] s = x.shape();
        if (s.length != dims + 2 || s[1] != inChannels) {
            throw new IllegalArgumentException(label() + ": expected an input (N, " + inChannels
                    + (dims == 1 ? ", L" : ", H, W") + "), got " + Shape.format(s));
        }
        return explicitPads == null ? x : x.pad(explicitPads, paddingMode, 0);
    }

    @Override
    public Parameter weight() {
        return parameter("weight");
    }

    @Override
    public Parameter bias() {
        return parameter("bias");
    }

    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder();
        sb.append(inChannels)
                .append(", ")
                .append(outChannels)
                .append(", kernelSize=")
                .append(Shape.format(kernel));
        sb.append(", stride=").append(Shape.format(stride));
        if (paddingName != null) {
            sb.append(", padding=").append(paddingName);
        } else if (explicitPads != null || Arrays.stream(convPadding).anyMatch(v -> v != 0)) {
            sb.append(", padding=").append(Shape.format(explicitPads == null ? convPadding : halfPads()));
        }
        if (transposed && Arrays.stream(outputPadding).anyMatch(v -> v != 0)) {
            sb.append(", outputPadding=").append(Shape.format(outputPadding));
        }
        if (Arrays.stream(dilation).anyMatch(v -> v != 1)) {
            sb.append(", dilation=").append(Shape.format(dilation));
        }
        if (groups != 1) {
            sb.append(", groups=").append(groups);
        }
        if (parameter("bias") == null) {
            sb.append(", bias=false");
        }
        if (paddingMode != Tensor.PadMode.CONSTANT) {
            sb.append(", paddingMode=").append(paddingMode);
        }
        return sb.toString();
    }

    private int[] halfPads() {
        int dims = kernel.length;
        int[] p = new int[dims];
        for (int d = 0; d < dims; d++) {
            p[d] = explicitPads[2 * (dims - 1 - d)];
        }
        return p;
    }
}
