package io.jgrad.layers;

import java.util.List;

/**
 * Cases of the resampling layers (Upsample, ConvTranspose1d, adaptive max pooling, pixel shuffle)
 * for the parity and gradient-check tests; fixtures from
 * {@code src/test/python/make_resampling_fixtures.py}.
 */
final class ResamplingCases {
    private ResamplingCases() {}

    static LayerParityTest.Case p(String name, java.util.function.Supplier<Module> make) {
        return new LayerParityTest.Case(name, make, true);
    }

    static List<LayerParityTest.Case> cases() {
        InterpolationMode nearest = InterpolationMode.NEAREST;
        InterpolationMode bilinear = InterpolationMode.BILINEAR;
        ConvOptions o = ConvOptions.defaults();
        return List.of(
                p("upsample_nearest_2x", () -> new Upsample(2)),
                p("upsample_nearest_size", () -> new Upsample(new int[] {7, 3}, nearest, false)),
                p("upsample_nearest_frac", () -> new Upsample(new double[] {1.5, 2.3}, nearest, false)),
                p(
                        "upsample_nearest_exact",
                        () -> new Upsample(new int[] {6, 8}, InterpolationMode.NEAREST_EXACT, false)),
                p("upsample_bilinear_2x", () -> new Upsample(2, bilinear)),
                p("upsample_bilinear_size", () -> new Upsample(new int[] {7, 3}, bilinear, false)),
                p("upsample_bilinear_frac", () -> new Upsample(new double[] {1.5, 2.3}, bilinear, false)),
                p("upsample_bilinear_align", () -> new Upsample(new int[] {7, 9}, bilinear, true)),
                p("upsample_bilinear_align_scale", () -> new Upsample(new double[] {1.7}, bilinear, true)),
                p("upsample_bilinear_align_one", () -> new Upsample(new int[] {1, 6}, bilinear, true)),
                p("upsample_bilinear_down", () -> new Upsample(new int[] {3, 2}, bilinear, false)),
                p("upsample_linear_1d", () -> new Upsample(2.5, InterpolationMode.LINEAR)),
                p("upsample_nearest_1d", () -> new Upsample(new int[] {9}, nearest, false)),
                p(
                        "interpolate_recompute",
                        () -> new Lambda(
                                "interpolate",
                                x -> Functional.interpolate(x, null, new double[] {1.6}, bilinear, false, true))),
                p("convtranspose1d", () -> new ConvTranspose1d(3, 2, 3)),
                p(
                        "convtranspose1d_cfg",
                        () -> new ConvTranspose1d(
                                4, 6, 3, o.stride(2).padding(1).outputPadding(1).groups(2))),
                p(
                        "convtranspose1d_dilation",
                        () -> new ConvTranspose1d(
                                2,
                                3,
                                2,
                                o.stride(3)
                                        .padding(2)
                                        .dilation(2)
                                        .outputPadding(2)
                                        .bias(false))),
                p("adaptivemaxpool2d", () -> new AdaptiveMaxPool2d(3, 2)),
                p("adaptivemaxpool2d_up", () -> new AdaptiveMaxPool2d(5, 4)),
                p("adaptivemaxpool1d", () -> new AdaptiveMaxPool1d(4)),
                p("adaptivemaxpool1d_overlap", () -> new AdaptiveMaxPool1d(5)),
                p("pixelshuffle", () -> new PixelShuffle(2)),
                p("pixelshuffle_3", () -> new PixelShuffle(3)),
                p("pixelunshuffle", () -> new PixelUnshuffle(2)));
    }

    static List<LayerGradCheckTest.Case> gradCheckCases() {
        InterpolationMode bilinear = InterpolationMode.BILINEAR;
        ConvOptions o = ConvOptions.defaults();
        return List.of(
                LayerGradCheckTest.c(
                        "UpsampleNearest",
                        () -> new Upsample(new double[] {1.5, 2}, InterpolationMode.NEAREST, false),
                        1,
                        2,
                        2,
                        3),
                LayerGradCheckTest.c(
                        "UpsampleBilinear", () -> new Upsample(new int[] {3, 5}, bilinear, false), 1, 2, 2, 3),
                LayerGradCheckTest.c("UpsampleBilinear2x", () -> new Upsample(2, bilinear), 1, 1, 2, 3),
                LayerGradCheckTest.c(
                        "UpsampleBilinearAlignCorners",
                        () -> new Upsample(new int[] {4, 2}, bilinear, true),
                        1,
                        2,
                        3,
                        3),
                LayerGradCheckTest.c(
                        "UpsampleLinear",
                        () -> new Upsample(new double[] {1.7}, InterpolationMode.LINEAR, true),
                        2,
                        2,
                        3),
                LayerGradCheckTest.c(
                        "ConvTranspose1d",
                        () -> new ConvTranspose1d(
                                2, 4, 3, o.stride(2).padding(1).outputPadding(1).groups(2)),
                        2,
                        2,
                        3),
                LayerGradCheckTest.c("AdaptiveMaxPool2d", () -> new AdaptiveMaxPool2d(2, 3), 1, 2, 3, 5),
                LayerGradCheckTest.c("AdaptiveMaxPool1d", () -> new AdaptiveMaxPool1d(3), 2, 2, 5),
                LayerGradCheckTest.c("PixelShuffle", () -> new PixelShuffle(2), 1, 8, 2, 1),
                LayerGradCheckTest.c("PixelUnshuffle", () -> new PixelUnshuffle(2), 1, 2, 2, 4),
                LayerGradCheckTest.c(
                        "UpsampleConvChain",
                        () -> new Sequential(new Upsample(2, bilinear), new Conv2d(2, 2, 3), new AdaptiveMaxPool2d(2)),
                        1,
                        2,
                        2,
                        2));
    }
}
