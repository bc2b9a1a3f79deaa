package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Convolution;
import io.jgrad.core.Int8Matmul;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An inference-only {@link Conv2d} with int8 weights quantized symmetrically per output channel
 * ({@link Quantization}) and float activations. When the output has at most
 * {@link Int8Matmul#DIRECT_ROWS} positions in all, the input's patches are gathered with strided views
 * (im2col, {@code (N * H_out * W_out, C_in * kh * kw)}) and multiplied by the int8 weight rows
 * {@code (C_out, C_in * kh * kw)} in the int8 kernel; otherwise the product is bound by arithmetic and
 * the weights, widened to float, go through the core's convolution (the weights stay int8 in memory
 * and on disk). Stride, dilation and every padding of {@link ConvOptions} are kept;
 * grouped convolutions are refused. State dict as {@link QuantizedLinear}.
 */
public class QuantizedConv2d extends QuantizedLayer {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] dilation;
    private final int[] convPadding;
    private final int[] explicitPads;
    private final Tensor.PadMode paddingMode;

    private QuantizedConv2d(Conv2d c) {
        super(c.weight().shape(), c.bias() != null);
        if (c.groups != 1) {
            throw new IllegalArgumentException(
                    "QuantizedConv2d: grouped convolutions are not supported, got groups=" + c.groups + " in " + c);
        }
        this.inChannels = c.inChannels;
        this.outChannels = c.outChannels;
        this.kernel = c.kernel.clone();
        this.stride = c.stride.clone();
        this.dilation = c.dilation.clone();
        this.convPadding = c.convPadding.clone();
        this.explicitPads = c.explicitPads == null ? null : c.explicitPads.clone();
        this.paddingMode = c.paddingMode;
    }

    /**
     * The quantized form of a trained convolution.
     *
     * @param conv the float layer (not changed), with groups 1
     * @return the int8 layer
     */
    public static QuantizedConv2d from(Conv2d conv) {
        QuantizedConv2d q = new QuantizedConv2d(conv);
        q.set(
                Quantization.quantizeWeight(conv.weight().data()),
                conv.bias() == null ? null : conv.bias().data());
        return q;
    }

    /**
     * An empty layer (zero weights) of a convolution's geometry, to load a saved quantized model into.
     *
     * @param geometry a float convolution of the same configuration (its weights are not used)
     * @return the int8 layer
     */
    public static QuantizedConv2d like(Conv2d geometry) {
        return new QuantizedConv2d(geometry);
    }

    @Override
    public Variable forward(Variable input) {
        Tensor x = input(input);
        int[] s = x.shape();
        if (s.length != 4 || s[1] != inChannels) {
            throw new IllegalArgumentException(
                    label() + ": expected an input (N, " + inChannels + ", H, W), got " + Shape.format(s));
        }
        if (explicitPads != null) {
            x = x.pad(explicitPads, paddingMode, 0);
        }
        int n = x.size(0);
        int hOut = (x.size(2) + 2 * convPadding[0] - dilation[0] * (kernel[0] - 1) - 1) / stride[0] + 1;
        int wOut = (x.size(3) + 2 * convPadding[1] - dilation[1] * (kernel[1] - 1) - 1) / stride[1] + 1;
        if (hOut < 1 || wOut < 1) {
            throw new IllegalArgumentException(
                    label() + ": input " + Shape.format(s) + " is smaller than the kernel " + Arrays.toString(kernel));
        }
        if ((long) n * hOut * wOut > Int8Matmul.DIRECT_ROWS) {
            // many output positions: the product is bound by arithmetic, not by reading the weights, so as
            // Int8Matmul does for large batches the weights are widened to float (one small tensor for a
            // convolution) and the core's convolution engine does the rest
            return Variable.constant(
                    Convolution.conv2d(x, dequantizedWeight(), biasForConvolution(), stride, convPadding, dilation, 1));
        }
        if (convPadding[0] > 0 || convPadding[1] > 0) {
            x = x.pad(convPadding[1], convPadding[1], convPadding[0], convPadding[0]);
        }
        // few output positions: im2col with views, one (N, C, H_out, W_out) slice per kernel offset stacked to
        // (N, C, kh * kw, H_out, W_out), then the int8 kernel
        List<Tensor> cols = new ArrayList<>();
        for (int di = 0; di < kernel[0]; di++) {
            for (int dj = 0; dj < kernel[1]; dj++) {
                int h0 = di * dilation[0];
                int w0 = dj * dilation[1];
                cols.add(x.slice(2, h0, h0 + stride[0] * (hOut - 1) + 1, stride[0])
                        .slice(3, w0, w0 + stride[1] * (wOut - 1) + 1, stride[1]));
            }
        }
        int k = inChannels * kernel[0] * kernel[1];
        Tensor patches =
                Tensor.stack(cols, 2).permute(0, 3, 4, 1, 2).contiguous().reshape(n * hOut * wOut, k);
        Tensor y = product(patches); // (N * H_out * W_out, C_out)
        return Variable.constant(
                y.reshape(n, hOut, wOut, outChannels).permute(0, 3, 1, 2).contiguous());
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernelSize=" + Shape.format(kernel) + ", stride="
                + Shape.format(stride) + ", int8";
    }
}
