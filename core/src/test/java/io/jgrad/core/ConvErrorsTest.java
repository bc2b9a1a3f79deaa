package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every invalid convolution or pooling call fails with a message naming the op and the shapes. */
class ConvErrorsTest {
    private static final int[] ONE = {1};
    private static final int[] ZERO = {0};

    private static void fails(Class<? extends Throwable> type, String message, Executable call) {
        Throwable t = assertThrows(type, call);
        assertEquals(message, t.getMessage());
    }

    private static void fails(String message, Executable call) {
        fails(IllegalArgumentException.class, message, call);
    }

    @Test
    void conv2dArguments() {
        Tensor x = Tensor.zeros(2, 4, 5, 5);
        Tensor w = Tensor.zeros(6, 2, 3, 3);
        fails(
                "conv2d: input (2, 4, 5, 5) has 4 channels but weight (6, 2, 3, 3) with groups=1 expects 2"
                        + " (weight.size(1) * groups)",
                () -> Convolution.conv2d(x, w, null, ONE, ZERO, ONE, 1));
        fails(
                "conv2d: groups=4 does not divide the 6 output channels of weight (6, 1, 3, 3)",
                () -> Convolution.conv2d(x, Tensor.zeros(6, 1, 3, 3), null, ONE, ZERO, ONE, 4));
        fails(
                "conv2d: input (2, 4, 5, 5) has 4 channels but weight (6, 2, 3, 3) with groups=3 expects 6"
                        + " (weight.size(1) * groups)",
                () -> Convolution.conv2d(x, w, null, ONE, ZERO, ONE, 3));
        fails("conv2d: groups must be positive, got 0", () -> Convolution.conv2d(x, w, null, ONE, ZERO, ONE, 0));
        fails(
                "conv2d: stride must be positive, got (1, 0)",
                () -> Convolution.conv2d(x, w, null, new int[] {1, 0}, ZERO, ONE, 2));
        fails(
                "conv2d: padding must be non-negative, got (-1, -1)",
                () -> Convolution.conv2d(x, w, null, ONE, new int[] {-1}, ONE, 2));
        fails(
                "conv2d: dilation must be positive, got (0, 0)",
                () -> Convolution.conv2d(x, w, null, ONE, ZERO, ZERO, 2));
        fails(
                "conv2d: stride needs 1 or 2 values, got 3 [1, 1, 1]",
                () -> Convolution.conv2d(x, w, null, new int[] {1, 1, 1}, ZERO, ONE, 2));
        fails(
                NullPointerException.class,
                "conv2d: padding must not be null",
                () -> Convolution.conv2d(x, w, null, ONE, null, ONE, 2));
        fails(
                "conv2d: input (2, 4, 5, 5) padded by (0, 0) is smaller than the kernel (3, 3) dilated by (3, 3)"
                        + " of weight (6, 2, 3, 3): the output size would be (0, 0)",
                () -> Convolution.conv2d(x, w, null, ONE, ZERO, new int[] {3}, 2));
        fails(
                "conv2d: expected input of shape (N, C, H, W) or (C, H, W), got (4, 5)",
                () -> Convolution.conv2d(Tensor.zeros(4, 5), w, null, ONE, ZERO, ONE, 2));
        fails(
                "conv2d: expected weight of shape (Cout, Cin/groups, kh, kw), got (6, 2, 3)",
                () -> Convolution.conv2d(x, Tensor.zeros(6, 2, 3), null, ONE, ZERO, ONE, 2));
        fails(
                "conv2d: weight (6, 2, 0, 3) has an empty dimension",
                () -> Convolution.conv2d(x, Tensor.zeros(6, 2, 0, 3), null, ONE, ZERO, ONE, 2));
        fails(
                "conv2d: bias must have shape (6,) to match weight (6, 2, 3, 3), got (4,)",
                () -> Convolution.conv2d(x, w, Tensor.zeros(4), ONE, ZERO, ONE, 2));
        fails(
                "conv2d: dtype mismatch: input (2, 4, 5, 5) is float32 but weight (6, 2, 3, 3) is float64;"
                        + " convert one with to(DType)",
                () -> Convolution.conv2d(x, w.to(DType.FLOAT64), null, ONE, ZERO, ONE, 2));
        fails(
                "conv2d: dtype mismatch: input (2, 4, 5, 5) is float32 but bias (6,) is float64;"
                        + " convert one with to(DType)",
                () -> Convolution.conv2d(x, w, Tensor.zeros(DType.FLOAT64, 6), ONE, ZERO, ONE, 2));
        fails(
                "conv2d: expected a float32 or float64 input, got int32 (2, 4, 5, 5); convert with to(DType.FLOAT32)",
                () -> Convolution.conv2d(x.to(DType.INT32), w, null, ONE, ZERO, ONE, 2));
        fails(
                NullPointerException.class,
                "conv2d: weight must not be null",
                () -> Convolution.conv2d(x, null, null, ONE, ZERO, ONE, 2));
    }

    @Test
    void conv2dBackwardArguments() {
        Tensor x = Tensor.zeros(2, 4, 5, 5);
        Tensor w = Tensor.zeros(6, 2, 3, 3);
        Tensor g = Tensor.zeros(2, 6, 3, 3);
        fails(
                "conv2dBackwardInput: gradOutput (2, 6, 3, 3) does not match the output (2, 6, 5, 5) of the"
                        + " convolution of input (2, 4, 5, 5) with weight (6, 2, 3, 3)",
                () -> Convolution.conv2dBackwardInput(g, w, x.shape(), ONE, ONE, ONE, 2));
        fails(
                "conv2dBackwardWeight: gradOutput (2, 6, 3, 3) does not match the output (2, 6, 2, 2) of the"
                        + " convolution of input (2, 4, 5, 5) with weight (6, 2, 3, 3)",
                () -> Convolution.conv2dBackwardWeight(g, x, w.shape(), new int[] {2}, ZERO, ONE, 2));
        fails(
                "conv2dBackwardInput: expected inputShape of shape (N, C, H, W) or (C, H, W), got (2, 4)",
                () -> Convolution.conv2dBackwardInput(g, w, new int[] {2, 4}, ONE, ZERO, ONE, 2));
        fails(
                "conv2dBackwardInput: inputShape (2, -4, 5, 5) has a negative size",
                () -> Convolution.conv2dBackwardInput(g, w, new int[] {2, -4, 5, 5}, ONE, ZERO, ONE, 2));
        fails(
                "conv2dBackwardWeight: input (2, 4, 5, 5) has 4 channels but weight (6, 4, 3, 3) with groups=2"
                        + " expects 8 (weight.size(1) * groups)",
                () -> Convolution.conv2dBackwardWeight(g, x, new int[] {6, 4, 3, 3}, ONE, ZERO, ONE, 2));
        fails(
                "conv2dBackwardWeight: dtype mismatch: gradOutput (2, 6, 3, 3) is float64 but input (2, 4, 5, 5)"
                        + " is float32; convert one with to(DType)",
                () -> Convolution.conv2dBackwardWeight(g.to(DType.FLOAT64), x, w.shape(), ONE, ZERO, ONE, 2));
    }

    @Test
    void conv1dArguments() {
        Tensor x = Tensor.zeros(2, 4, 5);
        fails(
                "conv1d: input (2, 4, 5) padded by 0 is smaller than the kernel 7 dilated by 1 of weight (3, 4, 7):"
                        + " the output size would be 0",
                () -> Convolution.conv1d(x, Tensor.zeros(3, 4, 7), null, 1, 0, 1, 1));
        fails(
                "conv1d: expected input of shape (N, C, L) or (C, L), got (2, 4, 5, 5)",
                () -> Convolution.conv1d(Tensor.zeros(2, 4, 5, 5), Tensor.zeros(3, 4, 3), null, 1, 0, 1, 1));
        fails(
                "conv1d: stride must be positive, got 0",
                () -> Convolution.conv1d(x, Tensor.zeros(3, 4, 3), null, 0, 0, 1, 1));
        fails(
                "conv1dBackwardInput: gradOutput (2, 3, 4) does not match the output (2, 3, 3) of the convolution"
                        + " of input (2, 4, 5) with weight (3, 4, 3)",
                () -> Convolution.conv1dBackwardInput(
                        Tensor.zeros(2, 3, 4), Tensor.zeros(3, 4, 3), x.shape(), 1, 0, 1, 1));
    }

    @Test
    void convTranspose2dArguments() {
        Tensor x = Tensor.zeros(2, 4, 3, 3);
        Tensor w = Tensor.zeros(4, 3, 3, 3);
        fails(
                "convTranspose2d: outputPadding (2, 2) must be smaller than either the stride (2, 2) or the"
                        + " dilation (1, 1) in each dimension",
                () -> Convolution.convTranspose2d(x, w, null, new int[] {2}, ZERO, new int[] {2}, ONE, 1));
        fails(
                "convTranspose2d: input (2, 4, 3, 3) has 4 channels but weight (3, 3, 3, 3) expects 3"
                        + " (weight.size(0))",
                () -> Convolution.convTranspose2d(x, Tensor.zeros(3, 3, 3, 3), null, ONE, ZERO, ZERO, ONE, 1));
        fails(
                "convTranspose2d: groups=3 does not divide the 4 input channels of input (2, 4, 3, 3)",
                () -> Convolution.convTranspose2d(x, w, null, ONE, ZERO, ZERO, ONE, 3));
        fails(
                "convTranspose2d: input (2, 4, 3, 3) with weight (4, 3, 3, 3), stride (1, 1), padding (3, 3) and"
                        + " dilation (1, 1) gives an empty output of size (-1, -1)",
                () -> Convolution.convTranspose2d(x, w, null, ONE, new int[] {3}, ZERO, ONE, 1));
        fails(
                "convTranspose2d: bias must have shape (6,) to match weight (4, 3, 3, 3), got (3,)",
                () -> Convolution.convTranspose2d(x, w, Tensor.zeros(3), ONE, ZERO, ZERO, ONE, 2));
        fails(
                "convTranspose2dBackwardWeight: gradOutput (2, 3, 9, 9) is not the output of a transposed"
                        + " convolution of input (2, 4, 3, 3) with weight (4, 3, 3, 3), stride (2, 2), padding (0, 0),"
                        + " dilation (1, 1) and groups=1 (expected (2, 3, 7, 7) plus an output padding smaller than the"
                        + " stride or the dilation)",
                () -> Convolution.convTranspose2dBackwardWeight(
                        Tensor.zeros(2, 3, 9, 9), x, w.shape(), new int[] {2}, ZERO, ONE, 1));
    }

    @Test
    void biasBackwardArguments() {
        fails(
                "biasBackward: expected gradOutput of shape (N, C, ...), got (5,)",
                () -> Convolution.biasBackward(Tensor.zeros(5)));
    }

    @Test
    void poolingArguments() {
        Tensor x = Tensor.zeros(2, 3, 6, 6);
        fails(
                "maxPool2d: padding (2, 2) must be at most half the kernel size (3, 3)",
                () -> Pooling.maxPool2d(x, new int[] {3}, null, new int[] {2}, ONE, false));
        fails(
                "maxPool2d: input (2, 3, 6, 6) is too small for kernel (7, 7) with padding (0, 0), stride (7, 7)"
                        + " and dilation (1, 1): the output size would be (0, 0)",
                () -> Pooling.maxPool2d(x, new int[] {7}, null, ZERO, ONE, false));
        fails(
                "maxPool2d: kernel must be positive, got (0, 0)",
                () -> Pooling.maxPool2d(x, ZERO, null, ZERO, ONE, false));
        fails(
                "maxPool2d: stride must be positive, got (2, 0)",
                () -> Pooling.maxPool2d(x, new int[] {2}, new int[] {2, 0}, ZERO, ONE, false));
        fails(
                "maxPool2d: dilation must be positive, got (0, 0)",
                () -> Pooling.maxPool2d(x, new int[] {2}, null, ZERO, ZERO, false));
        fails(
                "maxPool2d: padding must be non-negative, got (-1, -1)",
                () -> Pooling.maxPool2d(x, new int[] {2}, null, new int[] {-1}, ONE, false));
        fails(
                "maxPool2d: expected input of shape (N, C, H, W) or (C, H, W), got (6, 6)",
                () -> Pooling.maxPool2d(Tensor.zeros(6, 6), new int[] {2}, null, ZERO, ONE, false));
        fails(
                "maxPool2d: input (2, 0, 6, 6) must have non-zero channel and spatial sizes",
                () -> Pooling.maxPool2d(Tensor.zeros(2, 0, 6, 6), new int[] {2}, null, ZERO, ONE, false));
        fails(
                "maxPool2d: expected a float32 or float64 input, got int32 (2, 3, 6, 6); convert with"
                        + " to(DType.FLOAT32)",
                () -> Pooling.maxPool2d(x.to(DType.INT32), new int[] {2}, null, ZERO, ONE, false));
        fails(
                "maxPool1d: padding 2 must be at most half the kernel size 3",
                () -> Pooling.maxPool1d(Tensor.zeros(2, 3, 6), 3, 1, 2, 1, false));
        fails(
                "avgPool1d: input (2, 3, 2) is too small for kernel 3 with padding 0, stride 3 and dilation 1:"
                        + " the output size would be 0",
                () -> Pooling.avgPool1d(Tensor.zeros(2, 3, 2), 3, 3, 0, false, true));
        fails(
                "avgPool2dBackward: gradOutput (2, 3, 2, 2) does not match the pooled output (2, 3, 3, 3) of input"
                        + " (2, 3, 6, 6)",
                () -> Pooling.avgPool2dBackward(
                        Tensor.zeros(2, 3, 2, 2), x.shape(), new int[] {2}, null, ZERO, false, true));
        fails(
                "adaptiveAvgPool2d: output size must be non-negative, got (-1, 2)",
                () -> Pooling.adaptiveAvgPool2d(x, -1, 2));
        fails(
                "adaptiveAvgPool2dBackward: gradOutput (2, 4, 2, 2) and inputShape (2, 3, 6, 6) differ in batch size"
                        + " or channels",
                () -> Pooling.adaptiveAvgPool2dBackward(Tensor.zeros(2, 4, 2, 2), x.shape()));
    }

    @Test
    void maxPoolBackwardArguments() {
        Tensor g = Tensor.zeros(2, 3, 3, 3);
        Tensor idx = Tensor.zeros(DType.INT32, 2, 3, 3, 3);
        int[] xs = {2, 3, 6, 6};
        fails(
                "maxPool2dBackward: indices must be int32, got float32 (2, 3, 3, 3)",
                () -> Pooling.maxPool2dBackward(g, Tensor.zeros(2, 3, 3, 3), xs));
        fails(
                "maxPool2dBackward: gradOutput (2, 3, 3, 3) and indices (2, 3, 3, 2) must have the same shape",
                () -> Pooling.maxPool2dBackward(g, Tensor.zeros(DType.INT32, 2, 3, 3, 2), xs));
        fails(
                "maxPool2dBackward: gradOutput (2, 3, 3, 3) and inputShape (2, 4, 6, 6) differ in batch size or"
                        + " channels",
                () -> Pooling.maxPool2dBackward(g, idx, new int[] {2, 4, 6, 6}));
        fails(
                "maxPool2dBackward: gradOutput (2, 3, 3, 3) and inputShape (3, 6, 6) must both be batched or both"
                        + " unbatched",
                () -> Pooling.maxPool2dBackward(g, idx, new int[] {3, 6, 6}));
        Tensor bad = Tensor.zeros(DType.INT32, 2, 3, 3, 3).set(36, 1, 2, 0, 1);
        fails(
                IndexOutOfBoundsException.class,
                "maxPool2dBackward: index 36 is out of range for input planes of"
                        + " (6, 6) (36 elements) in inputShape (2, 3, 6, 6)",
                () -> Pooling.maxPool2dBackward(g, bad, xs));
    }
}
