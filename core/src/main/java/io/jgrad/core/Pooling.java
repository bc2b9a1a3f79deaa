package io.jgrad.core;

import io.jgrad.core.kernel.Parallel;
import java.util.Arrays;

/**
 * Max, average and adaptive average pooling with their backward products, as plain tensor functions
 * with PyTorch 1.13's semantics ({@code torch.nn.functional.max_pool2d}, {@code avg_pool2d},
 * {@code adaptive_avg_pool2d} and the 1-D forms).
 *
 * <p>2-D ops take (N, C, H, W) or unbatched (C, H, W); 1-D ops take (N, C, L) or (C, L). Arguments given
 * per spatial dimension ({@code int[]}) hold (height, width) or one value for both; a null or empty
 * stride means "equal to the kernel", PyTorch's default. The output size along each dimension is
 * {@code floor((in + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1}, rounded up instead in ceil
 * mode except that the last window must start inside the input or its left padding. Padding may be at
 * most half the kernel size.
 *
 * <p>Tensors must be FLOAT32 or FLOAT64 (indices INT32); inputs may be non-contiguous. Results are new
 * contiguous tensors.
 */
public final class Pooling {
    /** Output elements times window size below which work stays on the calling thread. */
    private static final long MIN_PARALLEL_WORK = 1L << 15;

    private Pooling() {}

    /**
     * The result of max pooling: the maxima and, for each, the flat index {@code h * W + w} of the
     * chosen element within its (H, W) input plane (like PyTorch's {@code return_indices=True}).
     *
     * @param values the pooled values (N, C, oh, ow) or (C, oh, ow)
     * @param indices INT32, same shape as {@code values}
     */
    public record MaxResult(Tensor values, Tensor indices) {}

    // ------------------------------------------------------------------------------------------
    // Max pooling
    // ------------------------------------------------------------------------------------------

    /**
     * 2-D max pooling. Within each window the first largest element wins; a NaN always wins. Padding
     * counts as negative infinity.
     *
     * @param input (N, C, H, W) or (C, H, W)
     * @param kernel window size (kh, kw) or one value, at least 1
     * @param stride step (sh, sw) or one value, at least 1; null or empty for the kernel size
     * @param padding implicit negative infinity on both sides, at most half the kernel size
     * @param dilation spacing of the window elements, at least 1
     * @param ceilMode round the output size up instead of down
     * @return the values (N, C, oh, ow) and their INT32 indices in the input planes
     */
    public static MaxResult maxPool2d(
            Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return maxPool("maxPool2d", 2, input, kernel, stride, padding, dilation, ceilMode);
    }

    /**
     * Gradient of max pooling with respect to its input: each output gradient is added to the input
     * element its index names.
     *
     * @param gradOutput gradient of the values (N, C, oh, ow) or (C, oh, ow)
     * @param indices the INT32 indices returned by the forward call, same shape as {@code gradOutput}
     * @param inputShape shape of the forward input
     * @return the input gradient, of shape {@code inputShape}
     */
    public static Tensor maxPool2dBackward(Tensor gradOutput, Tensor indices, int[] inputShape) {
        return maxPoolBackward("maxPool2dBackward", 2, gradOutput, indices, inputShape);
    }

    /**
     * 1-D max pooling on (N, C, L) or (C, L); indices are positions in L.
     *
     * @param input (N, C, L) or (C, L)
     * @param kernel window size, at least 1
     * @param stride step, at least 1 (pass {@code kernel} for PyTorch's default)
     * @param padding implicit negative infinity on both sides, at most half the kernel size
     * @param dilation spacing of the window elements, at least 1
     * @param ceilMode round the output size up instead of down
     * @return the values (N, C, Lout) and their INT32 indices
     */
    public static MaxResult maxPool1d(
            Tensor input, int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        return maxPool(
                "maxPool1d",
                1,
                input,
                new int[] {kernel},
                new int[] {stride},
                new int[] {padding},
                new int[] {dilation},
                ceilMode);
    }

    /**
     * Gradient of {@link #maxPool1d} with respect to its input.
     *
     * @param gradOutput gradient of the values (N, C, Lout) or (C, Lout)
     * @param indices the INT32 indices returned by the forward call
     * @param inputShape shape of the forward input
     * @return the input gradient, of shape {@code inputShape}
     */
    public static Tensor maxPool1dBackward(Tensor gradOutput, Tensor indices, int[] inputShape) {
        return maxPoolBackward("maxPool1dBackward", 1, gradOutput, indices, inputShape);
    }

    private static MaxResult maxPool(
            String op,
            int sd,
            Tensor input,
            int[] kernel,
            int[] stride,
            int[] padding,
            int[] dilation,
            boolean ceilMode) {
        Convolution.requireFloat(op, "input", input);
        int[] xs = input.shape();
        boolean batched = Convolution.checkRank(op, "input", xs, sd);
        Spec s = spec(op, sd, xs, kernel, stride, padding, dilation, ceilMode);
        PoolWindows win = PoolWindows.max(s.h, s.w, s.oh, s.ow, s.kh, s.kw, s.sh, s.sw, s.ph, s.pw, s.dh, s.dw);
        PoolOps<Object> ops = PoolOps.of(input.dtype());
        Tensor x = Convolution.as4d(input, sd, batched).contiguous();
        int[] os = {s.n, s.c, s.oh, s.ow};
        Tensor out = Tensor.allocateScratch(input.dtype(), os); // every window writes its maximum
        Tensor ind = Tensor.allocate(DType.INT32, os);
        Object xd = ops.data(x);
        Object od = ops.data(out);
        int[] id = ind.intData();
        Parallel.forRange(s.n * s.c, grain(win), (from, to) -> ops.maxForward(win, xd, x.offset(), od, id, from, to));
        return new MaxResult(Convolution.from4d(out, sd, batched), Convolution.from4d(ind, sd, batched));
    }

    private static Tensor maxPoolBackward(String op, int sd, Tensor gradOutput, Tensor indices, int[] inputShape) {
        Convolution.requireFloat(op, "gradOutput", gradOutput);
        if (indices == null) {
            throw new NullPointerException(op + ": indices must not be null");
        }
        if (indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException(
                    op + ": indices must be int32, got " + indices.dtype() + " " + Shape.format(indices.shape()));
        }
        Convolution.requireShape(op, "inputShape", inputShape);
        int[] gs = gradOutput.shape();
        if (!Arrays.equals(gs, indices.shape())) {
            throw new IllegalArgumentException(op + ": gradOutput " + Shape.format(gs) + " and indices "
                    + Shape.format(indices.shape()) + " must have the same shape");
        }
        boolean batched = Convolution.checkRank(op, "inputShape", inputShape, sd);
        checkSameRank(op, gs, inputShape);
        int[] x4 = Convolution.to4d(inputShape, sd, batched);
        int[] g4 = Convolution.to4d(gs, sd, batched);
        if (x4[0] != g4[0] || x4[1] != g4[1]) {
            throw new IllegalArgumentException(op + ": gradOutput " + Shape.format(gs) + " and inputShape "
                    + Shape.format(inputShape) + " differ in batch size or channels");
        }
        Tensor g = Convolution.as4d(gradOutput, sd, batched).contiguous();
        Tensor ind = Convolution.as4d(indices, sd, batched).contiguous();
        int[] id = ind.intData();
        int hw = x4[2] * x4[3];
        int count = indices.numel();
        for (int o = 0; o < count; o++) {
            int v = id[ind.offset() + o];
            if (v < 0 || v >= hw) {
                throw new IndexOutOfBoundsException(op + ": index " + v + " is out of range for input planes of "
                        + fmt(sd, x4[2], x4[3]) + " (" + hw + " elements) in inputShape " + Shape.format(inputShape));
            }
        }
        PoolWindows win = PoolWindows.max(x4[2], x4[3], g4[2], g4[3], 1, 1, 1, 1, 0, 0, 1, 1);
        PoolOps<Object> ops = PoolOps.of(gradOutput.dtype());
        // every plane cleared by maxBackward before its gradients are scattered into it: in a backward
        // pass a recycled array (19 MB a step of the cnn workload's), not a new one zeroed by the JVM
        Tensor gin = Tensor.allocateScratch(gradOutput.dtype(), inputShape);
        Object gd = ops.data(g);
        Object gind = ops.data(gin);
        Parallel.forRange(
                x4[0] * x4[1],
                (int) Math.max(1, MIN_PARALLEL_WORK / Math.max(1, g4[2] * g4[3])),
                (from, to) -> ops.maxBackward(win, gd, g.offset(), id, ind.offset(), gind, from, to));
        return gin;
    }

    // ------------------------------------------------------------------------------------------
    // Average pooling
    // ------------------------------------------------------------------------------------------

    /**
     * 2-D average pooling. Each window's sum is divided by the window size including the zero padding
     * when {@code countIncludePad} (but never the part of a ceil-mode window beyond the padding), else by
     * the number of input elements in the window.
     *
     * @param input (N, C, H, W) or (C, H, W)
     * @param kernel window size (kh, kw) or one value, at least 1
     * @param stride step (sh, sw) or one value, at least 1; null or empty for the kernel size
     * @param padding zeros on both sides, at most half the kernel size
     * @param ceilMode round the output size up instead of down
     * @param countIncludePad whether the padding counts in the divisor
     * @return (N, C, oh, ow) or (C, oh, ow)
     */
    public static Tensor avgPool2d(
            Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        return avgPool("avgPool2d", 2, input, kernel, stride, padding, ceilMode, countIncludePad);
    }

    /**
     * Gradient of {@link #avgPool2d} with respect to its input.
     *
     * @param gradOutput gradient of the output (N, C, oh, ow) or (C, oh, ow)
     * @param inputShape shape of the forward input
     * @param kernel as in the forward call
     * @param stride as in the forward call
     * @param padding as in the forward call
     * @param ceilMode as in the forward call
     * @param countIncludePad as in the forward call
     * @return the input gradient, of shape {@code inputShape}
     */
    public static Tensor avgPool2dBackward(
            Tensor gradOutput,
            int[] inputShape,
            int[] kernel,
            int[] stride,
            int[] padding,
            boolean ceilMode,
            boolean countIncludePad) {
        return avgPoolBackward(
                "avgPool2dBackward", 2, gradOutput, inputShape, kernel, stride, padding, ceilMode, countIncludePad);
    }

    /**
     * 1-D average pooling on (N, C, L) or (C, L).
     *
     * @param input (N, C, L) or (C, L)
     * @param kernel window size, at least 1
     * @param stride step, at least 1 (pass {@code kernel} for PyTorch's default)
     * @param padding zeros on both sides, at most half the kernel size
     * @param ceilMode round the output size up instead of down
     * @param countIncludePad whether the padding counts in the divisor
     * @return (N, C, Lout) or (C, Lout)
     */
    public static Tensor avgPool1d(
            Tensor input, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        return avgPool(
                "avgPool1d",
                1,
                input,
                new int[] {kernel},
                new int[] {stride},
                new int[] {padding},
                ceilMode,
                countIncludePad);
    }

    /**
     * Gradient of {@link #avgPool1d} with respect to its input.
     *
     * @param gradOutput gradient of the output (N, C, Lout) or (C, Lout)
     * @param inputShape shape of the forward input
     * @param kernel as in the forward call
     * @param stride as in the forward call
     * @param padding as in the forward call
     * @param ceilMode as in the forward call
     * @param countIncludePad as in the forward call
     * @return the input gradient, of shape {@code inputShape}
     */
    public static Tensor avgPool1dBackward(
            Tensor gradOutput,
            int[] inputShape,
            int kernel,
            int stride,
            int padding,
            boolean ceilMode,
            boolean countIncludePad) {
        return avgPoolBackward(
                "avgPool1dBackward",
                1,
                gradOutput,
                inputShape,
                new int[] {kernel},
                new int[] {stride},
                new int[] {padding},
                ceilMode,
                countIncludePad);
    }

    private static Tensor avgPool(
            String op,
            int sd,
            Tensor input,
            int[] kernel,
            int[] stride,
            int[] padding,
            boolean ceilMode,
            boolean countIncludePad) {
        Convolution.requireFloat(op, "input", input);
        int[] xs = input.shape();
        boolean batched = Convolution.checkRank(op, "input", xs, sd);
        Spec s = spec(op, sd, xs, kernel, stride, padding, new int[] {1}, ceilMode);
        PoolWindows win = PoolWindows.avg(s.h, s.w, s.oh, s.ow, s.kh, s.kw, s.sh, s.sw, s.ph, s.pw, countIncludePad);
        return avgForward(input, sd, batched, s.n, s.c, win);
    }

    private static Tensor avgPoolBackward(
            String op,
            int sd,
            Tensor gradOutput,
            int[] inputShape,
            int[] kernel,
            int[] stride,
            int[] padding,
            boolean ceilMode,
            boolean countIncludePad) {
        Convolution.requireFloat(op, "gradOutput", gradOutput);
        Convolution.requireShape(op, "inputShape", inputShape);
        boolean batched = Convolution.checkRank(op, "inputShape", inputShape, sd);
        Spec s = spec(op, sd, inputShape, kernel, stride, padding, new int[] {1}, ceilMode);
        checkGradOutput(op, sd, gradOutput.shape(), inputShape, batched, s.oh, s.ow);
        PoolWindows win = PoolWindows.avg(s.h, s.w, s.oh, s.ow, s.kh, s.kw, s.sh, s.sw, s.ph, s.pw, countIncludePad);
        return avgBackward(gradOutput, inputShape, sd, batched, s.n, s.c, win);
    }

    // ------------------------------------------------------------------------------------------
    // Adaptive average pooling
    // ------------------------------------------------------------------------------------------

    /**
     * 2-D adaptive average pooling to a fixed output size: output cell (r, q) averages input rows
     * {@code [floor(r * H / outH), ceil((r + 1) * H / outH))} and the columns defined likewise.
     *
     * @param input (N, C, H, W) or (C, H, W) with C, H, W at least 1
     * @param outH output height, at least 0
     * @param outW output width, at least 0
     * @return (N, C, outH, outW) or (C, outH, outW)
     */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        return adaptive("adaptiveAvgPool2d", 2, input, outH, outW);
    }

    /**
     * Gradient of {@link #adaptiveAvgPool2d} with respect to its input; the output size is read from
     * {@code gradOutput}.
     *
     * @param gradOutput gradient of the output (N, C, outH, outW) or (C, outH, outW)
     * @param inputShape shape of the forward input
     * @return the input gradient, of shape {@code inputShape}
     */
    public static Tensor adaptiveAvgPool2dBackward(Tensor gradOutput, int[] inputShape) {
        return adaptiveBackward("adaptiveAvgPool2dBackward", 2, gradOutput, inputShape);
    }

    /**
     * 1-D adaptive average pooling of (N, C, L) or (C, L) to length {@code outL}.
     *
     * @param input (N, C, L) or (C, L)
     * @param outL output length, at least 0
     * @return (N, C, outL) or (C, outL)
     */
    public static Tensor adaptiveAvgPool1d(Tensor input, int outL) {
        return adaptive("adaptiveAvgPool1d", 1, input, 1, outL);
    }

    /**
     * Gradient of {@link #adaptiveAvgPool1d} with respect to its input.
     *
     * @param gradOutput gradient of the output (N, C, outL) or (C, outL)
     * @param inputShape shape of the forward input
     * @return the input gradient, of shape {@code inputShape}
     */
    public static Tensor adaptiveAvgPool1dBackward(Tensor gradOutput, int[] inputShape) {
        return adaptiveBackward("adaptiveAvgPool1dBackward", 1, gradOutput, inputShape);
    }

    private static Tensor adaptive(String op, int sd, Tensor input, int outH, int outW) {
        Convolution.requireFloat(op, "input", input);
        int[] xs = input.shape();
        boolean batched = Convolution.checkRank(op, "input", xs, sd);
        int[] x4 = Convolution.to4d(xs, sd, batched);
        checkNonEmpty(op, xs, x4);
        if (outH < 0 || outW < 0) {
            throw new IllegalArgumentException(op + ": output size must be non-negative, got " + fmt(sd, outH, outW));
        }
        PoolWindows win = PoolWindows.adaptive(x4[2], x4[3], outH, outW);
        return avgForward(input, sd, batched, x4[0], x4[1], win);
    }

    private static Tensor adaptiveBackward(String op, int sd, Tensor gradOutput, int[] inputShape) {
        Convolution.requireFloat(op, "gradOutput", gradOutput);
        Convolution.requireShape(op, "inputShape", inputShape);
        boolean batched = Convolution.checkRank(op, "inputShape", inputShape, sd);
        int[] gs = gradOutput.shape();
        checkSameRank(op, gs, inputShape);
        int[] x4 = Convolution.to4d(inputShape, sd, batched);
        int[] g4 = Convolution.to4d(gs, sd, batched);
        checkNonEmpty(op, inputShape, x4);
        if (x4[0] != g4[0] || x4[1] != g4[1]) {
            throw new IllegalArgumentException(op + ": gradOutput " + Shape.format(gs) + " and inputShape "
                    + Shape.format(inputShape) + " differ in batch size or channels");
        }
        PoolWindows win = PoolWindows.adaptive(x4[2], x4[3], g4[2], g4[3]);
        return avgBackward(gradOutput, inputShape, sd, batched, x4[0], x4[1], win);
    }

    // ------------------------------------------------------------------------------------------
    // Shared drivers
    // ------------------------------------------------------------------------------------------

    private static Tensor avgForward(Tensor input, int sd, boolean batched, int n, int c, PoolWindows win) {
        PoolOps<Object> ops = PoolOps.of(input.dtype());
        Tensor x = Convolution.as4d(input, sd, batched).contiguous();
        Tensor out = Tensor.allocate(input.dtype(), new int[] {n, c, win.oh, win.ow});
        Object xd = ops.data(x);
        Object od = ops.data(out);
        Parallel.forRange(n * c, grain(win), (from, to) -> ops.avgForward(win, xd, x.offset(), od, from, to));
        return Convolution.from4d(out, sd, batched);
    }

    private static Tensor avgBackward(
            Tensor gradOutput, int[] inputShape, int sd, boolean batched, int n, int c, PoolWindows win) {
        PoolOps<Object> ops = PoolOps.of(gradOutput.dtype());
        Tensor g = Convolution.as4d(gradOutput, sd, batched).contiguous();
        // every plane cleared by avgBackward before its gradients are added into it (a recycled array in
        // a backward pass)
        Tensor gin = Tensor.allocateScratch(gradOutput.dtype(), inputShape);
        Object gd = ops.data(g);
        Object gind = ops.data(gin);
        Parallel.forRange(n * c, grain(win), (from, to) -> ops.avgBackward(win, gd, g.offset(), gind, from, to));
        return gin;
    }

    private static int grain(PoolWindows win) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, MIN_PARALLEL_WORK / win.workPerPlane()));
    }

    // ------------------------------------------------------------------------------------------
    // Validation
    // ------------------------------------------------------------------------------------------

    /** Validated pooling sizes on the (N, C, H, W) view. */
    private static final class Spec {
        int n;
        int c;
        int h;
        int w;
        int kh;
        int kw;
        int sh;
        int sw;
        int ph;
        int pw;
        int dh;
        int dw;
        int oh;
        int ow;
    }

    private static Spec spec(
            String op, int sd, int[] xs, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        boolean batched = Convolution.checkRank(op, "input", xs, sd);
        int[] x4 = Convolution.to4d(xs, sd, batched);
        checkNonEmpty(op, xs, x4);
        int[] k = positive(op, "kernel", kernel, sd);
        int[] s = stride == null || stride.length == 0 ? k : positive(op, "stride", stride, sd);
        int[] p = Convolution.spatial(op, "padding", padding, sd, 0);
        if (p[0] < 0 || p[1] < 0) {
            throw new IllegalArgumentException(op + ": padding must be non-negative, got " + fmt(sd, p[0], p[1]));
        }
        int[] d = positive(op, "dilation", dilation, sd);
        if (p[0] > k[0] / 2 || p[1] > k[1] / 2) {
            throw new IllegalArgumentException(op + ": padding " + fmt(sd, p[0], p[1])
                    + " must be at most half the kernel size " + fmt(sd, k[0], k[1]));
        }
        Spec r = new Spec();
        r.n = x4[0];
        r.c = x4[1];
        r.h = x4[2];
        r.w = x4[3];
        r.kh = k[0];
        r.kw = k[1];
        r.sh = s[0];
        r.sw = s[1];
        r.ph = p[0];
        r.pw = p[1];
        r.dh = d[0];
        r.dw = d[1];
        r.oh = outSize(r.h, r.kh, r.ph, r.sh, r.dh, ceilMode);
        r.ow = outSize(r.w, r.kw, r.pw, r.sw, r.dw, ceilMode);
        if (r.oh <= 0 || r.ow <= 0) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(xs) + " is too small for kernel "
                    + fmt(sd, r.kh, r.kw) + " with padding " + fmt(sd, r.ph, r.pw) + ", stride " + fmt(sd, r.sh, r.sw)
                    + " and dilation " + fmt(sd, r.dh, r.dw) + ": the output size would be " + fmt(sd, r.oh, r.ow));
        }
        return r;
    }

    /** A per-dimension argument as (h, w) with every value at least 1 (1-D: height entry 1). */
    private static int[] positive(String op, String name, int[] v, int sd) {
        int[] r = Convolution.spatial(op, name, v, sd, 1);
        if (r[0] < 1 || r[1] < 1) {
            throw new IllegalArgumentException(op + ": " + name + " must be positive, got " + fmt(sd, r[0], r[1]));
        }
        return r;
    }

    /**
     * PyTorch's pooling output size: floor (or ceil) of (in + 2p - d(k-1) - 1) / s, plus 1; in ceil mode
     * the last window must start inside the input or the left padding.
     */
    static int outSize(int in, int k, int p, int s, int d, boolean ceilMode) {
        long num = (long) in + 2L * p - (long) d * (k - 1) - 1 + (ceilMode ? s - 1 : 0);
        long out = Math.floorDiv(num, (long) s) + 1;
        if (ceilMode && (out - 1) * s >= (long) in + p) {
            out--;
        }
        return (int) Math.max(Math.min(out, Integer.MAX_VALUE), Integer.MIN_VALUE);
    }

    private static void checkNonEmpty(String op, int[] xs, int[] x4) {
        if (x4[1] <= 0 || x4[2] <= 0 || x4[3] <= 0) {
            throw new IllegalArgumentException(
                    op + ": input " + Shape.format(xs) + " must have non-zero channel and spatial sizes");
        }
    }

    private static void checkSameRank(String op, int[] gs, int[] inputShape) {
        if (gs.length != inputShape.length) {
            throw new IllegalArgumentException(op + ": gradOutput " + Shape.format(gs) + " and inputShape "
                    + Shape.format(inputShape) + " must both be batched or both unbatched");
        }
    }

    private static void checkGradOutput(
            String op, int sd, int[] gs, int[] inputShape, boolean batched, int oh, int ow) {
        int[] x4 = Convolution.to4d(inputShape, sd, batched);
        int[] expected = Convolution.userShape(new int[] {x4[0], x4[1], oh, ow}, sd, batched);
        if (!Arrays.equals(gs, expected)) {
            throw new IllegalArgumentException(op + ": gradOutput " + Shape.format(gs)
                    + " does not match the pooled output " + Shape.format(expected) + " of input "
                    + Shape.format(inputShape));
        }
    }

    private static String fmt(int sd, int h, int w) {
        return Convolution.fmt(sd, h, w);
    }
}
