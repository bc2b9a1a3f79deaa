package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;

/**
 * One GRU step, like {@code torch.nn.GRUCell}: with {@code xg = x W_ih^T + b_ih} and
 * {@code hg = h W_hh^T + b_hh} in PyTorch's order (r, z, n), {@code r = sigmoid(xg_r + hg_r)},
 * {@code z = sigmoid(xg_z + hg_z)}, {@code n = tanh(xg_n + r * hg_n)}, {@code h' = (1 - z) n + z h};
 * the element-wise part is one fused operation ({@link NN#gruCell}), differentiable at every order
 * (its gradients are recorded when the backward pass records). Parameters: see {@link RNNCellBase}
 * (G = 3).
 */
public class GRUCell extends RNNCellBase {
    /**
     * A cell with biases.
     *
     * @param inputSize the number of input features
     * @param hiddenSize the number of hidden units
     */
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    /**
     * A cell with or without biases.
     *
     * @param inputSize the number of input features
     * @param hiddenSize the number of hidden units
     * @param bias whether to learn {@code bias_ih} and {@code bias_hh}
     */
    public GRUCell(int inputSize, int hiddenSize, boolean bias) {
        super(inputSize, hiddenSize, bias, 3);
    }

    /**
     * One step.
     *
     * @param x the input {@code (B, inputSize)}
     * @param h the hidden state {@code (B, H)}, or null for zeros
     * @return h' {@code (B, H)}
     */
    public Variable step(Variable x, Variable h) {
        Variable hh = checkAndState(x, h, "h");
        return NN.gruCell(
                NN.linear(x, param("weight_ih"), param("bias_ih")),
                NN.linear(hh, param("weight_hh"), param("bias_hh")),
                hh);
    }

    /**
     * h' for inputs {@code (x)} (zero state) or {@code (x, h)}.
     *
     * @param inputs the input and optional state
     * @return h'
     */
    @Override
    public Variable forward(Variable... inputs) {
        if (inputs.length != 1 && inputs.length != 2) {
            throw new IllegalArgumentException(label() + ": expected (x) or (x, h), got " + inputs.length + " inputs");
        }
        return step(inputs[0], inputs.length == 2 ? inputs[1] : null);
    }

    @Override
    public Variable forward(Variable x) {
        return step(x, null);
    }
}
