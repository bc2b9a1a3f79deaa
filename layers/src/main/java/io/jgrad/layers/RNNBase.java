package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.autograd.fused.RecurrentScan;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The common part of {@link RNN}, {@link LSTM} and {@link GRU}: stacked, optionally bidirectional
 * recurrent layers with PyTorch's parameters, and Keras's extras (merge modes, last-step output,
 * masks, stateful mode, variational dropout).
 *
 * <p>Parameters, for layer {@code k} and each direction (suffix {@code _reverse} for the second):
 * {@code weight_ih_lk (G*H, in)}, {@code weight_hh_lk (G*H, H)}, {@code bias_ih_lk (G*H)},
 * {@code bias_hh_lk (G*H)}, with {@code G} = 1 (RNN), 4 (LSTM: gates i, f, g, o) or 3 (GRU: r, z, n)
 * and {@code in} = the input size for layer 0, {@code D*H} above; the names, shapes, order and gate
 * layout are PyTorch's, so its state dicts load. Initialization (PyTorch's): every parameter from
 * {@code U(-1/sqrt(H), 1/sqrt(H))}.
 *
 * <p>Computation: for each layer and direction, the input projections of all time steps are one
 * GEMM, and the recurrence runs as one fused operation (one small GEMM and one pass over the gates
 * per step, nothing recorded per step). The layer is differentiable at every order: while a backward
 * pass records ({@code createGraph}: gradient penalties, Hessian-vector products), the gradients come
 * from the same recurrence written step by step with differentiable operations, with the same masks.
 *
 * <p>Variable-length batches: pass a mask ({@code (B, T)} batch-first, {@code (T, B)} otherwise,
 * non-zero for real steps) or the lengths. A padded step changes nothing: the state is carried
 * through it, its output is zero, and no gradient flows through it, so padded inputs never reach
 * the outputs of real steps, the final states, or a loss computed from them. The reverse direction
 * of a right-padded sequence starts at its own last real step, like PyTorch's packed sequences.
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(64, 128, RecurrentOptions.defaults().numLayers(2).bidirectional(true));
 * RNNOutput out = lstm.run(x, new int[] {7, 5, 3});  // x (3, 7, 64); out.output() (3, 7, 256)
 * Variable last = out.hN();                          // (4, 3, 128)
 * }</pre>
 */
public abstract class RNNBase extends Module {
    private final RecurrentScan.Kind kind;
    private final int inputSize;
    private final int hiddenSize;
    private final RecurrentOptions options;
    private final int directions;
    private Generator generator;
    /** Stateful mode: the detached final states of the previous call, or null. */
    private Tensor carriedH;

    private Tensor carriedC;

    RNNBase(RecurrentScan.Kind kind, int inputSize, int hiddenSize, RecurrentOptions options) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": sizes must be positive, got inputSize="
                    + inputSize + ", hiddenSize=" + hiddenSize);
        }
        if (options == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": options are null");
        }
        if (options.unitForgetBias && kind != RecurrentScan.Kind.LSTM) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": unitForgetBias applies to LSTM only");
        }
        if (!options.nonlinearity.equals("tanh") && kind != RecurrentScan.Kind.RNN_RELU) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": nonlinearity applies to RNN only");
        }
        this.kind = kind;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.options = options;
        this.directions = options.bidirectional ? 2 : 1;
        int gh = kind.gates * hiddenSize;
        for (int layer = 0; layer < options.numLayers; layer++) {
            int in = layer == 0 ? inputSize : hiddenSize * directions;
            for (int dir = 0; dir < directions; dir++) {
                String sfx = suffix(layer, dir);
                registerParameter("weight_ih" + sfx, new Parameter(Tensor.zeros(gh, in)));
                registerParameter("weight_hh" + sfx, new Parameter(Tensor.zeros(gh, hiddenSize)));
                registerParameter("bias_ih" + sfx, options.bias ? new Parameter(Tensor.zeros(gh)) : null);
                registerParameter("bias_hh" + sfx, options.bias ? new Parameter(Tensor.zeros(gh)) : null);
            }
        }
        resetParameters(Generator.global());
    }

    private static String suffix(int layer, int dir) {
        return "_l" + layer + (dir == 1 ? "_reverse" : "");
    }

    @Override
    public void resetParameters(Generator g) {
        double bound = 1 / Math.sqrt(hiddenSize);
        for (Parameter p : parameters()) {
            Init.uniform(p.data(), -bound, bound, g);
        }
        if (options.unitForgetBias && options.bias) {
            int h = hiddenSize;
            for (int layer = 0; layer < options.numLayers; layer++) {
                for (int dir = 0; dir < directions; dir++) {
                    parameter("bias_ih" + suffix(layer, dir))
                            .data()
                            .narrow(0, h, h)
                            .fill_(1);
                    parameter("bias_hh" + suffix(layer, dir))
                            .data()
                            .narrow(0, h, h)
                            .fill_(0);
                }
            }
        }
    }

    @Override
    protected void useGenerator(Generator g) {
        this.generator = g;
    }

    private Generator generator() {
        return generator != null ? generator : Generator.global();
    }

    // ------------------------------------------------------------------------------------------ forward

    /**
     * The output (see {@link RNNOutput#output()}) for a batch without padding, from zero initial
     * states (or the carried ones in stateful mode).
     *
     * @param x {@code (B, T, inputSize)} (batch-first) or {@code (T, B, inputSize)}
     * @return the output
     */
    @Override
    public Variable forward(Variable x) {
        return run(x, (Tensor) null, null, null).output();
    }

    /**
     * The output for inputs {@code (x)}, {@code (x, h0)} or, for an LSTM, {@code (x, h0, c0)}.
     *
     * @param inputs the input and optional initial states {@code (numLayers * D, B, H)}
     * @return the output
     */
    @Override
    public Variable forward(Variable... inputs) {
        int max = kind == RecurrentScan.Kind.LSTM ? 3 : 2;
        if (inputs.length < 1 || inputs.length > max) {
            throw new IllegalArgumentException(label() + ": expected the input and up to " + (max - 1)
                    + " initial state(s), got " + inputs.length + " inputs");
        }
        return run(inputs[0], (Tensor) null, inputs.length > 1 ? inputs[1] : null, inputs.length > 2 ? inputs[2] : null)
                .output();
    }

    /**
     * Runs the layer on a batch without padding.
     *
     * @param x {@code (B, T, inputSize)} (batch-first) or {@code (T, B, inputSize)}
     * @return the output and final states
     */
    public RNNOutput run(Variable x) {
        return run(x, (Tensor) null, null, null);
    }

    /**
     * Runs the layer on a padded batch given each sequence's length.
     *
     * @param x {@code (B, T, inputSize)} (batch-first) or {@code (T, B, inputSize)}
     * @param lengths B lengths in {@code [0, T]}; the steps at and after a sequence's length are padding
     * @return the output and final states
     */
    public RNNOutput run(Variable x, int[] lengths) {
        return run(x, lengths, null, null);
    }

    /**
     * Runs the layer on a padded batch given each sequence's length, from the given initial states.
     *
     * @param x {@code (B, T, inputSize)} (batch-first) or {@code (T, B, inputSize)}
     * @param lengths B lengths in {@code [0, T]}, or null when nothing is padded
     * @param h0 initial hidden states {@code (numLayers * D, B, H)}, or null for zeros (or the carried
     *     states in stateful mode)
     * @param c0 initial cell states of an LSTM, same shape, or null; must be null for RNN and GRU
     * @return the output and final states
     */
    public RNNOutput run(Variable x, int[] lengths, Variable h0, Variable c0) {
        checkInput(x);
        int steps = x.size(options.batchFirst ? 1 : 0);
        int batch = x.size(options.batchFirst ? 0 : 1);
        boolean[] real = null;
        if (lengths != null) {
            if (lengths.length != batch) {
                throw new IllegalArgumentException(label() + ": " + lengths.length + " lengths given for a batch of "
                        + batch + " (input shape " + Shape.format(x.shape()) + ")");
            }
            real = new boolean[steps * batch];
            for (int b = 0; b < batch; b++) {
                if (lengths[b] < 0 || lengths[b] > steps) {
                    throw new IllegalArgumentException(label() + ": length " + lengths[b] + " of sequence " + b
                            + " is outside [0, " + steps + "] (input shape " + Shape.format(x.shape()) + ")");
                }
                for (int t = 0; t < lengths[b]; t++) {
                    real[t * batch + b] = true;
                }
            }
        }
        return runReal(x, real, h0, c0);
    }

    /**
     * Runs the layer with a mask of real steps.
     *
     * @param x {@code (B, T, inputSize)} (batch-first) or {@code (T, B, inputSize)}
     * @param mask {@code (B, T)} (batch-first) or {@code (T, B)}, non-zero for real steps, any dtype;
     *     or null when nothing is padded
     * @return the output and final states
     */
    public RNNOutput run(Variable x, Tensor mask) {
        return run(x, mask, null, null);
    }

    /**
     * Runs the layer with a mask of real steps, from the given initial states.
     *
     * @param x {@code (B, T, inputSize)} (batch-first) or {@code (T, B, inputSize)}
     * @param mask {@code (B, T)} (batch-first) or {@code (T, B)}, non-zero for real steps; or null
     * @param h0 initial hidden states {@code (numLayers * D, B, H)}, or null for zeros (or the carried
     *     states in stateful mode)
     * @param c0 initial cell states of an LSTM, same shape, or null; must be null for RNN and GRU
     * @return the output and final states
     */
    public RNNOutput run(Variable x, Tensor mask, Variable h0, Variable c0) {
        checkInput(x);
        boolean[] real = null;
        if (mask != null) {
            int steps = x.size(options.batchFirst ? 1 : 0);
            int batch = x.size(options.batchFirst ? 0 : 1);
            int[] expected = options.batchFirst ? new int[] {batch, steps} : new int[] {steps, batch};
            if (!java.util.Arrays.equals(mask.shape(), expected)) {
                throw new IllegalArgumentException(
                        label() + ": mask of shape " + Shape.format(mask.shape()) + " does not match the input "
                                + Shape.format(x.shape()) + " (expected " + Shape.format(expected) + ")");
            }
            // to time-major (T, B) flags
            Tensor tm = options.batchFirst ? mask.t() : mask;
            double[] v = tm.contiguous().toDoubleArray();
            real = new boolean[v.length];
            for (int k = 0; k < v.length; k++) {
                real[k] = v[k] != 0;
            }
        }
        return runReal(x, real, h0, c0);
    }

    private void checkInput(Variable x) {
        if (x == null || x.dim() != 3) {
            throw new IllegalArgumentException(
                    label() + ": expected a 3-D input " + (options.batchFirst ? "(B, T, " : "(T, B, ")
                            + inputSize + "), got " + (x == null ? "null" : Shape.format(x.shape()))
                            + (x != null && x.dim() == 2 ? "; add a batch dimension with unsqueeze" : ""));
        }
        if (x.size(2) != inputSize) {
            throw new IllegalArgumentException(label() + ": input has " + x.size(2) + " features (shape "
                    + Shape.format(x.shape()) + "), expected inputSize=" + inputSize);
        }
        int steps = x.size(options.batchFirst ? 1 : 0);
        if (steps == 0 || x.size(options.batchFirst ? 0 : 1) == 0) {
            throw new IllegalArgumentException(label() + ": empty input " + Shape.format(x.shape()));
        }
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(label() + ": expected a floating point input, got " + x.dtype());
        }
    }

    private Variable checkState(String name, Variable s, int batch) {
        int[] expected = {options.numLayers * directions, batch, hiddenSize};
        if (!java.util.Arrays.equals(s.shape(), expected)) {
            throw new IllegalArgumentException(label() + ": " + name + " of shape " + Shape.format(s.shape())
                    + ", expected " + Shape.format(expected) + " (numLayers * directions, batch, hiddenSize)");
        }
        return s;
    }

    private RNNOutput runReal(Variable x, boolean[] real, Variable h0, Variable c0) {
        boolean lstm = kind == RecurrentScan.Kind.LSTM;
        if (c0 != null && !lstm) {
            throw new IllegalArgumentException(label() + ": only an LSTM takes an initial cell state c0");
        }
        Variable xt = options.batchFirst ? x.transpose(0, 1) : x; // (T, B, in)
        int steps = xt.size(0);
        int batch = xt.size(1);
        DType dt = x.dtype();
        if (h0 != null) {
            checkState("h0", h0, batch);
        }
        if (c0 != null) {
            checkState("c0", c0, batch);
        }
        if (options.stateful && carriedH != null) {
            if (carriedH.size(1) != batch) {
                throw new IllegalArgumentException(label() + ": stateful layer got a batch of " + batch
                        + " after a batch of " + carriedH.size(1) + "; call resetStates() to start over");
            }
            if (h0 == null) {
                h0 = Variable.constant(carriedH);
            }
            if (c0 == null && lstm) {
                c0 = Variable.constant(carriedC);
            }
        }
        boolean training = isTraining();
        Generator g = generator();
        int h = hiddenSize;
        int gh = kind.gates * h;
        Variable layerIn = xt;
        if (real != null) {
            // padded inputs become exact zeros (even NaN or Inf): the projection GEMM reads every row,
            // and its weight gradient sums dgates * x over all rows, where 0 * NaN would leak
            int[] pad = new int[steps * batch];
            boolean any = false;
            for (int k = 0; k < pad.length; k++) {
                pad[k] = real[k] ? 0 : 1;
                any |= !real[k];
            }
            if (any) {
                layerIn = xt.maskedFill(Tensor.of(pad, steps, batch, 1), 0);
            }
        }
        List<Variable> hs = new ArrayList<>();
        List<Variable> cs = new ArrayList<>();
        Variable[] dirOut = new Variable[directions];
        Variable zeroState = Variable.constant(Tensor.zeros(dt, batch, h));
        for (int layer = 0; layer < options.numLayers; layer++) {
            Variable in = layerIn;
            if (training && options.inputDropout > 0) {
                // one mask per sequence, broadcast over the time steps
                in = in.mul(Variable.constant(dropMask(dt, g, options.inputDropout, 1, batch, in.size(2))));
            }
            for (int dir = 0; dir < directions; dir++) {
                String sfx = suffix(layer, dir);
                int idx = layer * directions + dir;
                Variable bih = param("bias_ih" + sfx);
                Variable bhh = param("bias_hh" + sfx);
                Variable projBias = bih;
                Variable extra = null;
                if (kind == RecurrentScan.Kind.GRU) {
                    extra = bhh != null ? bhh : Variable.constant(Tensor.zeros(dt, gh));
                } else if (bih != null) {
                    projBias = bih.add(bhh); // both biases add to the same pre-activation
                }
                Variable xp = NN.linear(in, param("weight_ih" + sfx), projBias); // (T, B, G*H): one GEMM
                Variable hInit = h0 != null ? h0.select(0, idx) : zeroState;
                if (lstm) {
                    extra = c0 != null ? c0.select(0, idx) : zeroState;
                }
                Tensor rdm = training && options.recurrentDropout > 0
                        ? dropMask(dt, g, options.recurrentDropout, batch, h)
                        : null;
                Variable packed =
                        RecurrentScan.run(kind, dir == 1, real, rdm, xp, param("weight_hh" + sfx), hInit, extra);
                dirOut[dir] = packed.narrow(0, 0, steps);
                hs.add(packed.select(0, steps));
                if (lstm) {
                    cs.add(packed.select(0, steps + 1));
                }
            }
            boolean last = layer == options.numLayers - 1;
            if (!last) {
                layerIn = directions == 2 ? Variable.cat(List.of(dirOut[0], dirOut[1]), 2) : dirOut[0];
                if (training && options.dropout > 0) {
                    layerIn = NN.dropout(layerIn, options.dropout, true, g);
                }
            }
        }
        Variable hN = Variable.stack(hs, 0);
        Variable cN = lstm ? Variable.stack(cs, 0) : null;
        Variable output;
        if (options.returnSequences) {
            output = directions == 2 ? merge(dirOut[0], dirOut[1]) : dirOut[0];
            if (options.batchFirst) {
                output = output.transpose(0, 1);
            }
        } else {
            int lastFwd = (options.numLayers - 1) * directions;
            output = directions == 2 ? merge(hs.get(lastFwd), hs.get(lastFwd + 1)) : hs.get(lastFwd);
        }
        if (options.stateful) {
            carriedH = hN.data();
            carriedC = cN != null ? cN.data() : null;
        }
        return new RNNOutput(output, hN, cN);
    }

    private Variable merge(Variable fwd, Variable bwd) {
        switch (options.mergeMode) {
            case SUM:
                return fwd.add(bwd);
            case MUL:
                return fwd.mul(bwd);
            case AVERAGE:
                return fwd.add(bwd).mul(0.5);
            default:
                return Variable.cat(List.of(fwd, bwd), fwd.dim() - 1);
        }
    }

    /** 0 or 1 / (1 - p), each with its probability. */
    private static Tensor dropMask(DType dt, Generator g, double p, int... shape) {
        return Tensor.bernoulli(g, dt, 1 - p, shape).mul(1 / (1 - p));
    }

    // ------------------------------------------------------------------------------------------ state

    /** Stateful mode: forgets the carried states, so the next call starts from zeros. */
    public void resetStates() {
        carriedH = null;
        carriedC = null;
    }

    /** The carried states {h, c} (either may be null), to put back after a call that must leave no trace. */
    final Tensor[] carriedStates() {
        return new Tensor[] {carriedH, carriedC};
    }

    /** Puts back what {@link #carriedStates()} returned. */
    final void restoreCarriedStates(Tensor[] states) {
        carriedH = states[0];
        carriedC = states[1];
    }

    /**
     * Stateful mode: the carried hidden states {@code (numLayers * D, B, H)}, or null before the first
     * call and after {@link #resetStates()}.
     *
     * @return the carried h, detached
     */
    public Tensor carriedHidden() {
        return carriedH;
    }

    /**
     * Stateful mode: the carried LSTM cell states, or null.
     *
     * @return the carried c, detached
     */
    public Tensor carriedCell() {
        return carriedC;
    }

    // ------------------------------------------------------------------------------------------ properties

    /**
     * The number of input features.
     *
     * @return inputSize
     */
    public int inputSize() {
        return inputSize;
    }

    /**
     * The number of hidden units per direction.
     *
     * @return hiddenSize
     */
    public int hiddenSize() {
        return hiddenSize;
    }

    /**
     * The layer's options.
     *
     * @return the options given at construction
     */
    public RecurrentOptions options() {
        return options;
    }

    /**
     * The feature size of {@link RNNOutput#output()}: H, or 2H for a bidirectional CONCAT layer.
     *
     * @return the output size
     */
    public int outputSize() {
        return directions == 2 && options.mergeMode == MergeMode.CONCAT ? 2 * hiddenSize : hiddenSize;
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + ", " + options;
    }
}
