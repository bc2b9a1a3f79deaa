package io.jgrad.layers;

import java.util.Locale;

/**
 * The settings of a recurrent layer ({@link RNN}, {@link LSTM}, {@link GRU}) besides its input and
 * hidden sizes, as an immutable value; each method returns a modified copy.
 *
 * <p>Defaults: one layer, biases, batch-first input {@code (B, T, features)} (PyTorch's default is
 * time-first; jgrad's is batch-first like Keras), one direction, CONCAT merge, the whole sequence
 * returned, no dropout of any kind, not stateful, PyTorch's initialization, tanh for {@link RNN}.
 *
 * <pre>{@code
 * new LSTM(64, 256, RecurrentOptions.defaults().numLayers(2).dropout(0.2));
 * new GRU(32, 64, RecurrentOptions.defaults().bidirectional(true).mergeMode(MergeMode.SUM));
 * new LSTM(16, 32, RecurrentOptions.defaults().stateful(true).recurrentDropout(0.25).unitForgetBias(true));
 * }</pre>
 */
public final class RecurrentOptions {
    private static final RecurrentOptions DEFAULTS =
            new RecurrentOptions(1, true, true, 0, false, MergeMode.CONCAT, true, false, 0, 0, false, "tanh");

    final int numLayers;
    final boolean bias;
    final boolean batchFirst;
    final double dropout;
    final boolean bidirectional;
    final MergeMode mergeMode;
    final boolean returnSequences;
    final boolean stateful;
    final double inputDropout;
    final double recurrentDropout;
    final boolean unitForgetBias;
    final String nonlinearity;

    private RecurrentOptions(
            int numLayers,
            boolean bias,
            boolean batchFirst,
            double dropout,
            boolean bidirectional,
            MergeMode mergeMode,
            boolean returnSequences,
            boolean stateful,
            double inputDropout,
            double recurrentDropout,
            boolean unitForgetBias,
            String nonlinearity) {
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        this.mergeMode = mergeMode;
        this.returnSequences = returnSequences;
        this.stateful = stateful;
        this.inputDropout = inputDropout;
        this.recurrentDropout = recurrentDropout;
        this.unitForgetBias = unitForgetBias;
        this.nonlinearity = nonlinearity;
    }

    /**
     * The defaults described above.
     *
     * @return the default options
     */
    public static RecurrentOptions defaults() {
        return DEFAULTS;
    }

    private RecurrentOptions with(
            int numLayers,
            boolean bias,
            boolean batchFirst,
            double dropout,
            boolean bidirectional,
            MergeMode mergeMode,
            boolean returnSequences,
            boolean stateful,
            double inputDropout,
            double recurrentDropout,
            boolean unitForgetBias,
            String nonlinearity) {
        return new RecurrentOptions(
                numLayers,
                bias,
                batchFirst,
                dropout,
                bidirectional,
                mergeMode,
                returnSequences,
                stateful,
                inputDropout,
                recurrentDropout,
                unitForgetBias,
                nonlinearity);
    }

    /**
     * The number of stacked layers; layer k &gt; 0 takes layer k-1's output (both directions
     * concatenated) as input.
     *
     * @param n at least 1
     * @return a modified copy
     */
    public RecurrentOptions numLayers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("RecurrentOptions.numLayers: must be at least 1, got " + n);
        }
        return with(
                n,
                bias,
                batchFirst,
                dropout,
                bidirectional,
                mergeMode,
                returnSequences,
                stateful,
                inputDropout,
                recurrentDropout,
                unitForgetBias,
                nonlinearity);
    }

    /**
     * Whether the layer has the biases {@code bias_ih} and {@code bias_hh}.
     *
     * @param on true for biases
     * @return a modified copy
     */
    public RecurrentOptions bias(boolean on) {
        return with(
                numLayers,
                on,
                batchFirst,
                dropout,
                bidirectional,
                mergeMode,
                returnSequences,
                stateful,
                inputDropout,
                recurrentDropout,
                unitForgetBias,
                nonlinearity);
    }

    /**
     * Input and output layout: {@code (B, T, features)} when true (the default), {@code (T, B,
     * features)} when false. Initial and final states are {@code (numLayers * D, B, H)} either way.
     *
     * @param on true for batch-first
     * @return a modified copy
     */
    public RecurrentOptions batchFirst(boolean on) {
        return with(
                numLayers,
                bias,
                on,
                dropout,
                bidirectional,
                mergeMode,
                returnSequences,
                stateful,
                inputDropout,
                recurrentDropout,
                unitForgetBias,
                nonlinearity);
    }

    /**
     * PyTorch's {@code dropout}: ordinary dropout on the output of every layer except the last, in
     * training mode.
     *
     * @param p the drop probability in [0, 1)
     * @return a modified copy
     */
    public RecurrentOptions dropout(double p) {
        return with(
                numLayers,
                bias,
                batchFirst,
                probability("dropout", p),
                bidirectional,
                mergeMode,
                returnSequences,
                stateful,
                inputDropout,
                recurrentDropout,
                unitForgetBias,
                nonlinearity);
    }

    /**
     * Two directions: the second reads the sequence backwards (parameters suffixed
     * {@code _reverse}).
     *
     * @param on true for a bidirectional layer
     * @return a modified copy
     */
    public RecurrentOptions bidirectional(boolean on) {
        return with(
                numLayers,
                bias,
                batchFirst,
                dropout,
                on,
                mergeMode,
                returnSequences,
                stateful,
                inputDropout,
                recurrentDropout,
                unitForgetBias,
                nonlinearity);
    }

    /**
     * How the two directions' final outputs are combined (bidirectional layers only).
     *
     * @param mode the merge mode
     * @return a modified copy
     */
    public RecurrentOptions mergeMode(MergeMode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("RecurrentOptions.mergeMode: mode is null");
        }
        return with(
                numLayers,
                bias,
                batchFirst,
                dropout,
                bidirectional,
                mode,
                returnSequences,
                stateful,
                inputDropout,
                recurrentDropout,
                unitForgetBias,
                nonlinearity);
    }

    /**
     * Whether the output is the whole sequence (true, the default) or only the last step: for each
     * sequence, the final hidden state of the last layer (of each direction, merged), which for a
     * padded sequence is the state at its last real step.
     *
     * @param on true for the whole sequence
     * @return a modified copy
     */
    public RecurrentOptions returnSequences(boolean on) {
        return with(
                numLayers,
                bias,
                batchFirst,
                dropout,
                bidirectional,
                mergeMode,
                on,
                stateful,
                inputDropout,
                recurrentDropout,
                unitForgetBias,
                nonlinearity);
    }

    /**
     * Stateful mode: the final states of one call are the initial states of the next (detached from
     * the previous graph: truncated backpropagation through time), until
     * {@link RNNBase#resetStates()}; the batch size must stay the same.
     *
     * @param on true for a stateful layer
     * @return a modified copy
     */
    public RecurrentOptions stateful(boolean on) {
        return with(
                numLayers,
                bias,
                batchFirst,
                dropout,
                bidirectional,
                mergeMode,
                returnSequences,
                on,
                inputDropout,
                recurrentDropout,
                unitForgetBias,
                nonlinearity);
    }

    /**
     * Variational input dropout (Keras's {@code dropout}): in training mode each layer's input
     * features are dropped with one mask per sequence, the same at every time step.
     *
     * @param p the drop probability in [0, 1)
     * @return a modified copy
     */
    public RecurrentOptions inputDropout(double p) {
        return with(
                numLayers,
                bias,
                batchFirst,
                dropout,
                bidirectional,
                mergeMode,
                returnSequences,
                stateful,
                probability("inputDropout", p),
                recurrentDropout,
                unitForgetBias,
                nonlinearity);
    }

    /**
     * Recurrent dropout (Gal and Ghahramani; Keras's {@code recurrent_dropout}): in training mode the
     * hidden state entering the recurrent product {@code h W_hh^T} is multiplied by one dropout mask
     * per sequence and direction, the same at every time step. The state itself is not dropped.
     *
     * @param p the drop probability in [0, 1)
     * @return a modified copy
     */
    public RecurrentOptions recurrentDropout(double p) {
        return with(
                numLayers,
                bias,
                batchFirst,
                dropout,
                bidirectional,
                mergeMode,
                returnSequences,
                stateful,
                inputDropout,
                probability("recurrentDropout", p),
                unitForgetBias,
                nonlinearity);
    }

    /**
     * LSTM only: initialize the forget-gate biases so that they sum to 1 ({@code bias_ih} forget
     * slice 1, {@code bias_hh} forget slice 0), as Jozefowicz et al. and Keras recommend; the other
     * parameters keep PyTorch's initialization.
     *
     * @param on true for a unit forget bias
     * @return a modified copy
     */
    public RecurrentOptions unitForgetBias(boolean on) {
        return with(
                numLayers,
                bias,
                batchFirst,
                dropout,
                bidirectional,
                mergeMode,
                returnSequences,
                stateful,
                inputDropout,
                recurrentDropout,
                on,
                nonlinearity);
    }

    /**
     * RNN only: the nonlinearity, {@code "tanh"} (the default) or {@code "relu"}.
     *
     * @param name tanh or relu
     * @return a modified copy
     */
    public RecurrentOptions nonlinearity(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (!n.equals("tanh") && !n.equals("relu")) {
            throw new IllegalArgumentException(
                    "RecurrentOptions.nonlinearity: expected tanh or relu, got '" + name + "'");
        }
        return with(
                numLayers,
                bias,
                batchFirst,
                dropout,
                bidirectional,
                mergeMode,
                returnSequences,
                stateful,
                inputDropout,
                recurrentDropout,
                unitForgetBias,
                n);
    }

    private static double probability(String what, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(
                    "RecurrentOptions." + what + ": probability must be in [0, 1), got " + p);
        }
        return p;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("numLayers=")
                .append(numLayers)
                .append(", bias=")
                .append(bias)
                .append(", batchFirst=")
                .append(batchFirst);
        if (dropout > 0) {
            sb.append(", dropout=").append(dropout);
        }
        if (bidirectional) {
            sb.append(", bidirectional=true, mergeMode=").append(mergeMode);
        }
        if (!returnSequences) {
            sb.append(", returnSequences=false");
        }
        if (stateful) {
            sb.append(", stateful=true");
        }
        if (inputDropout > 0) {
            sb.append(", inputDropout=").append(inputDropout);
        }
        if (recurrentDropout > 0) {
            sb.append(", recurrentDropout=").append(recurrentDropout);
        }
        if (unitForgetBias) {
            sb.append(", unitForgetBias=true");
        }
        return sb.toString();
    }
}
