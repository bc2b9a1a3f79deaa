package io.jgrad.layers;

import io.jgrad.autograd.fused.RecurrentScan;

/**
 * A gated recurrent unit layer, like {@code torch.nn.GRU}, with the Keras options of
 * {@link RecurrentOptions}. For each step, with gates in PyTorch's order (r, z, n):
 *
 * <pre>
 * r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)      z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r * (W_hn h + b_hn))   h' = (1 - z) * n + z * h
 * </pre>
 *
 * <p>Shapes and parameters: see {@link RNNBase} (G = 3).
 */
public class GRU extends RNNBase {
    /**
     * One layer with the default options.
     *
     * @param inputSize the number of input features
     * @param hiddenSize the number of hidden units
     */
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RecurrentOptions.defaults());
    }

    /**
     * A configured layer.
     *
     * @param inputSize the number of input features
     * @param hiddenSize the number of hidden units per direction
     * @param options layers, directions, dropout, masks and state handling
     */
    public GRU(int inputSize, int hiddenSize, RecurrentOptions options) {
        super(RecurrentScan.Kind.GRU, inputSize, hiddenSize, options);
    }
}
