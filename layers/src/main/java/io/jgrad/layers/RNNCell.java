package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;
import java.util.Locale;

/**
 * One Elman RNN step, like {@code torch.nn.RNNCell}: {@code h' = tanh(x W_ih^T + b_ih + h W_hh^T +
 * b_hh)}, or ReLU. Parameters: see {@link RNNCellBase} (G = 1).
 */
public class RNNCell extends RNNCellBase {
    private final boolean relu;

    /**
     * A tanh cell with biases.
     *
     * @param inputSize the number of input features
     * @param hiddenSize the number of hidden units
     */
    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, "tanh");
    }

    /**
     * A configured cell.
     *
     * @param inputSize the number of input features
     * @param hiddenSize the number of hidden units
     * @param bias whether to learn {@code bias_ih} and {@code bias_hh}
     * @param nonlinearity {@code "tanh"} or {@code "relu"}
     */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
        super(inputSize, hiddenSize, bias, 1);
        String n = nonlinearity == null ? "" : nonlinearity.toLowerCase(Locale.ROOT);
        if (!n.equals("tanh") && !n.equals("relu")) {
            throw new IllegalArgumentException(
                    "RNNCell: nonlinearity must be tanh or relu, got '" + nonlinearity + "'");
        }
        this.relu = n.equals("relu");
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
        Variable pre = NN.linear(x, param("weight_ih"), param("bias_ih"))
                .add(NN.linear(hh, param("weight_hh"), param("bias_hh")));
        return relu ? pre.relu() : pre.tanh();
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

    @Override
    protected String extraRepr() {
        return super.extraRepr() + (relu ? ", nonlinearity=relu" : "");
    }
}
