package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A convolutional LSTM layer (Shi et al. 2015, "Convolutional LSTM network: a machine learning approach
 * for precipitation nowcasting"), as Keras's {@code ConvLSTM2D}: an LSTM whose input-to-state and
 * state-to-state transitions are 2-D convolutions, so that the hidden and cell states keep the spatial
 * layout of the input. For each step t, with {@code *} a "same"-padded convolution:
 * <pre>
 * [i, f, g, o] = W_ih * x_t + b + W_hh * h_{t-1}        (gates split along the channels, Keras's order)
 * c_t = sigmoid(f) c_{t-1} + sigmoid(i) tanh(g)
 * h_t = sigmoid(o) tanh(c_t)
 * </pre>
 * (the paper's peephole terms are left out, as in Keras). Input {@code (N, T, Cin, H, W)}; output
 * {@code (N, T, hidden, H, W)} with {@code returnSequences}, else the last {@code h_T}
 * {@code (N, hidden, H, W)}. States start at zero. Parameters: {@code weight_ih (4 hidden, Cin, k, k)},
 * {@code weight_hh (4 hidden, hidden, k, k)} and {@code bias (4 hidden)}, the forget gate's part
 * initialized to 1 (Keras's {@code unit_forget_bias}). Built from differentiable operations, so
 * differentiable at every order.
 */
public class ConvLSTM2d extends Module {
    private final int inChannels;
    private final int hidden;
    private final int kernel;
    private final boolean returnSequences;

    /**
     * A layer that returns the whole sequence of hidden states.
     *
     * @param inChannels input channels
     * @param hidden hidden (and cell) state channels
     * @param kernelSize the odd kernel size of both convolutions
     */
    public ConvLSTM2d(int inChannels, int hidden, int kernelSize) {
        this(inChannels, hidden, kernelSize, true);
    }

    /**
     * A layer.
     *
     * @param inChannels input channels, at least 1
     * @param hidden hidden (and cell) state channels, at least 1
     * @param kernelSize the kernel size of both convolutions: odd, so that "same" padding is symmetric
     * @param returnSequences whether to return every step's hidden state or only the last
     */
    public ConvLSTM2d(int inChannels, int hidden, int kernelSize, boolean returnSequences) {
        if (inChannels < 1 || hidden < 1 || kernelSize < 1 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException(
                    "ConvLSTM2d: expected positive channel counts and an odd kernel size, got " + "inChannels="
                            + inChannels + ", hidden=" + hidden + ", kernelSize=" + kernelSize);
        }
        this.inChannels = inChannels;
        this.hidden = hidden;
        this.kernel = kernelSize;
        this.returnSequences = returnSequences;
        registerParameter("weight_ih", new Parameter(Tensor.zeros(4 * hidden, inChannels, kernelSize, kernelSize)));
        registerParameter("weight_hh", new Parameter(Tensor.zeros(4 * hidden, hidden, kernelSize, kernelSize)));
        registerParameter("bias", new Parameter(Tensor.zeros(4 * hidden)));
        resetParameters(Generator.global());
    }

    /** Convolution weights as PyTorch's default for conv layers; the bias 0 but 1 for the forget gate. */
    @Override
    public void resetParameters(Generator g) {
        for (String name : new String[] {"weight_ih", "weight_hh"}) {
            Init.kaimingUniform(parameter(name).data(), Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", g);
        }
        Tensor b = parameter("bias").data();
        b.zero_();
        b.narrow(0, hidden, hidden).fill_(1);
    }

    @Override
    public Variable forward(Variable x) {
        int[] s = x.shape();
        if (s.length != 5 || s[2] != inChannels) {
            throw new IllegalArgumentException(
                    "ConvLSTM2d: expected an input (N, T, " + inChannels + ", H, W), got " + Shape.format(s));
        }
        int n = s[0];
        int steps = s[1];
        int[] one = {1};
        int[] pad = {kernel / 2};
        Variable wih = param("weight_ih");
        Variable whh = param("weight_hh");
        Variable b = param("bias");
        Variable h = Variable.constant(Tensor.zeros(x.dtype(), n, hidden, s[3], s[4]));
        Variable c = h;
        List<Variable> outs = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            Variable gates =
                    NN.conv2d(x.select(1, t), wih, b, one, pad, one, 1).add(NN.conv2d(h, whh, null, one, pad, one, 1));
            Variable i = gates.narrow(1, 0, hidden).sigmoid();
            Variable f = gates.narrow(1, hidden, hidden).sigmoid();
            Variable gg = gates.narrow(1, 2 * hidden, hidden).tanh();
            Variable o = gates.narrow(1, 3 * hidden, hidden).sigmoid();
            c = f.mul(c).add(i.mul(gg));
            h = o.mul(c.tanh());
            if (returnSequences) {
                outs.add(h);
            }
        }
        return returnSequences ? Variable.stack(outs, 1) : h;
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + hidden + ", kernelSize=" + kernel + ", returnSequences=" + returnSequences;
    }
}
