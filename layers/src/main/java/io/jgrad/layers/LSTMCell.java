package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;

/**
 * One LSTM step, like {@code torch.nn.LSTMCell}: {@code gates = x W_ih^T + b_ih + h W_hh^T + b_hh}
 * in PyTorch's order (i, f, g, o), {@code c' = sigmoid(f) c + sigmoid(i) tanh(g)},
 * {@code h' = sigmoid(o) tanh(c')}; the element-wise part is one fused operation
 * ({@link NN#lstmCell}), differentiable at every order (its gradients are recorded when the backward pass
 * records). Parameters: see {@link RNNCellBase} (G = 4).
 *
 * <pre>{@code
 * LSTMCell cell = new LSTMCell(10, 20);
 * Variable h = null, c = null;
 * for (int t = 0; t < steps; t++) {
 *     Variable[] hc = cell.step(x.select(1, t), h, c);   // x (B, T, 10)
 *     h = hc[0];
 *     c = hc[1];
 * }
 * }</pre>
 */
public class LSTMCell extends RNNCellBase {
    /**
     * A cell with biases.
     *
     * @param inputSize the number of input features
     * @param hiddenSize the number of hidden units
     */
    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    /**
     * A cell with or without biases.
     *
     * @param inputSize the number of input features
     * @param hiddenSize the number of hidden units
     * @param bias whether to learn {@code bias_ih} and {@code bias_hh}
     */
    public LSTMCell(int inputSize, int hiddenSize, boolean bias) {
        super(inputSize, hiddenSize, bias, 4);
    }

    /**
     * One step.
     *
     * @param x the input {@code (B, inputSize)}
     * @param h the hidden state {@code (B, H)}, or null for zeros
     * @param c the cell state {@code (B, H)}, or null for zeros
     * @return {@code {h', c'}}, each {@code (B, H)}
     */
    public Variable[] step(Variable x, Variable h, Variable c) {
        Variable hh = checkAndState(x, h, "h");
        Variable cc = checkAndState(x, c, "c");
        Variable gates = NN.linear(x, param("weight_ih"), param("bias_ih"))
                .add(NN.linear(hh, param("weight_hh"), param("bias_hh")));
        return NN.lstmCell(gates, cc);
    }

    /**
     * The new hidden state h' for inputs {@code (x)} (zero states) or {@code (x, h, c)}; use
     * {@link #step} to get the cell state too.
     *
     * @param inputs the input and optional states
     * @return h'
     */
    @Override
    public Variable forward(Variable... inputs) {
        if (inputs.length != 1 && inputs.length != 3) {
            throw new IllegalArgumentException(
                    label() + ": expected (x) or (x, h, c), got " + inputs.length + " inputs");
        }
        return inputs.length == 1 ? step(inputs[0], null, null)[0] : step(inputs[0], inputs[1], inputs[2])[0];
    }

    @Override
    public Variable forward(Variable x) {
        return step(x, null, null)[0];
    }
}
