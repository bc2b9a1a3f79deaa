package io.jgrad.autograd;

import static io.jgrad.autograd.Graph.record;

import io.jgrad.core.Convolution;
import io.jgrad.core.Pooling;
import io.jgrad.core.Tensor;
import java.util.function.UnaryOperator;

/**
 * Convolution and pooling on variables, differentiable at every order. Values come from core's
 * GEMM-lowered kernels.
 *
 * <p>A convolution {@code y = F(x, w)} is bilinear, and so are its two backward products: the input
 * gradient {@code Bi(gy, w)} (a transposed convolution) and the weight gradient {@code Bw(gy, x)}. All
 * three are adjoints of the one form {@code <y, F(x, w)>}, so each is recorded with a backward made of
 * the other two (see {@link Family}): a gradient penalty or a Hessian-vector product through a
 * convolution costs a few more convolutions, and the first-order path runs exactly the kernels it ran
 * before. Transposed convolution is the same family with the roles of F and Bi exchanged. Pooling
 * records its adjoint: average pooling's backward is a linear map whose own backward is the average
 * pooling again, and max pooling's backward, a scatter-add at the saved indices, is recorded as one
 * when the backward pass records.
 */
final class ConvOps {
    private ConvOps() {}

    /** {@code F(x, w, b)} with b possibly null. */
    @FunctionalInterface
    private interface Forward {
        Tensor apply(Tensor x, Tensor w, Tensor b);
    }

    /** An adjoint product of F: from an output-space tensor and one operand, the other operand's shape. */
    @FunctionalInterface
    private interface Adjoint {
        Tensor apply(Tensor y, Tensor operand, int[] shape);
    }

    /**
     * A bilinear op {@code y = F(x, w) (+ b)} with its input product {@code Bi(y, w) -> x-space} and weight
     * product {@code Bw(y, x) -> w-space}, where {@code <gy, F(x, w)> = <Bi(gy, w), x> = <Bw(gy, x), w>}.
     */
    private record Family(String name, int spatialDims, Forward fwd, Adjoint bi, Adjoint bw) {
        Variable apply(Variable x, Variable w, Variable b) {
            Tensor out = fwd.apply(x.data(), w.data(), b == null ? null : b.data());
            Variable[] ins = b == null ? new Variable[] {x, w} : new Variable[] {x, w, b};
            return record(
                    name,
                    out,
                    0b11,
                    (n, g) -> {
                        Variable xi = n.input(0);
                        Variable wi = n.input(1);
                        Variable[] r = new Variable[ins.length];
                        if (xi.requiresGrad()) {
                            r[0] = inputGrad(g, wi, n.inputShape(0));
                        }
                        if (wi.requiresGrad()) {
                            r[1] = weightGrad(g, xi, n.inputShape(1));
                        }
                        if (ins.length == 3 && n.input(2).requiresGrad()) {
                            r[2] = biasGrad(g, n.inputShape(0).length == spatialDims + 2);
                        }
                        return r;
                    },
                    ins);
        }

        /** {@code Bi(y, w)}: the gradient of {@code <y, F(x, w)>} with respect to x of shape {@code xs}. */
        Variable inputGrad(Variable y, Variable w, int[] xs) {
            return record(
                    name + "BackwardInput",
                    bi.apply(y.data(), w.data(), xs),
                    0b11,
                    (n, gg) -> {
                        Variable yi = n.input(0);
                        Variable wi = n.input(1);
                        return new Variable[] {
                            yi.requiresGrad() ? apply(gg, wi, null) : null,
                            wi.requiresGrad() ? weightGrad(yi, gg, n.inputShape(1)) : null
                        };
                    },
                    y,
                    w);
        }

        /** {@code Bw(y, x)}: the gradient of {@code <y, F(x, w)>} with respect to w of shape {@code ws}. */
        Variable weightGrad(Variable y, Variable x, int[] ws) {
            return record(
                    name + "BackwardWeight",
                    bw.apply(y.data(), x.data(), ws),
                    0b11,
                    (n, gg) -> {
                        Variable yi = n.input(0);
                        Variable xi = n.input(1);
                        return new Variable[] {
                            yi.requiresGrad() ? apply(xi, gg, null) : null,
                            xi.requiresGrad() ? inputGrad(yi, gg, n.inputShape(1)) : null
                        };
                    },
                    y,
                    x);
        }
    }

    /** The bias gradient: g summed over every dimension but the channels (dim 1, or 0 when unbatched). */
    private static Variable biasGrad(Variable g, boolean batched) {
        if (!Graph.recording()) {
            Tensor gt = g.data();
            return Variable.constant(Convolution.biasBackward(batched ? gt : gt.unsqueeze(0)));
        }
        int rank = g.dim();
        int ch = batched ? 1 : 0;
        int[] dims = new int[rank - 1];
        for (int k = 0, p = 0; k < rank; k++) {
            if (k != ch) {
                dims[p++] = k;
            }
        }
        return g.sum(dims, false);
    }

    private static Family conv1dFamily(int stride, int padding, int dilation, int groups) {
        return new Family(
                "conv1d",
                1,
                (x, w, b) -> Convolution.conv1d(x, w, b, stride, padding, dilation, groups),
                (y, w, xs) -> Convolution.conv1dBackwardInput(y, w, xs, stride, padding, dilation, groups),
                (y, x, ws) -> Convolution.conv1dBackwardWeight(y, x, ws, stride, padding, dilation, groups));
    }

    private static Family conv2dFamily(int[] stride, int[] padding, int[] dilation, int groups) {
        return new Family(
                "conv2d",
                2,
                (x, w, b) -> Convolution.conv2d(x, w, b, stride, padding, dilation, groups),
                (y, w, xs) -> Convolution.conv2dBackwardInput(y, w, xs, stride, padding, dilation, groups),
                (y, x, ws) -> Convolution.conv2dBackwardWeight(y, x, ws, stride, padding, dilation, groups));
    }

    private static Family convTranspose2dFamily(
            int[] stride, int[] padding, int[] outputPadding, int[] dilation, int groups) {
        return new Family(
                "convTranspose2d",
                2,
                (x, w, b) -> Convolution.convTranspose2d(x, w, b, stride, padding, outputPadding, dilation, groups),
                (y, w, xs) -> Convolution.convTranspose2dBackwardInput(y, w, xs, stride, padding, dilation, groups),
                (y, x, ws) -> Convolution.convTranspose2dBackwardWeight(y, x, ws, stride, padding, dilation, groups));
    }

    static Variable conv1d(Variable x, Variable w, Variable b, int stride, int padding, int dilation, int groups) {
        return conv1dFamily(stride, padding, dilation, groups).apply(x, w, b);
    }

    static Variable conv2d(
            Variable x, Variable w, Variable b, int[] stride, int[] padding, int[] dilation, int groups) {
        return conv2dFamily(stride, padding, dilation, groups).apply(x, w, b);
    }

    static Variable convTranspose2d(
            Variable x,
            Variable w,
            Variable b,
            int[] stride,
            int[] padding,
            int[] outputPadding,
            int[] dilation,
            int groups) {
        return convTranspose2dFamily(stride, padding, outputPadding, dilation, groups)
                .apply(x, w, b);
    }

    // ------------------------------------------------------------------------------------------ pooling

    /**
     * A linear map {@code A} and its adjoint {@code A^T}, each recorded with the other as its backward.
     * {@code adjoint} maps an output-space tensor back to the input shape it is given.
     */
    private record LinearPair(String name, UnaryOperator<Tensor> fwd, Adjoint adjoint) {
        Variable apply(Variable x) {
            return record(name, fwd.apply(x.data()), 0, (n, g) -> new Variable[] {adjointOf(g, n.inputShape(0))}, x);
        }

        Variable adjointOf(Variable g, int[] inShape) {
            return record(
                    name + "Backward",
                    adjoint.apply(g.data(), null, inShape),
                    0,
                    (n, gg) -> new Variable[] {apply(gg)},
                    g);
        }
    }

    /**
     * Max pooling's backward: g added at the saved indices of each input plane. A constant from the core
     * kernel on the first-order path; a recorded scatter-add (whose backward gathers at the same indices)
     * when the backward pass records.
     */
    private static Variable maxPoolBackward(
            Variable g, Tensor idx, int[] inShape, int spatialDims, java.util.function.Supplier<Tensor> kernel) {
        if (!Graph.recording()) {
            return Variable.constant(kernel.get());
        }
        int rank = inShape.length;
        int lead = 1;
        for (int k = 0; k < rank - spatialDims; k++) {
            lead *= inShape[k];
        }
        int plane = 1;
        for (int k = rank - spatialDims; k < rank; k++) {
            plane *= inShape[k];
        }
        int outPlane = g.numel() / Math.max(1, lead);
        Variable z = Variable.constant(Tensor.zeros(g.dtype(), lead, plane));
        return z.scatterAdd(1, idx.reshape(lead, outPlane), g.reshape(lead, outPlane))
                .reshape(inShape);
    }

    static Variable maxPool2d(Variable x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceil) {
        Pooling.MaxResult res = Pooling.maxPool2d(x.data(), kernel, stride, padding, dilation, ceil);
        Tensor idx = res.indices();
        return record(
                "maxPool2d",
                res.values(),
                0,
                (n, g) -> new Variable[] {
                    maxPoolBackward(
                            g, idx, n.inputShape(0), 2, () -> Pooling.maxPool2dBackward(g.data(), idx, n.inputShape(0)))
                },
                x);
    }

    static Variable maxPool1d(Variable x, int kernel, int stride, int padding, int dilation, boolean ceil) {
        Pooling.MaxResult res = Pooling.maxPool1d(x.data(), kernel, stride, padding, dilation, ceil);
        Tensor idx = res.indices();
        return record(
                "maxPool1d",
                res.values(),
                0,
                (n, g) -> new Variable[] {
                    maxPoolBackward(
                            g, idx, n.inputShape(0), 1, () -> Pooling.maxPool1dBackward(g.data(), idx, n.inputShape(0)))
                },
                x);
    }

    static Variable avgPool2d(Variable x, int[] kernel, int[] stride, int[] padding, boolean ceil, boolean countPad) {
        return new LinearPair(
                        "avgPool2d",
                        t -> Pooling.avgPool2d(t, kernel, stride, padding, ceil, countPad),
                        (g, unused, in) -> Pooling.avgPool2dBackward(g, in, kernel, stride, padding, ceil, countPad))
                .apply(x);
    }

    static Variable avgPool1d(Variable x, int kernel, int stride, int padding, boolean ceil, boolean countPad) {
        return new LinearPair(
                        "avgPool1d",
                        t -> Pooling.avgPool1d(t, kernel, stride, padding, ceil, countPad),
                        (g, unused, in) -> Pooling.avgPool1dBackward(g, in, kernel, stride, padding, ceil, countPad))
                .apply(x);
    }

    static Variable adaptiveAvgPool2d(Variable x, int outH, int outW) {
        return new LinearPair(
                        "adaptiveAvgPool2d",
                        t -> Pooling.adaptiveAvgPool2d(t, outH, outW),
                        (g, unused, in) -> Pooling.adaptiveAvgPool2dBackward(g, in))
                .apply(x);
    }

    static Variable adaptiveAvgPool1d(Variable x, int outL) {
        return new LinearPair(
                        "adaptiveAvgPool1d",
                        t -> Pooling.adaptiveAvgPool1d(t, outL),
                        (g, unused, in) -> Pooling.adaptiveAvgPool1dBackward(g, in))
                .apply(x);
    }
}
