package io.jgrad.layers;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * The common part of {@link RNNCell}, {@link LSTMCell} and {@link GRUCell}: one time step, for
 * custom loops. Parameters as PyTorch's cells: {@code weight_ih (G*H, in)}, {@code weight_hh (G*H,
 * H)}, {@code bias_ih (G*H)}, {@code bias_hh (G*H)}, initialized from {@code U(-1/sqrt(H),
 * 1/sqrt(H))}. Inputs are batched: {@code x (B, in)}, states {@code (B, H)}; a null state means zeros.
 */
public abstract class RNNCellBase extends Module {
    private final int inputSize;
    private final int hiddenSize;
    private final boolean bias;

    RNNCellBase(int inputSize, int hiddenSize, boolean bias, int gates) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": sizes must be positive, got inputSize="
                    + inputSize + ", hiddenSize=" + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        registerParameter("weight_ih", new Parameter(Tensor.zeros(gates * hiddenSize, inputSize)));
        registerParameter("weight_hh", new Parameter(Tensor.zeros(gates * hiddenSize, hiddenSize)));
        registerParameter("bias_ih", bias ? new Parameter(Tensor.zeros(gates * hiddenSize)) : null);
        registerParameter("bias_hh", bias ? new Parameter(Tensor.zeros(gates * hiddenSize)) : null);
        resetParameters(Generator.global());
    }

    @Override
    public void resetParameters(Generator g) {
        double bound = 1 / Math.sqrt(hiddenSize);
        for (Parameter p : parameters()) {
            Init.uniform(p.data(), -bound, bound, g);
        }
    }

    /** Checks x (B, in) and returns the state, or zeros (B, H) when it is null. */
    final Variable checkAndState(Variable x, Variable state, String name) {
        if (x.dim() != 2 || x.size(1) != inputSize) {
            throw new IllegalArgumentException(
                    label() + ": expected an input (B, " + inputSize + "), got " + Shape.format(x.shape()));
        }
        if (state == null) {
            return Variable.constant(Tensor.zeros(x.dtype(), x.size(0), hiddenSize));
        }
        if (state.dim() != 2 || state.size(0) != x.size(0) || state.size(1) != hiddenSize) {
            throw new IllegalArgumentException(label() + ": " + name + " of shape " + Shape.format(state.shape())
                    + ", expected (" + x.size(0) + ", " + hiddenSize + ") for an input " + Shape.format(x.shape()));
        }
        return state;
    }

    /**
     * The number of input features.
     *
     * @return inputSize
     */
    public int inputSize() {
        return inputSize;
    }

    /**
     * The number of hidden units.
     *
     * @return hiddenSize
     */
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (bias ? "" : ", bias=false");
    }
}
