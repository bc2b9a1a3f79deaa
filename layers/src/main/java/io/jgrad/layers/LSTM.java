package io.jgrad.layers;

import io.jgrad.autograd.fused.RecurrentScan;

/**
 * A long short-term memory layer, like {@code torch.nn.LSTM}, with the Keras options of
 * {@link RecurrentOptions}. For each step, with gates in PyTorch's order (i, f, g, o):
 *
 * <pre>
 * i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)      f = sigmoid(W_if x + b_if + W_hf h + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg)         o = sigmoid(W_io x + b_io + W_ho h + b_ho)
 * c' = f * c + i * g                              h' = o * tanh(c')
 * </pre>
 *
 * <p>Shapes and parameters: see {@link RNNBase} (G = 4). {@link RNNOutput#cN()} holds the final cell
 * states. With {@link RecurrentOptions#unitForgetBias} the forget-gate biases start at 1.
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(64, 256, RecurrentOptions.defaults().numLayers(2));
 * RNNOutput out = lstm.run(x);            // x (B, T, 64)
 * Variable y = out.output();              // (B, T, 256)
 * Variable h = out.hN(), c = out.cN();    // (2, B, 256) each
 * }</pre>
 */
public class LSTM extends RNNBase {
    /**
     * One layer with the default options.
     *
     * @param inputSize the number of input features
     * @param hiddenSize the number of hidden units
     */
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RecurrentOptions.defaults());
    }

    /**
     * A configured layer.
     *
     * @param inputSize the number of input features
     * @param hiddenSize the number of hidden units per direction
     * @param options layers, directions, dropout, masks and state handling
     */
    public LSTM(int inputSize, int hiddenSize, RecurrentOptions options) {
        super(RecurrentScan.Kind.LSTM, inputSize, hiddenSize, options);
    }
}
