package io.jgrad.autograd;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Differentiable neural-network primitives that layers are built from: linear, embedding lookup,
 * dropout masks, convolutions and pooling.
 *
 * <p>Every operation here is differentiable at every order: while a backward pass records
 * (create-graph), the convolutions' backward products are themselves recorded convolutions, pooling
 * records its adjoint, and the fused recurrent cells differentiate their composed definitions.
 */
public final class NN {
    private NN() {}

    /** {@code x @ weight^T + bias}: x (..., in), weight (out, in), bias (out) or null. */
    public static Variable linear(Variable x, Variable weight, Variable bias) {
        return LinalgOps.linear(x, weight, bias);
    }

    /**
     * Looks up rows of {@code weight} (num, dim) for the INT32 or INT64 {@code indices} of any shape; the result
     * has shape {@code indices.shape + (dim,)}. The gradient is accumulated into the looked-up rows only.
     */
    public static Variable embedding(Tensor indices, Variable weight) {
        if (indices.dtype() != DType.INT32 && indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("embedding: indices must be int32 or int64, got " + indices.dtype() + " "
                    + Shape.format(indices.shape()));
        }
        if (weight.dim() != 2) {
            throw new IllegalArgumentException(
                    "embedding: weight must be 2-D (num, dim), got " + Shape.format(weight.shape()));
        }
        int[] os = new int[indices.dim() + 1];
        System.arraycopy(indices.shape(), 0, os, 0, indices.dim());
        os[indices.dim()] = weight.size(1);
        return weight.indexSelect(0, indices.reshape(-1)).reshape(os);
    }

    /**
     * Inverted dropout: zeroes each element with probability {@code p} and scales the rest by
     * {@code 1 / (1 - p)}; identity when not training or when p is 0.
     */
    public static Variable dropout(Variable x, double p, boolean training, Generator g) {
        if (!(p >= 0 && p < 1)) {
            if (p == 1 && training) {
                return x.mul(0);
            }
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("dropout: probability must be in [0, 1], got " + p);
            }
        }
        if (!training || p == 0) {
            return x;
        }
        Tensor mask = Tensor.bernoulli(g, x.dtype(), 1 - p, x.shape()).mul(1 / (1 - p));
        return x.mul(Variable.constant(mask));
    }

    /**
     * The fused element-wise part of an LSTM cell (PyTorch gate order i, f, g, o): from the gate
     * pre-activations (B, 4H) and the cell state c (B, H), returns {@code {h', c'}} where
     * {@code c' = sigmoid(f) c + sigmoid(i) tanh(g)} and {@code h' = sigmoid(o) tanh(c')}.
     */
    public static Variable[] lstmCell(Variable gates, Variable c) {
        return RecurrentOps.lstmCell(gates, c);
    }

    /**
     * The fused element-wise part of a GRU cell (PyTorch gate order r, z, n): from the input gates
     * {@code x W_ih^T + b_ih} (B, 3H), the hidden gates {@code h W_hh^T + b_hh} (B, 3H) and h (B, H),
     * returns {@code h' = (1 - z) n + z h} with {@code n = tanh(x_n + r * h_n)}.
     */
    public static Variable gruCell(Variable inputGates, Variable hiddenGates, Variable h) {
        return RecurrentOps.gruCell(inputGates, hiddenGates, h);
    }

    /** 1-D convolution: x (N, Cin, L), weight (Cout, Cin/groups, K), bias (Cout) or null. */
    public static Variable conv1d(
            Variable x, Variable weight, Variable bias, int stride, int padding, int dilation, int groups) {
        return ConvOps.conv1d(x, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * 2-D convolution: x (N, Cin, H, W), weight (Cout, Cin/groups, kh, kw), bias (Cout) or null;
     * {@code stride}, {@code padding} and {@code dilation} hold (h, w) or one value for both.
     */
    public static Variable conv2d(
            Variable x, Variable weight, Variable bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return ConvOps.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    /** Transposed 2-D convolution: x (N, Cin, H, W), weight (Cin, Cout/groups, kh, kw), as PyTorch. */
    public static Variable convTranspose2d(
            Variable x,
            Variable weight,
            Variable bias,
            int[] stride,
            int[] padding,
            int[] outputPadding,
            int[] dilation,
            int groups) {
        return ConvOps.convTranspose2d(x, weight, bias, stride, padding, outputPadding, dilation, groups);
    }

    /** 2-D max pooling (the gradient goes to the first maximum of each window). */
    public static Variable maxPool2d(
            Variable x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return ConvOps.maxPool2d(x, kernel, stride, padding, dilation, ceilMode);
    }

    /** 1-D max pooling on (N, C, L). */
    public static Variable maxPool1d(Variable x, int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        return ConvOps.maxPool1d(x, kernel, stride, padding, dilation, ceilMode);
    }

    /** 2-D average pooling. */
    public static Variable avgPool2d(
            Variable x, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        return ConvOps.avgPool2d(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    /** 1-D average pooling on (N, C, L). */
    public static Variable avgPool1d(
            Variable x, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        return ConvOps.avgPool1d(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    /** Adaptive average pooling to (outH, outW). */
    public static Variable adaptiveAvgPool2d(Variable x, int outH, int outW) {
        return ConvOps.adaptiveAvgPool2d(x, outH, outW);
    }

    /** Adaptive average pooling of (N, C, L) to length outL. */
    public static Variable adaptiveAvgPool1d(Variable x, int outL) {
        return ConvOps.adaptiveAvgPool1d(x, outL);
    }
}
