package io.jgrad.autograd;

import static io.jgrad.autograd.Graph.record;

import io.jgrad.core.Convolution;
import io.jgrad.core.Pooling;
import io.jgrad.core.Tensor;

/**
 * Convolution and pooling on variables. Forward and both backward products come from core's
 * GEMM-lowered kernels; the gradients are constants (first order only).
 */
final class ConvOps {
    private ConvOps() {
    }

    private static Variable k(Tensor t) {
        return Variable.constant(t);
    }

    private static Variable[] inputs(Variable x, Variable w, Variable b) {
        return b == null ? new Variable[] {x, w} : new Variable[] {x, w, b};
    }

    static Variable conv1d(Variable x, Variable w, Variable b, int stride, int padding, int dilation, int groups) {
        Tensor out = Convolution.conv1d(x.data(), w.data(), b == null ? null : b.data(), stride, padding, dilation, groups);
        return record("conv1d", out, 0b11, (n, g) -> {
            Tensor gt = g.data();
            Variable[] r = new Variable[b == null ? 2 : 3];
            if (n.input(0).requiresGrad()) {
                r[0] = k(Convolution.conv1dBackwardInput(gt, n.input(1).data(), n.inputShape(0), stride, padding,
                        dilation, groups));
            }
            if (n.input(1).requiresGrad()) {
                r[1] = k(Convolution.conv1dBackwardWeight(gt, n.input(0).data(), n.inputShape(1), stride, padding,
                        dilation, groups));
            }
            if (b != null && n.input(2).requiresGrad()) {
                r[2] = k(Convolution.biasBackward(gt));
            }
            return r;
        }, inputs(x, w, b));
    }

    static Variable conv2d(Variable x, Variable w, Variable b, int[] stride, int[] padding, int[] dilation, int groups) {
        Tensor out = Convolution.conv2d(x.data(), w.data(), b == null ? null : b.data(), stride, padding, dilation, groups);
        return record("conv2d", out, 0b11, (n, g) -> {
            Tensor gt = g.data();
            Variable[] r = new Variable[b == null ? 2 : 3];
            if (n.input(0).requiresGrad()) {
                r[0] = k(Convolution.conv2dBackwardInput(gt, n.input(1).data(), n.inputShape(0), stride, padding,
                        dilation, groups));
            }
            if (n.input(1).requiresGrad()) {
                r[1] = k(Convolution.conv2dBackwardWeight(gt, n.input(0).data(), n.inputShape(1), stride, padding,
                        dilation, groups));
            }
            if (b != null && n.input(2).requiresGrad()) {
                r[2] = k(Convolution.biasBackward(gt));
            }
            return r;
        }, inputs(x, w, b));
    }

    static Variable convTranspose2d(Variable x, Variable w, Variable b, int[] stride, int[] padding,
            int[] outputPadding, int[] dilation, int groups) {
        Tensor out = Convolution.convTranspose2d(x.data(), w.data(), b == null ? null : b.data(), stride, padding,
                outputPadding, dilation, groups);
        return record("convTranspose2d", out, 0b11, (n, g) -> {
            Tensor gt = g.data();
            Variable[] r = new Variable[b == null ? 2 : 3];
            if (n.input(0).requiresGrad()) {
                r[0] = k(Convolution.convTranspose2dBackwardInput(gt, n.input(1).data(), n.inputShape(0), stride,
                        padding, dilation, groups));
            }
            if (n.input(1).requiresGrad()) {
                r[1] = k(Convolution.convTranspose2dBackwardWeight(gt, n.input(0).data(), n.inputShape(1), stride,
                        padding, dilation, groups));
            }
            if (b != null && n.input(2).requiresGrad()) {
                r[2] = k(Convolution.biasBackward(gt));
            }
            return r;
        }, inputs(x, w, b));
    }

    static Variable maxPool2d(Variable x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceil) {
        Pooling.MaxResult res = Pooling.maxPool2d(x.data(), kernel, stride, padding, dilation, ceil);
        Tensor idx = res.indices();
        return record("maxPool2d", res.values(), 0,
            (n, g) -> new Variable[] {k(Pooling.maxPool2dBackward(g.data(), idx, n.inputShape(0)))}, x);
    }

    static Variable maxPool1d(Variable x, int kernel, int stride, int padding, int dilation, boolean ceil) {
        Pooling.MaxResult res = Pooling.maxPool1d(x.data(), kernel, stride, padding, dilation, ceil);
        Tensor idx = res.indices();
        return record("maxPool1d", res.values(), 0,
            (n, g) -> new Variable[] {k(Pooling.maxPool1dBackward(g.data(), idx, n.inputShape(0)))}, x);
    }

    static Variable avgPool2d(Variable x, int[] kernel, int[] stride, int[] padding, boolean ceil, boolean countPad) {
        Tensor out = Pooling.avgPool2d(x.data(), kernel, stride, padding, ceil, countPad);
        return record("avgPool2d", out, 0, (n, g) -> new Variable[] {k(Pooling.avgPool2dBackward(g.data(),
                n.inputShape(0), kernel, stride, padding, ceil, countPad))}, x);
    }

    static Variable avgPool1d(Variable x, int kernel, int stride, int padding, boolean ceil, boolean countPad) {
        Tensor out = Pooling.avgPool1d(x.data(), kernel, stride, padding, ceil, countPad);
        return record("avgPool1d", out, 0, (n, g) -> new Variable[] {k(Pooling.avgPool1dBackward(g.data(),
                n.inputShape(0), kernel, stride, padding, ceil, countPad))}, x);
    }

    static Variable adaptiveAvgPool2d(Variable x, int outH, int outW) {
        Tensor out = Pooling.adaptiveAvgPool2d(x.data(), outH, outW);
        return record("adaptiveAvgPool2d", out, 0,
            (n, g) -> new Variable[] {k(Pooling.adaptiveAvgPool2dBackward(g.data(), n.inputShape(0)))}, x);
    }

    static Variable adaptiveAvgPool1d(Variable x, int outL) {
        Tensor out = Pooling.adaptiveAvgPool1d(x.data(), outL);
        return record("adaptiveAvgPool1d", out, 0,
            (n, g) -> new Variable[] {k(Pooling.adaptiveAvgPool1dBackward(g.data(), n.inputShape(0)))}, x);
    }
}
