package io.jgrad.autograd;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Differentiable neural-network primitives that layers are built from: linear, embedding lookup,
 * dropout masks, convolutions and pooling.
 *
 * <p>Double backward: {@link #linear}, {@link #embedding} and {@link #dropout} support it. The
 * convolution and pooling gradients are computed by core kernels and are not differentiable again.
 */
public final class NN {
    private NN() {
    }

    /** {@code x @ weight^T + bias}: x (..., in), weight (out, in), bias (out) or null. */
    public static Variable linear(Variable x, Variable weight, Variable bias) {
        return LinalgOps.linear(x, weight, bias);
    }

    /**
     * Looks up rows of {@code weight} (num, dim) for the INT32 {@code indices} of any shape; the result
     * has shape {@code indices.shape + (dim,)}. The gradient is accumulated into the looked-up rows only.
     */
    public static Variable embedding(Tensor indices, Variable weight) {
        if (indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException("embedding: indices must be int32, got " + indices.dtype() + " "
                    + Shape.format(indices.shape()));
        }
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("embedding: weight must be 2-D (num, dim), got " + Shape.format(weight.shape()));
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
     * Not differentiable twice.
     */
    public static Variable[] lstmCell(Variable gates, Variable c) {
        return RecurrentOps.lstmCell(gates, c);
    }

    /**
     * The fused element-wise part of a GRU cell (PyTorch gate order r, z, n): from the input gates
     * {@code x W_ih^T + b_ih} (B, 3H), the hidden gates {@code h W_hh^T + b_hh} (B, 3H) and h (B, H),
     * returns {@code h' = (1 - z) n + z h} with {@code n = tanh(x_n + r * h_n)}. Not differentiable twice.
     */
    public static Variable gruCell(Variable inputGates, Variable hiddenGates, Variable h) {
        return RecurrentOps.gruCell(inputGates, hiddenGates, h);
    }
}
