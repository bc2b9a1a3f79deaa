package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.List;

/** Convolution and pooling cases for the parity and gradient-check tests. */
final class ConvCases {
    private ConvCases() {}

    static ConvOptions o() {
        return ConvOptions.defaults();
    }

    static List<LayerParityTest.Case> cases() {
        return List.of(
                new LayerParityTest.Case("conv1d", () -> new Conv1d(3, 4, 3), true),
                new LayerParityTest.Case(
                        "conv1d_cfg",
                        () -> new Conv1d(
                                4, 6, 3, o().stride(2).padding(2).dilation(2).groups(2)),
                        true),
                new LayerParityTest.Case("conv1d_same_even", () -> new Conv1d(3, 4, 4, o().padding("same")), true),
                new LayerParityTest.Case(
                        "conv1d_nobias_valid",
                        () -> new Conv1d(2, 3, 2, o().padding("valid").bias(false)),
                        true),
                new LayerParityTest.Case("conv2d", () -> new Conv2d(3, 4, 3), true),
                new LayerParityTest.Case(
                        "conv2d_stride_pad",
                        () -> new Conv2d(
                                3, 4, new int[] {3, 2}, o().stride(2, 1).padding(1, 2)),
                        true),
                new LayerParityTest.Case("conv2d_same", () -> new Conv2d(2, 3, 5, o().padding("same")), true),
                new LayerParityTest.Case(
                        "conv2d_same_even", () -> new Conv2d(2, 3, new int[] {4, 3}, o().padding("same")), true),
                new LayerParityTest.Case(
                        "conv2d_same_dilated",
                        () -> new Conv2d(2, 3, 2, o().padding("same").dilation(3)),
                        true),
                new LayerParityTest.Case(
                        "conv2d_dilation_groups",
                        () -> new Conv2d(4, 6, 3, o().dilation(2).groups(2).bias(false)),
                        true),
                new LayerParityTest.Case(
                        "conv2d_depthwise",
                        () -> new Conv2d(3, 3, 3, o().groups(3).padding(1)),
                        true),
                new LayerParityTest.Case(
                        "conv2d_reflect",
                        () -> new Conv2d(2, 3, 3, o().padding(1).paddingMode(Tensor.PadMode.REFLECT)),
                        true),
                new LayerParityTest.Case(
                        "conv2d_replicate",
                        () -> new Conv2d(2, 3, 3, o().padding(2).paddingMode(Tensor.PadMode.REPLICATE)),
                        true),
                new LayerParityTest.Case("convtranspose2d", () -> new ConvTranspose2d(3, 2, 3), true),
                new LayerParityTest.Case(
                        "convtranspose2d_cfg",
                        () -> new ConvTranspose2d(
                                4,
                                6,
                                3,
                                o().stride(2).padding(1).outputPadding(1).groups(2)),
                        true),
                new LayerParityTest.Case(
                        "convtranspose2d_dilation",
                        () -> new ConvTranspose2d(
                                2,
                                3,
                                new int[] {2, 3},
                                o().stride(2, 1).dilation(2).bias(false)),
                        true),
                new LayerParityTest.Case("maxpool1d", () -> new MaxPool1d(2), true),
                new LayerParityTest.Case("maxpool1d_cfg", () -> new MaxPool1d(3, 2, 1, 1, true), true),
                new LayerParityTest.Case("maxpool2d", () -> new MaxPool2d(2), true),
                new LayerParityTest.Case(
                        "maxpool2d_cfg",
                        () -> new MaxPool2d(new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1, 2}, true),
                        true),
                new LayerParityTest.Case("avgpool1d", () -> new AvgPool1d(3, 2, 1, false, false), true),
                new LayerParityTest.Case("avgpool2d", () -> new AvgPool2d(2), true),
                new LayerParityTest.Case(
                        "avgpool2d_cfg",
                        () -> new AvgPool2d(new int[] {3}, new int[] {2}, new int[] {1}, true, false),
                        true),
                new LayerParityTest.Case("adaptiveavgpool2d", () -> new AdaptiveAvgPool2d(3, 2), true),
                new LayerParityTest.Case("adaptiveavgpool1d", () -> new AdaptiveAvgPool1d(4), true),
                new LayerParityTest.Case(
                        "weightnorm_conv2d", () -> new WeightNorm(new Conv2d(3, 4, 3, o().padding(1))), true),
                new LayerParityTest.Case(
                        "weightnorm_convtranspose2d",
                        () -> new WeightNorm(new ConvTranspose2d(3, 2, 2, o().stride(2))),
                        true));
    }

    static List<LayerGradCheckTest.Case> gradCheckCases() {
        return List.of(
                LayerGradCheckTest.c(
                        "Conv1d", () -> new Conv1d(2, 3, 3, o().stride(2).padding(1)), 2, 2, 5),
                LayerGradCheckTest.c(
                        "Conv1dSameEven",
                        () -> new Conv1d(2, 2, 2, o().padding("same").bias(false)),
                        1,
                        2,
                        4),
                LayerGradCheckTest.c("Conv2d", () -> new Conv2d(2, 2, 3, o().padding(1)), 1, 2, 4, 3),
                LayerGradCheckTest.c(
                        "Conv2dGroupsDilation",
                        () -> new Conv2d(2, 4, 2, o().groups(2).dilation(2).stride(1, 2)),
                        1,
                        2,
                        4,
                        5),
                LayerGradCheckTest.c(
                        "Conv2dSameReflect",
                        () -> new Conv2d(1, 2, 2, o().padding("same").paddingMode(Tensor.PadMode.REFLECT)),
                        1,
                        1,
                        3,
                        3),
                LayerGradCheckTest.c(
                        "ConvTranspose2d",
                        () -> new ConvTranspose2d(
                                2, 2, 2, o().stride(2).padding(1).outputPadding(1)),
                        1,
                        2,
                        2,
                        3),
                LayerGradCheckTest.c("MaxPool1d", () -> new MaxPool1d(2), 2, 2, 6),
                LayerGradCheckTest.c("MaxPool2d", () -> new MaxPool2d(2, 1, 1), 1, 2, 3, 3),
                LayerGradCheckTest.c("AvgPool1d", () -> new AvgPool1d(3, 2, 1, true, false), 2, 2, 6),
                LayerGradCheckTest.c("AvgPool2d", () -> new AvgPool2d(2, 1, 1), 1, 2, 3, 3),
                LayerGradCheckTest.c("AdaptiveAvgPool2d", () -> new AdaptiveAvgPool2d(2, 3), 1, 2, 3, 5),
                LayerGradCheckTest.c("AdaptiveAvgPool1d", () -> new AdaptiveAvgPool1d(3), 2, 2, 5),
                LayerGradCheckTest.c("WeightNormConv2d", () -> new WeightNorm(new Conv2d(2, 3, 2)), 1, 2, 3, 3),
                LayerGradCheckTest.c(
                        "SmallCnn",
                        () -> new Sequential(
                                new Conv2d(1, 2, 3, o().padding("same")),
                                new BatchNorm2d(2),
                                new ReLU(),
                                new MaxPool2d(2),
                                new Dropout2d(0.3),
                                new Flatten(),
                                new Linear(8, 2)),
                        2,
                        1,
                        4,
                        4));
    }

    /** Checks the default initialization of the convolution layers (PyTorch's bounds). */
    static void assertConvDefaults() {
        Generator.manualSeed(6);
        Conv2d c = new Conv2d(16, 64, 5);
        double bound = 1 / Math.sqrt(16 * 25);
        InitTest.assertUniform(c.weight().data(), bound);
        double[] b = InitTest.moments(c.bias().data());
        assertTrue(b[2] >= -bound && b[3] <= bound);
        ConvTranspose2d t = new ConvTranspose2d(64, 32, 4, o().groups(2));
        assertEquals(64, t.weight().size(0));
        assertEquals(16, t.weight().size(1));
        InitTest.assertUniform(t.weight().data(), 1 / Math.sqrt(16 * 16));
        Conv1d d = new Conv1d(8, 4, 3, o().groups(2).bias(false));
        assertTrue(d.bias() == null);
        assertTrue(d.weight().data().abs().max().item() <= 1 / Math.sqrt(4 * 3));
    }
}
