package io.jgrad.models.neat.hyperneat;

import io.jgrad.models.neat.Activation;
import io.jgrad.models.neat.Genome;
import io.jgrad.models.neat.Neat;
import io.jgrad.models.neat.Network;
import java.util.List;

/**
 * HyperNEAT, following Stanley, D'Ambrosio and Gauci 2009, "A hypercube-based encoding for evolving
 * large-scale neural networks" (Artificial Life 15(2)): a connective CPPN, a NEAT {@link Genome} whose nodes
 * carry activation functions such as sine and Gaussian, is queried once for every connection of a
 * {@link Substrate}, with the coordinates of the connection's source {@code (x1, y1)} and target
 * {@code (x2, y2)} as its inputs (and, optionally, their distance). CPPN output {@code k} gives the weights from
 * layer {@code k} to layer {@code k + 1}. As in the paper (section 3.2), an output {@code o} whose magnitude is
 * at most the threshold leaves the connection unexpressed; a larger one is scaled to a weight of the same sign
 * and magnitude {@code maxWeight * (|o| - threshold) / (1 - threshold)}, with {@code |o|} capped at 1
 * ({@link #expressedWeight}). The paper's values are threshold 0.2 and weights up to 3.
 *
 * <p>The CPPNs are evolved by the project's {@link Neat} unchanged: {@link #neatOptions()} gives options whose
 * hidden nodes draw their functions from {@link #CPPN_ACTIVATIONS} and whose outputs are {@link Activation#TANH}
 * (a bipolar output, as in the paper), and {@link #neat} starts a run with the CPPN's input and output counts.
 * Because the weights are a function of geometry, a CPPN evolved on a substrate of one resolution builds a
 * network at any other ({@link Substrate#resampled}), the paper's point.
 */
public final class HyperNeat {
    /**
     * The CPPN functions of the paper's kind (sigmoid, Gaussian, sine, absolute value, plus tanh and linear);
     * no step functions, so patterns vary smoothly.
     */
    public static final List<Activation> CPPN_ACTIVATIONS = List.of(
            Activation.SIGMOID,
            Activation.TANH,
            Activation.SINE,
            Activation.GAUSSIAN,
            Activation.LINEAR,
            Activation.ABS);

    /** How CPPN outputs become substrate weights and how the substrate computes; every setter checks and returns this. */
    public static final class Options {
        double weightThreshold = 0.2;
        double maxWeight = 3.0;
        boolean distanceInput;
        Activation hiddenActivation = Activation.SIGMOID;
        Activation outputActivation = Activation.LINEAR;

        /** The magnitude at or below which a CPPN output expresses no connection, in [0, 1) (default 0.2, the paper's). */
        public Options weightThreshold(double t) {
            if (!(t >= 0 && t < 1)) {
                throw new IllegalArgumentException("HyperNeat.Options: weight threshold must be in [0, 1), got " + t);
            }
            this.weightThreshold = t;
            return this;
        }

        /** The largest weight magnitude, positive and finite (default 3, the paper's). */
        public Options maxWeight(double w) {
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException(
                        "HyperNeat.Options: max weight must be positive and finite, got " + w);
            }
            this.maxWeight = w;
            return this;
        }

        /** Whether the CPPN gets a fifth input, the distance between the two nodes (default false: x1, y1, x2, y2). */
        public Options distanceInput(boolean on) {
            this.distanceInput = on;
            return this;
        }

        /** The activation of the substrate's hidden layers (default the NEAT sigmoid). */
        public Options hiddenActivation(Activation a) {
            if (a == null) {
                throw new IllegalArgumentException("HyperNeat.Options: hidden activation must not be null");
            }
            this.hiddenActivation = a;
            return this;
        }

        /**
         * The activation of the substrate's output layer (default linear, so the most active output is never one of
         * several saturated ones).
         */
        public Options outputActivation(Activation a) {
            if (a == null) {
                throw new IllegalArgumentException("HyperNeat.Options: output activation must not be null");
            }
            this.outputActivation = a;
            return this;
        }
    }

    private final Substrate substrate;
    private final double threshold;
    private final double maxWeight;
    private final boolean distanceInput;
    private final Activation hidden;
    private final Activation output;

    /**
     * HyperNEAT on {@code substrate}.
     *
     * @param substrate the layout
     * @param options the options (copied)
     */
    public HyperNeat(Substrate substrate, Options options) {
        if (substrate == null || options == null) {
            throw new IllegalArgumentException("HyperNeat: substrate and options must not be null");
        }
        this.substrate = substrate;
        this.threshold = options.weightThreshold;
        this.maxWeight = options.maxWeight;
        this.distanceInput = options.distanceInput;
        this.hidden = options.hiddenActivation;
        this.output = options.outputActivation;
    }

    /** The same HyperNEAT settings on another substrate (for instance {@code substrate().resampled(3)}). */
    public HyperNeat on(Substrate other) {
        Options o = options();
        return new HyperNeat(other, o);
    }

    /** A copy of the options. */
    public Options options() {
        Options o = new Options();
        o.weightThreshold = threshold;
        o.maxWeight = maxWeight;
        o.distanceInput = distanceInput;
        o.hiddenActivation = hidden;
        o.outputActivation = output;
        return o;
    }

    /** The layout. */
    public Substrate substrate() {
        return substrate;
    }

    /** The CPPN's inputs: 4 ({@code x1, y1, x2, y2}), or 5 with the distance. */
    public int cppnInputs() {
        return distanceInput ? 5 : 4;
    }

    /** The CPPN's outputs: one per connection layer of the substrate. */
    public int cppnOutputs() {
        return substrate.connectionLayers();
    }

    /**
     * NEAT options for CPPNs: hidden nodes drawn from {@link #CPPN_ACTIVATIONS}, tanh outputs, an activation
     * mutation with probability 0.1, the add-connection mutation at 0.3 (the NEAT paper's rate for larger
     * populations; a CPPN needs new links, such as {@code x2} into a node fed by {@code x1}, to compare
     * coordinates), the rest NEAT's defaults.
     */
    public static Neat.Options neatOptions() {
        return new Neat.Options()
                .hiddenActivations(CPPN_ACTIVATIONS.toArray(new Activation[0]))
                .outputActivation(Activation.TANH)
                .activationMutationProbability(0.1)
                .addConnectionProbability(0.3);
    }

    /** A NEAT run of CPPNs with this substrate's input and output counts. */
    public Neat neat(Neat.Options options) {
        return new Neat(cppnInputs(), cppnOutputs(), options);
    }

    /**
     * The paper's mapping from a CPPN output to a weight: 0 when {@code |o| <= threshold}, else
     * {@code sign(o) * maxWeight * (min(|o|, 1) - threshold) / (1 - threshold)}.
     *
     * @param o the CPPN output
     * @param threshold in [0, 1)
     * @param maxWeight positive
     * @return the weight
     * @throws IllegalArgumentException for an output that is not finite or parameters out of range
     */
    public static double expressedWeight(double o, double threshold, double maxWeight) {
        if (!Double.isFinite(o)) {
            throw new IllegalArgumentException("HyperNeat.expressedWeight: CPPN output must be finite, got " + o);
        }
        if (!(threshold >= 0 && threshold < 1) || !(maxWeight > 0)) {
            throw new IllegalArgumentException(
                    "HyperNeat.expressedWeight: need threshold in [0, 1) and max weight > 0, got " + threshold + " and "
                            + maxWeight);
        }
        double m = Math.min(Math.abs(o), 1.0);
        if (m <= threshold) {
            return 0.0;
        }
        double w = maxWeight * (m - threshold) / (1.0 - threshold);
        return o < 0 ? -w : w;
    }

    /**
     * The CPPN's input for the connection from {@code (x1, y1)} to {@code (x2, y2)}: the four coordinates, then
     * their Euclidean distance when enabled.
     */
    public double[] cppnInput(double x1, double y1, double x2, double y2) {
        double[] in = new double[cppnInputs()];
        fill(in, x1, y1, x2, y2);
        return in;
    }

    private void fill(double[] in, double x1, double y1, double x2, double y2) {
        in[0] = x1;
        in[1] = y1;
        in[2] = x2;
        in[3] = y2;
        if (distanceInput) {
            double dx = x2 - x1;
            double dy = y2 - y1;
            in[4] = Math.sqrt(dx * dx + dy * dy);
        }
    }

    /**
     * The substrate network of a CPPN: every connection's weight from one query of the CPPN. (A CPPN output that
     * is not finite, which only a chain of many linear nodes could give, is taken as magnitude 1 when infinite and
     * as no connection when NaN.)
     *
     * @param cppn a genome of {@link #cppnInputs()} inputs and {@link #cppnOutputs()} outputs
     * @return the network
     * @throws IllegalArgumentException for a genome of the wrong shape
     */
    public SubstrateNetwork build(Genome cppn) {
        if (cppn == null || cppn.inputCount() != cppnInputs() || cppn.outputCount() != cppnOutputs()) {
            throw new IllegalArgumentException("HyperNeat.build: the CPPN must have " + cppnInputs() + " inputs and "
                    + cppnOutputs() + " outputs for " + substrate + (distanceInput ? " with the distance input" : "")
                    + ", got " + (cppn == null ? "null" : cppn.inputCount() + " and " + cppn.outputCount()));
        }
        Network net = cppn.network();
        double[] in = new double[cppnInputs()];
        double[] work = new double[net.nodeCount()];
        double[] out = new double[net.outputCount()];
        int pairs = substrate.connectionLayers();
        double[][] weights = new double[pairs][];
        for (int k = 0; k < pairs; k++) {
            Substrate.Grid src = substrate.layer(k);
            Substrate.Grid dst = substrate.layer(k + 1);
            int nt = dst.size();
            double[] w = new double[src.size() * nt];
            for (int i = 0; i < src.size(); i++) {
                double x1 = src.x(i % src.cols());
                double y1 = src.y(i / src.cols());
                for (int j = 0; j < nt; j++) {
                    fill(in, x1, y1, dst.x(j % dst.cols()), dst.y(j / dst.cols()));
                    net.activate(in, work, out);
                    double o = out[k];
                    // a CPPN of linear nodes can overflow; an unbounded output is capped like any |o| > 1
                    if (Double.isNaN(o)) {
                        o = 0;
                    } else if (Double.isInfinite(o)) {
                        o = Math.copySign(1.0, o);
                    }
                    w[i * nt + j] = expressedWeight(o, threshold, maxWeight);
                }
            }
            weights[k] = w;
        }
        return new SubstrateNetwork(substrate, weights, hidden, output);
    }
}
