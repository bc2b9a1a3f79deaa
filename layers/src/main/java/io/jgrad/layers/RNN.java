package io.jgrad.layers;

import io.jgrad.autograd.fused.RecurrentScan;

/**
 * An Elman recurrent layer, like {@code torch.nn.RNN}: {@code h' = tanh(W_ih x + b_ih + W_hh h +
 * b_hh)}, or ReLU with {@link RecurrentOptions#nonlinearity(String) nonlinearity("relu")}; with the
 * Keras options of {@link RecurrentOptions}. Shapes and parameters: see {@link RNNBase} (G = 1).
 */
public class RNN extends RNNBase {
    /**
     * One tanh layer with the default options.
     *
     * @param inputSize the number of input features
     * @param hiddenSize the number of hidden units
     */
    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RecurrentOptions.defaults());
    }

    /**
     * A configured layer.
     *
     * @param inputSize the number of input features
     * @param hiddenSize the number of hidden units per direction
     * @param options nonlinearity, layers, directions, dropout, masks and state handling
     */
    public RNN(int inputSize, int hiddenSize, RecurrentOptions options) {
        super(
                options != null && options.nonlinearity.equals("relu")
                        ? RecurrentScan.Kind.RNN_RELU
                        : RecurrentScan.Kind.RNN_TANH,
                inputSize,
                hiddenSize,
                options);
    }
}
