package io.jgrad.core;

import static io.jgrad.core.ConvolutionTest.assertClose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Convolution and pooling against PyTorch 1.13: the values in {@code src/test/resources/conv} were
 * computed in float64 by {@code generate_fixtures.py} in that folder (outputs, and gradients of
 * {@code sum(y * g)} from autograd). FLOAT32 runs use the same data rounded to float.
 */
class ConvFixtureTest {
    private static final double TOL64 = 1e-12;
    private static final double TOL32 = 2e-5;

    private static double tol(DType dtype) {
        return dtype == DType.FLOAT64 ? TOL64 : TOL32;
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv2d_grouped", "conv2d_depthwise", "conv2d_pointwise", "conv2d_same5x5"})
    void conv2d(String name) {
        ConvFixture f = ConvFixture.load(name);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = f.tensor("x", dtype);
            Tensor w = f.tensor("w", dtype);
            Tensor b = f.has("b") ? f.tensor("b", dtype) : null;
            Tensor g = f.tensor("g", dtype);
            int[] s = f.param("stride");
            int[] p = f.param("padding");
            int[] d = f.param("dilation");
            int groups = f.intParam("groups");
            String what = name + " " + dtype;
            assertClose(
                    what + " y", f.shape("y"), f.values("y"), Convolution.conv2d(x, w, b, s, p, d, groups), tol(dtype));
            assertClose(
                    what + " gx",
                    f.shape("gx"),
                    f.values("gx"),
                    Convolution.conv2dBackwardInput(g, w, x.shape(), s, p, d, groups),
                    tol(dtype));
            assertClose(
                    what + " gw",
                    f.shape("gw"),
                    f.values("gw"),
                    Convolution.conv2dBackwardWeight(g, x, w.shape(), s, p, d, groups),
                    tol(dtype));
            if (b != null) {
                assertClose(what + " gb", f.shape("gb"), f.values("gb"), Convolution.biasBackward(g), tol(dtype));
            }
        }
    }

    @Test
    void conv1d() {
        ConvFixture f = ConvFixture.load("conv1d_grouped");
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = f.tensor("x", dtype);
            Tensor w = f.tensor("w", dtype);
            Tensor b = f.tensor("b", dtype);
            Tensor g = f.tensor("g", dtype);
            int s = f.intParam("stride");
            int p = f.intParam("padding");
            int d = f.intParam("dilation");
            int groups = f.intParam("groups");
            assertClose(
                    "conv1d y", f.shape("y"), f.values("y"), Convolution.conv1d(x, w, b, s, p, d, groups), tol(dtype));
            assertClose(
                    "conv1d gx",
                    f.shape("gx"),
                    f.values("gx"),
                    Convolution.conv1dBackwardInput(g, w, x.shape(), s, p, d, groups),
                    tol(dtype));
            assertClose(
                    "conv1d gw",
                    f.shape("gw"),
                    f.values("gw"),
                    Convolution.conv1dBackwardWeight(g, x, w.shape(), s, p, d, groups),
                    tol(dtype));
            assertClose("conv1d gb", f.shape("gb"), f.values("gb"), Convolution.biasBackward(g), tol(dtype));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv_transpose2d_outpad", "conv_transpose2d_dilated"})
    void convTranspose2d(String name) {
        ConvFixture f = ConvFixture.load(name);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = f.tensor("x", dtype);
            Tensor w = f.tensor("w", dtype);
            Tensor b = f.has("b") ? f.tensor("b", dtype) : null;
            Tensor g = f.tensor("g", dtype);
            int[] s = f.param("stride");
            int[] p = f.param("padding");
            int[] op = f.param("outputPadding");
            int[] d = f.param("dilation");
            int groups = f.intParam("groups");
            String what = name + " " + dtype;
            assertClose(
                    what + " y",
                    f.shape("y"),
                    f.values("y"),
                    Convolution.convTranspose2d(x, w, b, s, p, op, d, groups),
                    tol(dtype));
            assertClose(
                    what + " gx",
                    f.shape("gx"),
                    f.values("gx"),
                    Convolution.convTranspose2dBackwardInput(g, w, x.shape(), s, p, d, groups),
                    tol(dtype));
            assertClose(
                    what + " gw",
                    f.shape("gw"),
                    f.values("gw"),
                    Convolution.convTranspose2dBackwardWeight(g, x, w.shape(), s, p, d, groups),
                    tol(dtype));
            if (b != null) {
                assertClose(what + " gb", f.shape("gb"), f.values("gb"), Convolution.biasBackward(g), tol(dtype));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_pool2d_ceil_pad", "max_pool2d_dilated", "max_pool2d_ceil_edge", "max_pool2d_plain"})
    void maxPool2d(String name) {
        ConvFixture f = ConvFixture.load(name);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = f.tensor("x", dtype);
            Pooling.MaxResult r = Pooling.maxPool2d(
                    x,
                    f.param("kernel"),
                    f.param("stride"),
                    f.param("padding"),
                    f.param("dilation"),
                    f.flag("ceilMode"));
            String what = name + " " + dtype;
            assertClose(what + " y", f.shape("y"), f.values("y"), r.values(), tol(dtype));
            assertClose(what + " indices", f.shape("indices"), f.values("indices"), r.indices(), 0);
            assertClose(
                    what + " gx",
                    f.shape("gx"),
                    f.values("gx"),
                    Pooling.maxPool2dBackward(f.tensor("g", dtype), r.indices(), x.shape()),
                    tol(dtype));
        }
    }

    @Test
    void maxPool1d() {
        ConvFixture f = ConvFixture.load("max_pool1d_ceil");
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = f.tensor("x", dtype);
            Pooling.MaxResult r = Pooling.maxPool1d(
                    x,
                    f.intParam("kernel"),
                    f.intParam("stride"),
                    f.intParam("padding"),
                    f.intParam("dilation"),
                    f.flag("ceilMode"));
            assertClose("max_pool1d y", f.shape("y"), f.values("y"), r.values(), tol(dtype));
            assertClose("max_pool1d indices", f.shape("indices"), f.values("indices"), r.indices(), 0);
            assertClose(
                    "max_pool1d gx",
                    f.shape("gx"),
                    f.values("gx"),
                    Pooling.maxPool1dBackward(f.tensor("g", dtype), r.indices(), x.shape()),
                    tol(dtype));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"avg_pool2d_ceil_nopad_count", "avg_pool2d_ceil_pad_count", "avg_pool2d_ceil_edge_count"})
    void avgPool2d(String name) {
        ConvFixture f = ConvFixture.load(name);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = f.tensor("x", dtype);
            int[] k = f.param("kernel");
            int[] s = f.param("stride");
            int[] p = f.param("padding");
            boolean ceil = f.flag("ceilMode");
            boolean include = f.flag("countIncludePad");
            String what = name + " " + dtype;
            assertClose(
                    what + " y", f.shape("y"), f.values("y"), Pooling.avgPool2d(x, k, s, p, ceil, include), tol(dtype));
            assertClose(
                    what + " gx",
                    f.shape("gx"),
                    f.values("gx"),
                    Pooling.avgPool2dBackward(f.tensor("g", dtype), x.shape(), k, s, p, ceil, include),
                    tol(dtype));
        }
    }

    @Test
    void avgPool1d() {
        ConvFixture f = ConvFixture.load("avg_pool1d_ceil");
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = f.tensor("x", dtype);
            int k = f.intParam("kernel");
            int s = f.intParam("stride");
            int p = f.intParam("padding");
            boolean ceil = f.flag("ceilMode");
            boolean include = f.flag("countIncludePad");
            assertClose(
                    "avg_pool1d y",
                    f.shape("y"),
                    f.values("y"),
                    Pooling.avgPool1d(x, k, s, p, ceil, include),
                    tol(dtype));
            assertClose(
                    "avg_pool1d gx",
                    f.shape("gx"),
                    f.values("gx"),
                    Pooling.avgPool1dBackward(f.tensor("g", dtype), x.shape(), k, s, p, ceil, include),
                    tol(dtype));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adaptive_avg_pool2d_down", "adaptive_avg_pool2d_up"})
    void adaptiveAvgPool2d(String name) {
        ConvFixture f = ConvFixture.load(name);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = f.tensor("x", dtype);
            int[] out = f.param("outputSize");
            String what = name + " " + dtype;
            assertClose(
                    what + " y", f.shape("y"), f.values("y"), Pooling.adaptiveAvgPool2d(x, out[0], out[1]), tol(dtype));
            assertClose(
                    what + " gx",
                    f.shape("gx"),
                    f.values("gx"),
                    Pooling.adaptiveAvgPool2dBackward(f.tensor("g", dtype), x.shape()),
                    tol(dtype));
        }
    }
}
