package io.jgrad.core;

import io.jgrad.core.kernel.Parallel;
import java.util.Arrays;

/**
 * Convolutions and their two backward products, as plain tensor functions (no gradients are tracked:
 * the autograd module composes these). Semantics follow PyTorch's {@code torch.nn.functional.conv1d},
 * {@code conv2d} and {@code conv_transpose2d}.
 *
 * <p>Shapes: a 2-D convolution takes input (N, Cin, H, W) and weight (Cout, Cin/groups, kh, kw) and gives
 * (N, Cout, oh, ow) with {@code oh = floor((H + 2 * padding - dilation * (kh - 1) - 1) / stride) + 1}
 * (likewise ow). An unbatched input (Cin, H, W) gives (Cout, oh, ow). 1-D convolutions work on
 * (N, Cin, L) or (Cin, L) with weight (Cout, Cin/groups, k). The transposed convolution takes weight
 * (Cin, Cout/groups, kh, kw) like PyTorch. Arguments given per spatial dimension ({@code int[]}) hold
 * one value per dimension (height, width) or a single value used for both.
 *
 * <p>Tensors must all be FLOAT32 or all FLOAT64; they may be non-contiguous (they are copied to
 * contiguous form when needed). Bias may be null. Results are new contiguous tensors.
 *
 * <p>The work is lowered to the GEMM kernel ({@link io.jgrad.core.kernel.Kernels#sgemm}) through im2col
 * on cache-sized bands, with direct paths for 1x1 and depthwise convolutions, and spread over the shared
 * thread pool by image.
 */
public final class Convolution {
    private Convolution() {}

    // ------------------------------------------------------------------------------------------
    // 1-D
    // ------------------------------------------------------------------------------------------

    /**
     * 1-D convolution: input (N, Cin, L) or (Cin, L), weight (Cout, Cin/groups, k), optional bias (Cout)
     * gives (N, Cout, Lout) with {@code Lout = floor((L + 2 * padding - dilation * (k - 1) - 1) / stride) + 1}.
     *
     * @param input the input (N, Cin, L) or (Cin, L)
     * @param weight the filters (Cout, Cin/groups, k)
     * @param bias (Cout), or null
     * @param stride step between windows (at least 1)
     * @param padding zeros added on both sides (at least 0)
     * @param dilation spacing between kernel taps (at least 1)
     * @param groups number of channel groups; divides Cin and Cout
     * @return the output (N, Cout, Lout) or (Cout, Lout)
     */
    public static Tensor conv1d(
            Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return forward(
                "conv1d",
                1,
                input,
                weight,
                bias,
                new int[] {stride},
                new int[] {padding},
                new int[] {dilation},
                groups);
    }

    /**
     * Gradient of {@link #conv1d} with respect to its input.
     *
     * @param gradOutput gradient of the output (N, Cout, Lout) or (Cout, Lout)
     * @param weight the filters (Cout, Cin/groups, k)
     * @param inputShape shape of the forward input, (N, Cin, L) or (Cin, L)
     * @param stride as in the forward call
     * @param padding as in the forward call
     * @param dilation as in the forward call
     * @param groups as in the forward call
     * @return the input gradient, of shape {@code inputShape}
     */
    public static Tensor conv1dBackwardInput(
            Tensor gradOutput, Tensor weight, int[] inputShape, int stride, int padding, int dilation, int groups) {
        return backwardInput(
                "conv1dBackwardInput",
                1,
                gradOutput,
                weight,
                inputShape,
                new int[] {stride},
                new int[] {padding},
                new int[] {dilation},
                groups);
    }

    /**
     * Gradient of {@link #conv1d} with respect to its weight (summed over the batch).
     *
     * @param gradOutput gradient of the output (N, Cout, Lout) or (Cout, Lout)
     * @param input the forward input (N, Cin, L) or (Cin, L)
     * @param weightShape shape of the weight, (Cout, Cin/groups, k)
     * @param stride as in the forward call
     * @param padding as in the forward call
     * @param dilation as in the forward call
     * @param groups as in the forward call
     * @return the weight gradient, of shape {@code weightShape}
     */
    public static Tensor conv1dBackwardWeight(
            Tensor gradOutput, Tensor input, int[] weightShape, int stride, int padding, int dilation, int groups) {
        return backwardWeight(
                "conv1dBackwardWeight",
                1,
                gradOutput,
                input,
                weightShape,
                new int[] {stride},
                new int[] {padding},
                new int[] {dilation},
                groups);
    }

    // ------------------------------------------------------------------------------------------
    // 2-D
    // ------------------------------------------------------------------------------------------

    /**
     * 2-D convolution (cross-correlation, as in PyTorch): input (N, Cin, H, W) or (Cin, H, W), weight
     * (Cout, Cin/groups, kh, kw), optional bias (Cout) gives (N, Cout, oh, ow) with
     * {@code oh = floor((H + 2 * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0]) + 1}, likewise ow.
     *
     * @param input the input (N, Cin, H, W) or (Cin, H, W)
     * @param weight the filters (Cout, Cin/groups, kh, kw)
     * @param bias (Cout), or null
     * @param stride (sh, sw) or one value for both, at least 1
     * @param padding (ph, pw) or one value, at least 0: zeros added on both sides
     * @param dilation (dh, dw) or one value, at least 1
     * @param groups number of channel groups; divides Cin and Cout
     * @return the output (N, Cout, oh, ow) or (Cout, oh, ow)
     */
    public static Tensor conv2d(
            Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return forward("conv2d", 2, input, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * Gradient of {@link #conv2d} with respect to its input (the transposed convolution of
     * {@code gradOutput}).
     *
     * @param gradOutput gradient of the output (N, Cout, oh, ow) or (Cout, oh, ow)
     * @param weight the filters (Cout, Cin/groups, kh, kw)
     * @param inputShape shape of the forward input, (N, Cin, H, W) or (Cin, H, W)
     * @param stride as in the forward call
     * @param padding as in the forward call
     * @param dilation as in the forward call
     * @param groups as in the forward call
     * @return the input gradient, of shape {@code inputShape}
     */
    public static Tensor conv2dBackwardInput(
            Tensor gradOutput,
            Tensor weight,
            int[] inputShape,
            int[] stride,
            int[] padding,
            int[] dilation,
            int groups) {
        return backwardInput(
                "conv2dBackwardInput", 2, gradOutput, weight, inputShape, stride, padding, dilation, groups);
    }

    /**
     * Gradient of {@link #conv2d} with respect to its weight (summed over the batch).
     *
     * @param gradOutput gradient of the output (N, Cout, oh, ow) or (Cout, oh, ow)
     * @param input the forward input (N, Cin, H, W) or (Cin, H, W)
     * @param weightShape shape of the weight, (Cout, Cin/groups, kh, kw)
     * @param stride as in the forward call
     * @param padding as in the forward call
     * @param dilation as in the forward call
     * @param groups as in the forward call
     * @return the weight gradient, of shape {@code weightShape}
     */
    public static Tensor conv2dBackwardWeight(
            Tensor gradOutput,
            Tensor input,
            int[] weightShape,
            int[] stride,
            int[] padding,
            int[] dilation,
            int groups) {
        return backwardWeight(
                "conv2dBackwardWeight", 2, gradOutput, input, weightShape, stride, padding, dilation, groups);
    }

    /**
     * The gradient of a convolution's bias: {@code gradOutput} (N, Cout, ...) summed over the batch and
     * spatial dimensions, giving (Cout). Works for 1-D and 2-D, plain and transposed convolutions. An
     * unbatched gradient must be given a leading batch dimension first ({@code unsqueeze(0)}).
     *
     * @param gradOutput gradient of the output (N, Cout, ...), at least 2-D
     * @return (Cout)
     */
    public static Tensor biasBackward(Tensor gradOutput) {
        String op = "biasBackward";
        requireFloat(op, "gradOutput", gradOutput);
        int[] s = gradOutput.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException(
                    op + ": expected gradOutput of shape (N, C, ...), got " + Shape.format(s));
        }
        Tensor g = gradOutput.contiguous();
        int n = s[0];
        int c = s[1];
        int len = Shape.numel(Arrays.copyOfRange(s, 2, s.length));
        Tensor out = Tensor.allocate(g.dtype(), new int[] {c});
        sumPlanes(ConvOps.of(g.dtype()), g, n, c, len, out);
        return out;
    }

    private static <A> void sumPlanes(ConvOps<A> ops, Tensor g, int n, int c, int len, Tensor out) {
        A gd = ops.data(g);
        A od = ops.data(out);
        int base = g.offset();
        // one task per channel: it owns out[ch], so no reduction across threads
        Parallel.forRange(c, (int) Math.max(1, (1L << 16) / Math.max(1L, (long) n * len)), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                for (int img = 0; img < n; img++) {
                    ops.sumPlanes(gd, base + (img * c + ch) * len, 1, len, od, ch);
                }
            }
        });
    }

    // ------------------------------------------------------------------------------------------
    // Transposed 2-D
    // ------------------------------------------------------------------------------------------

    /**
     * Transposed 2-D convolution (PyTorch's {@code conv_transpose2d}): input (N, Cin, H, W) or
     * (Cin, H, W), weight (Cin, Cout/groups, kh, kw), optional bias (Cout) gives (N, Cout, oh, ow) with
     * {@code oh = (H - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + outputPadding[0] + 1}.
     * It is the gradient of {@link #conv2d} with respect to its input.
     *
     * @param input the input (N, Cin, H, W) or (Cin, H, W)
     * @param weight the filters (Cin, Cout/groups, kh, kw)
     * @param bias (Cout), or null
     * @param stride as for conv2d
     * @param padding as for conv2d (removed from the output)
     * @param outputPadding extra rows/columns added at the bottom/right of the output; each value must be
     *     smaller than the stride or the dilation of its dimension
     * @param dilation as for conv2d
     * @param groups number of channel groups; divides Cin and Cout
     * @return the output (N, Cout, oh, ow) or (Cout, oh, ow)
     */
    public static Tensor convTranspose2d(
            Tensor input,
            Tensor weight,
            Tensor bias,
            int[] stride,
            int[] padding,
            int[] outputPadding,
            int[] dilation,
            int groups) {
        String op = "convTranspose2d";
        requireFloat(op, "input", input, "weight", weight);
        if (bias != null) {
            requireFloat(op, "input", input, "bias", bias);
        }
        int[] xs = input.shape();
        int[] ws = weight.shape();
        boolean batched = checkRank(op, "input", xs, 2);
        int[] op2 = spatial(op, "outputPadding", outputPadding, 2, 0);
        ConvGeometry g = transposedGeometry(op, xs, ws, stride, padding, dilation, groups, op2, batched);
        checkBias(op, bias, g.cin, ws);
        ConvOps<Object> ops = ConvOps.of(input.dtype());
        Tensor x = as4d(input, 2, batched).contiguous();
        Tensor w = weight.contiguous();
        // the transposed convolution is conv2d's input gradient: x plays gradOutput, the output plays input
        Tensor out = Tensor.allocate(input.dtype(), new int[] {g.n, g.cin, g.h, g.w});
        Object od = ops.data(out);
        ConvEngine.backwardInput(ops, g, ops.data(x), x.offset(), ops.data(w), w.offset(), od, false);
        if (bias != null) {
            Tensor b = bias.contiguous();
            Object bd = ops.data(b);
            int plane = g.hw;
            Parallel.forRange(g.n, (int) Math.max(1, (1L << 16) / Math.max(1L, (long) g.cin * plane)), (from, to) -> {
                for (int img = from; img < to; img++) {
                    ops.addBias(od, img * g.cin * plane, g.cin, plane, bd, b.offset());
                }
            });
        }
        return from4d(out, 2, batched);
    }

    /**
     * Gradient of {@link #convTranspose2d} with respect to its input: {@code conv2d(gradOutput, weight,
     * null, stride, padding, dilation, groups)}. When an output padding is not smaller than the stride
     * (allowed when it is smaller than the dilation), this has extra rows or columns; use
     * {@link #convTranspose2dBackwardInput(Tensor, Tensor, int[], int[], int[], int[], int)} then.
     *
     * @param gradOutput gradient of the output (N, Cout, oh, ow) or (Cout, oh, ow)
     * @param weight the filters (Cin, Cout/groups, kh, kw)
     * @param stride as in the forward call
     * @param padding as in the forward call
     * @param dilation as in the forward call
     * @param groups as in the forward call
     * @return the input gradient (N, Cin, H, W) or (Cin, H, W)
     */
    public static Tensor convTranspose2dBackwardInput(
            Tensor gradOutput, Tensor weight, int[] stride, int[] padding, int[] dilation, int groups) {
        return forward("convTranspose2dBackwardInput", 2, gradOutput, weight, null, stride, padding, dilation, groups);
    }

    /**
     * Gradient of {@link #convTranspose2d} with respect to its input, cut to {@code inputShape}: exact for
     * every valid output padding.
     *
     * @param gradOutput gradient of the output (N, Cout, oh, ow) or (Cout, oh, ow)
     * @param weight the filters (Cin, Cout/groups, kh, kw)
     * @param inputShape shape of the forward input, (N, Cin, H, W) or (Cin, H, W)
     * @param stride as in the forward call
     * @param padding as in the forward call
     * @param dilation as in the forward call
     * @param groups as in the forward call
     * @return the input gradient, of shape {@code inputShape}
     */
    public static Tensor convTranspose2dBackwardInput(
            Tensor gradOutput,
            Tensor weight,
            int[] inputShape,
            int[] stride,
            int[] padding,
            int[] dilation,
            int groups) {
        String op = "convTranspose2dBackwardInput";
        requireFloat(op, "gradOutput", gradOutput, "weight", weight);
        requireShape(op, "inputShape", inputShape);
        boolean batched = checkRank(op, "inputShape", inputShape, 2);
        int[] gs = gradOutput.shape();
        if (gs.length != inputShape.length) {
            throw new IllegalArgumentException(op + ": gradOutput " + Shape.format(gs) + " and inputShape "
                    + Shape.format(inputShape) + " must both be batched or both unbatched");
        }
        transposedGeometryFor(op, inputShape, weight.shape(), gs, batched, stride, padding, dilation, groups);
        Tensor full = forward(op, 2, gradOutput, weight, null, stride, padding, dilation, groups);
        int hDim = batched ? 2 : 1;
        return full.narrow(hDim, 0, inputShape[hDim])
                .narrow(hDim + 1, 0, inputShape[hDim + 1])
                .contiguous();
    }

    /**
     * Gradient of {@link #convTranspose2d} with respect to its weight (summed over the batch).
     *
     * @param gradOutput gradient of the output (N, Cout, oh, ow) or (Cout, oh, ow)
     * @param input the forward input (N, Cin, H, W) or (Cin, H, W)
     * @param weightShape shape of the weight, (Cin, Cout/groups, kh, kw)
     * @param stride as in the forward call
     * @param padding as in the forward call
     * @param dilation as in the forward call
     * @param groups as in the forward call
     * @return the weight gradient, of shape {@code weightShape}
     */
    public static Tensor convTranspose2dBackwardWeight(
            Tensor gradOutput,
            Tensor input,
            int[] weightShape,
            int[] stride,
            int[] padding,
            int[] dilation,
            int groups) {
        String op = "convTranspose2dBackwardWeight";
        requireFloat(op, "gradOutput", gradOutput, "input", input);
        requireShape(op, "weightShape", weightShape);
        int[] xs = input.shape();
        int[] gs = gradOutput.shape();
        boolean batched = checkRank(op, "input", xs, 2);
        if (gs.length != xs.length) {
            throw new IllegalArgumentException(op + ": gradOutput " + Shape.format(gs) + " and input "
                    + Shape.format(xs) + " must both be batched or both unbatched");
        }
        ConvGeometry g = transposedGeometryFor(op, xs, weightShape, gs, batched, stride, padding, dilation, groups);
        ConvOps<Object> ops = ConvOps.of(input.dtype());
        Tensor x = as4d(input, 2, batched).contiguous();
        Tensor go = as4d(gradOutput, 2, batched).contiguous();
        Tensor gw = Tensor.allocate(input.dtype(), weightShape);
        // conv2d's weight gradient with the roles swapped: x plays gradOutput, gradOutput plays input
        ConvEngine.backwardWeight(ops, g, ops.data(x), x.offset(), ops.data(go), go.offset(), ops.data(gw));
        return gw;
    }

    // ------------------------------------------------------------------------------------------
    // Shared implementation of the plain convolutions (sd = number of spatial dims, 1 or 2)
    // ------------------------------------------------------------------------------------------

    private static Tensor forward(
            String op,
            int sd,
            Tensor input,
            Tensor weight,
            Tensor bias,
            int[] stride,
            int[] padding,
            int[] dilation,
            int groups) {
        requireFloat(op, "input", input, "weight", weight);
        if (bias != null) {
            requireFloat(op, "input", input, "bias", bias);
        }
        int[] xs = input.shape();
        boolean batched = checkRank(op, "input", xs, sd);
        ConvGeometry g = geometry(op, sd, xs, weight.shape(), stride, padding, dilation, groups);
        checkBias(op, bias, g.cout, weight.shape());
        ConvOps<Object> ops = ConvOps.of(input.dtype());
        Tensor x = as4d(input, sd, batched).contiguous();
        Tensor w = weight.contiguous();
        Tensor b = bias == null ? null : bias.contiguous();
        Tensor out = Tensor.allocate(input.dtype(), new int[] {g.n, g.cout, g.oh, g.ow});
        ConvEngine.forward(
                ops,
                g,
                ops.data(x),
                x.offset(),
                ops.data(w),
                w.offset(),
                b == null ? null : ops.data(b),
                b == null ? 0 : b.offset(),
                ops.data(out));
        return from4d(out, sd, batched);
    }

    private static Tensor backwardInput(
            String op,
            int sd,
            Tensor gradOutput,
            Tensor weight,
            int[] inputShape,
            int[] stride,
            int[] padding,
            int[] dilation,
            int groups) {
        requireFloat(op, "gradOutput", gradOutput, "weight", weight);
        requireShape(op, "inputShape", inputShape);
        boolean batched = checkRank(op, "inputShape", inputShape, sd);
        ConvGeometry g = geometry(op, sd, inputShape, weight.shape(), stride, padding, dilation, groups);
        checkGradOutput(op, sd, gradOutput.shape(), g, batched, "input", inputShape, weight.shape());
        ConvOps<Object> ops = ConvOps.of(gradOutput.dtype());
        Tensor go = as4d(gradOutput, sd, batched).contiguous();
        Tensor w = weight.contiguous();
        // a recycled array in a backward pass: the engine clears each image before gathering into it
        Tensor gin = Tensor.allocateScratch(gradOutput.dtype(), inputShape);
        ConvEngine.backwardInput(ops, g, ops.data(go), go.offset(), ops.data(w), w.offset(), ops.data(gin), true);
        return gin;
    }

    private static Tensor backwardWeight(
            String op,
            int sd,
            Tensor gradOutput,
            Tensor input,
            int[] weightShape,
            int[] stride,
            int[] padding,
            int[] dilation,
            int groups) {
        requireFloat(op, "gradOutput", gradOutput, "input", input);
        requireShape(op, "weightShape", weightShape);
        int[] xs = input.shape();
        boolean batched = checkRank(op, "input", xs, sd);
        ConvGeometry g = geometry(op, sd, xs, weightShape, stride, padding, dilation, groups);
        checkGradOutput(op, sd, gradOutput.shape(), g, batched, "input", xs, weightShape);
        ConvOps<Object> ops = ConvOps.of(input.dtype());
        Tensor go = as4d(gradOutput, sd, batched).contiguous();
        Tensor x = as4d(input, sd, batched).contiguous();
        Tensor gw = Tensor.allocate(input.dtype(), weightShape);
        ConvEngine.backwardWeight(ops, g, ops.data(go), go.offset(), ops.data(x), x.offset(), ops.data(gw));
        return gw;
    }

    // ------------------------------------------------------------------------------------------
    // Validation
    // ------------------------------------------------------------------------------------------

    /** Checks that the tensors are non-null, floating point and of one dtype. */
    private static void requireFloat(String op, String nameA, Tensor a, String nameB, Tensor b) {
        requireFloat(op, nameA, a);
        requireFloat(op, nameB, b);
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtype mismatch: " + nameA + " " + Shape.format(a.shape())
                    + " is " + a.dtype() + " but " + nameB + " " + Shape.format(b.shape()) + " is " + b.dtype()
                    + "; convert one with to(DType)");
        }
    }

    static void requireFloat(String op, String name, Tensor t) {
        if (t == null) {
            throw new NullPointerException(op + ": " + name + " must not be null");
        }
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a float32 or float64 " + name + ", got " + t.dtype()
                    + " " + Shape.format(t.shape()) + "; convert with to(DType.FLOAT32)");
        }
    }

    static void requireShape(String op, String name, int[] shape) {
        if (shape == null) {
            throw new NullPointerException(op + ": " + name + " must not be null");
        }
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(
                        op + ": " + name + " " + Shape.format(shape) + " has a negative size");
            }
        }
    }

    /** Checks rank sd + 2 (batched) or sd + 1 (unbatched); returns true when batched. */
    static boolean checkRank(String op, String name, int[] shape, int sd) {
        if (shape.length == sd + 2) {
            return true;
        }
        if (shape.length == sd + 1) {
            return false;
        }
        String expected = sd == 1 ? "(N, C, L) or (C, L)" : "(N, C, H, W) or (C, H, W)";
        throw new IllegalArgumentException(
                op + ": expected " + name + " of shape " + expected + ", got " + Shape.format(shape));
    }

    /**
     * A per-dimension argument as (h, w); for 1-D the height entry is {@code oneDValue} (the value that
     * makes the dummy height dimension of size 1 a no-op).
     */
    static int[] spatial(String op, String name, int[] v, int sd, int oneDValue) {
        if (v == null) {
            throw new NullPointerException(op + ": " + name + " must not be null");
        }
        if (v.length != 1 && v.length != sd) {
            throw new IllegalArgumentException(op + ": " + name + " needs " + (sd == 1 ? "1 value" : "1 or 2 values")
                    + ", got " + v.length + " " + Arrays.toString(v));
        }
        return new int[] {sd == 1 ? oneDValue : v[0], v[v.length - 1]};
    }

    /** Formats a per-dimension value pair for messages: {@code 3} in 1-D, {@code (3, 3)} in 2-D. */
    static String fmt(int sd, int h, int w) {
        return sd == 1 ? String.valueOf(w) : "(" + h + ", " + w + ")";
    }

    private static int[] checkedSpatial(String op, String name, int[] v, int sd, int min) {
        int[] r = spatial(op, name, v, sd, min);
        if (r[0] < min || r[1] < min) {
            throw new IllegalArgumentException(op + ": " + name + " must be " + (min == 0 ? "non-negative" : "positive")
                    + ", got " + fmt(sd, v[0], v[v.length - 1]));
        }
        return r;
    }

    /**
     * Validates a plain convolution of input {@code xs} with weight {@code ws} (user ranks) and returns
     * its geometry; the output size is computed from the input.
     */
    private static ConvGeometry geometry(
            String op, int sd, int[] xs, int[] ws, int[] stride, int[] padding, int[] dilation, int groups) {
        boolean batched = checkRank(op, "input", xs, sd);
        checkWeight(op, sd, ws, "(Cout, Cin/groups, " + (sd == 1 ? "k)" : "kh, kw)"));
        int[] s = checkedSpatial(op, "stride", stride, sd, 1);
        int[] p = checkedSpatial(op, "padding", padding, sd, 0);
        int[] d = checkedSpatial(op, "dilation", dilation, sd, 1);
        int[] x4 = to4d(xs, sd, batched);
        int[] w4 = to4d(ws, sd, true);
        int cin = x4[1];
        int cout = w4[0];
        if (groups < 1) {
            throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
        }
        if (w4[1] * groups != cin) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(xs) + " has " + cin
                    + " channels but weight " + Shape.format(ws) + " with groups=" + groups + " expects "
                    + w4[1] * groups + " (weight.size(1) * groups)");
        }
        if (cout % groups != 0) {
            throw new IllegalArgumentException(op + ": groups=" + groups + " does not divide the " + cout
                    + " output channels of weight " + Shape.format(ws));
        }
        int oh = convOutSize(x4[2], w4[2], s[0], p[0], d[0]);
        int ow = convOutSize(x4[3], w4[3], s[1], p[1], d[1]);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(xs) + " padded by "
                    + fmt(sd, p[0], p[1]) + " is smaller than the kernel " + fmt(sd, w4[2], w4[3])
                    + " dilated by " + fmt(sd, d[0], d[1]) + " of weight " + Shape.format(ws)
                    + ": the output size would be " + fmt(sd, oh, ow));
        }
        return new ConvGeometry(
                x4[0], cin, x4[2], x4[3], cout, w4[2], w4[3], s[0], s[1], p[0], p[1], d[0], d[1], groups, oh, ow);
    }

    /**
     * Validates a transposed convolution of input {@code xs} (N, Cin, H, W) with weight {@code ws}
     * (Cin, Cout/groups, kh, kw) and returns the geometry of the equivalent plain convolution, whose input
     * is the transposed output (N, Cout, oh, ow) and whose output is {@code xs}. {@code outputPadding} may
     * be null (then 0 is used).
     */
    private static ConvGeometry transposedGeometry(
            String op,
            int[] xs,
            int[] ws,
            int[] stride,
            int[] padding,
            int[] dilation,
            int groups,
            int[] outputPadding,
            boolean batched) {
        checkWeight(op, 2, ws, "(Cin, Cout/groups, kh, kw)");
        int[] s = checkedSpatial(op, "stride", stride, 2, 1);
        int[] p = checkedSpatial(op, "padding", padding, 2, 0);
        int[] d = checkedSpatial(op, "dilation", dilation, 2, 1);
        int[] opad = outputPadding == null ? new int[2] : outputPadding;
        if (opad[0] < 0 || opad[1] < 0) {
            throw new IllegalArgumentException(
                    op + ": outputPadding must be non-negative, got " + fmt(2, opad[0], opad[1]));
        }
        for (int k = 0; k < 2; k++) {
            if (opad[k] >= s[k] && opad[k] >= d[k]) {
                throw new IllegalArgumentException(op + ": outputPadding " + fmt(2, opad[0], opad[1])
                        + " must be smaller than either the stride " + fmt(2, s[0], s[1]) + " or the dilation "
                        + fmt(2, d[0], d[1]) + " in each dimension");
            }
        }
        int[] x4 = to4d(xs, 2, batched);
        int cin = x4[1];
        if (groups < 1) {
            throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
        }
        if (ws[0] != cin) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(xs) + " has " + cin
                    + " channels but weight " + Shape.format(ws) + " expects " + ws[0] + " (weight.size(0))");
        }
        if (cin % groups != 0) {
            throw new IllegalArgumentException(op + ": groups=" + groups + " does not divide the " + cin
                    + " input channels of input " + Shape.format(xs));
        }
        int cout = ws[1] * groups;
        int oh = (x4[2] - 1) * s[0] - 2 * p[0] + d[0] * (ws[2] - 1) + opad[0] + 1;
        int ow = (x4[3] - 1) * s[1] - 2 * p[1] + d[1] * (ws[3] - 1) + opad[1] + 1;
        if (x4[2] <= 0 || x4[3] <= 0 || oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(xs) + " with weight "
                    + Shape.format(ws) + ", stride " + fmt(2, s[0], s[1]) + ", padding " + fmt(2, p[0], p[1])
                    + " and dilation " + fmt(2, d[0], d[1]) + " gives an empty output of size " + fmt(2, oh, ow));
        }
        return new ConvGeometry(
                x4[0], cout, oh, ow, cin, ws[2], ws[3], s[0], s[1], p[0], p[1], d[0], d[1], groups, x4[2], x4[3]);
    }

    /**
     * The geometry of a transposed convolution of input {@code xs} whose output has shape {@code gs}: the
     * output padding is whatever {@code gs} implies, and must be valid.
     */
    private static ConvGeometry transposedGeometryFor(
            String op,
            int[] xs,
            int[] ws,
            int[] gs,
            boolean batched,
            int[] stride,
            int[] padding,
            int[] dilation,
            int groups) {
        checkWeight(op, 2, ws, "(Cin, Cout/groups, kh, kw)");
        int[] s = checkedSpatial(op, "stride", stride, 2, 1);
        int[] p = checkedSpatial(op, "padding", padding, 2, 0);
        int[] d = checkedSpatial(op, "dilation", dilation, 2, 1);
        if (groups < 1) {
            throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
        }
        int[] x4 = to4d(xs, 2, batched);
        int[] base = {
            x4[0],
            ws[1] * groups,
            (x4[2] - 1) * s[0] - 2 * p[0] + d[0] * (ws[2] - 1) + 1,
            (x4[3] - 1) * s[1] - 2 * p[1] + d[1] * (ws[3] - 1) + 1
        };
        boolean ok = gs.length == xs.length;
        int[] opad = new int[2];
        if (ok) {
            int[] g4 = to4d(gs, 2, batched);
            opad[0] = g4[2] - base[2];
            opad[1] = g4[3] - base[3];
            ok = g4[0] == base[0] && g4[1] == base[1];
            for (int k = 0; k < 2; k++) {
                ok &= opad[k] >= 0 && (opad[k] < s[k] || opad[k] < d[k]);
            }
        }
        if (!ok) {
            throw new IllegalArgumentException(op + ": gradOutput " + Shape.format(gs)
                    + " is not the output of a transposed convolution of input " + Shape.format(xs) + " with weight "
                    + Shape.format(ws) + ", stride " + fmt(2, s[0], s[1]) + ", padding " + fmt(2, p[0], p[1])
                    + ", dilation " + fmt(2, d[0], d[1]) + " and groups=" + groups + " (expected "
                    + Shape.format(userShape(base, 2, batched))
                    + " plus an output padding smaller than the stride or the dilation)");
        }
        return transposedGeometry(op, xs, ws, stride, padding, dilation, groups, opad, batched);
    }

    private static void checkWeight(String op, int sd, int[] ws, String expected) {
        if (ws.length != sd + 2) {
            throw new IllegalArgumentException(
                    op + ": expected weight of shape " + expected + ", got " + Shape.format(ws));
        }
        for (int v : ws) {
            if (v <= 0) {
                throw new IllegalArgumentException(op + ": weight " + Shape.format(ws) + " has an empty dimension");
            }
        }
    }

    private static void checkBias(String op, Tensor bias, int cout, int[] ws) {
        if (bias != null && (bias.dim() != 1 || bias.size(0) != cout)) {
            throw new IllegalArgumentException(op + ": bias must have shape (" + cout + ",) to match weight "
                    + Shape.format(ws) + ", got " + Shape.format(bias.shape()));
        }
    }

    private static void checkGradOutput(
            String op, int sd, int[] gs, ConvGeometry g, boolean batched, String xName, int[] xs, int[] ws) {
        int[] expected = userShape(new int[] {g.n, g.cout, g.oh, g.ow}, sd, batched);
        if (!Arrays.equals(gs, expected)) {
            throw new IllegalArgumentException(op + ": gradOutput " + Shape.format(gs) + " does not match the output "
                    + Shape.format(expected) + " of the convolution of " + xName + " " + Shape.format(xs)
                    + " with weight " + Shape.format(ws));
        }
    }

    /** PyTorch's convolution output size: floor((in + 2p - d(k-1) - 1) / s) + 1, or <= 0 when empty. */
    static int convOutSize(int in, int k, int s, int p, int d) {
        long span = (long) in + 2L * p - (long) d * (k - 1) - 1;
        return span < 0 ? 0 : (int) (span / s + 1);
    }

    // ------------------------------------------------------------------------------------------
    // Shape plumbing: every op runs on (N, C, H, W)
    // ------------------------------------------------------------------------------------------

    /** A user shape (batched or not, 1-D or 2-D) as (N, C, H, W). */
    static int[] to4d(int[] s, int sd, boolean batched) {
        int n = batched ? s[0] : 1;
        int c = s[batched ? 1 : 0];
        int h = sd == 1 ? 1 : s[s.length - 2];
        return new int[] {n, c, h, s[s.length - 1]};
    }

    /** The user-facing form of a (N, C, H, W) shape. */
    static int[] userShape(int[] s4, int sd, boolean batched) {
        int[] s = sd == 1 ? new int[] {s4[0], s4[1], s4[3]} : s4.clone();
        return batched ? s : Arrays.copyOfRange(s, 1, s.length);
    }

    /** A view of {@code t} as (N, C, H, W). */
    static Tensor as4d(Tensor t, int sd, boolean batched) {
        Tensor r = batched ? t : t.unsqueeze(0);
        return sd == 1 ? r.unsqueeze(2) : r;
    }

    /** The inverse of {@link #as4d} on a contiguous result. */
    static Tensor from4d(Tensor out, int sd, boolean batched) {
        int[] s = out.shape();
        return sd == 2 && batched ? out : out.view(userShape(s, sd, batched));
    }
}
