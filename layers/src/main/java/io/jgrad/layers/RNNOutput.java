package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/**
 * The result of a recurrent layer ({@link RNN}, {@link LSTM}, {@link GRU}): its output and its final
 * states, all differentiable.
 *
 * <ul>
 *   <li>{@link #output()}: the whole sequence {@code (B, T, D*H)} (batch first; {@code (T, B, D*H)}
 *       otherwise), or only the last step {@code (B, D*H)} when the layer does not return sequences;
 *       {@code D*H} is H after a SUM, MUL or AVERAGE merge of two directions. Padded steps are zero.
 *   <li>{@link #hN()}: the final hidden state of every layer and direction,
 *       {@code (numLayers * D, B, H)}, index {@code layer * D + direction} as in PyTorch; for a
 *       padded sequence, the state after its last real step (forward direction) or after its first
 *       step (reverse direction).
 *   <li>{@link #cN()}: the LSTM's final cell states, same layout; null for RNN and GRU.
 * </ul>
 */
public final class RNNOutput {
    private final Variable output;
    private final Variable hN;
    private final Variable cN;

    RNNOutput(Variable output, Variable hN, Variable cN) {
        this.output = output;
        this.hN = hN;
        this.cN = cN;
    }

    /**
     * The output sequence, or the last step only.
     *
     * @return the output
     */
    public Variable output() {
        return output;
    }

    /**
     * The final hidden states {@code (numLayers * D, B, H)}.
     *
     * @return h_n
     */
    public Variable hN() {
        return hN;
    }

    /**
     * The final cell states of an LSTM {@code (numLayers * D, B, H)}.
     *
     * @return c_n, or null for RNN and GRU
     */
    public Variable cN() {
        return cN;
    }
}
