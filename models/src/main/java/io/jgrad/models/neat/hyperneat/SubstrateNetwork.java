package io.jgrad.models.neat.hyperneat;

import io.jgrad.models.neat.Activation;

/**
 * A substrate network whose weights a CPPN painted ({@link HyperNeat#build}): layer {@code k + 1} of the
 * {@link Substrate} computes {@code a_{k+1}[j] = f(sum_i w_k[i][j] a_k[i])} from layer {@code k}, with the
 * hidden activation {@code f} between hidden layers and the output activation at the last layer; the input
 * layer holds the given values. There are no biases (as in the paper's visual discrimination substrate).
 *
 * <p>Weights are stored source-major, {@code w_k[i * targets + j]}, so that an input with many zeros (a
 * retina of a few lit pixels) costs only its non-zero entries. Immutable; {@link #activate} allocates its own
 * buffers, so one network may be activated from several threads.
 */
public final class SubstrateNetwork {
    private final Substrate substrate;
    private final double[][] weights;
    private final Activation hidden;
    private final Activation output;

    SubstrateNetwork(Substrate substrate, double[][] weights, Activation hidden, Activation output) {
        this.substrate = substrate;
        this.weights = weights;
        this.hidden = hidden;
        this.output = output;
    }

    /** The layout. */
    public Substrate substrate() {
        return substrate;
    }

    /** The activation of the hidden layers. */
    public Activation hiddenActivation() {
        return hidden;
    }

    /** The activation of the output layer. */
    public Activation outputActivation() {
        return output;
    }

    /**
     * The weight from node {@code source} of layer {@code layer} to node {@code target} of layer {@code layer + 1}
     * (0 for a connection the CPPN left unexpressed).
     *
     * @throws IllegalArgumentException for a layer or node out of range
     */
    public double weight(int layer, int source, int target) {
        if (layer < 0 || layer >= weights.length) {
            throw new IllegalArgumentException(
                    "SubstrateNetwork.weight: layer must be in [0, " + weights.length + "), got " + layer);
        }
        int ns = substrate.layer(layer).size();
        int nt = substrate.layer(layer + 1).size();
        if (source < 0 || source >= ns || target < 0 || target >= nt) {
            throw new IllegalArgumentException("SubstrateNetwork.weight: source must be in [0, " + ns
                    + ") and target in [0, " + nt + "), got " + source + " and " + target);
        }
        return weights[layer][source * nt + target];
    }

    /** The number of expressed (non-zero) connections. */
    public long expressedConnections() {
        long n = 0;
        for (double[] w : weights) {
            for (double v : w) {
                if (v != 0) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The largest weight magnitude (0 when nothing is expressed). */
    public double maxAbsWeight() {
        double m = 0;
        for (double[] w : weights) {
            for (double v : w) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    /**
     * The output layer's values for one input.
     *
     * @param input one value per node of the input layer, row by row
     * @return one value per node of the output layer, row by row
     * @throws IllegalArgumentException for an input of the wrong length
     */
    public double[] activate(double[] input) {
        int n0 = substrate.layer(0).size();
        if (input == null || input.length != n0) {
            throw new IllegalArgumentException("SubstrateNetwork.activate: expected " + n0 + " inputs ("
                    + substrate.layer(0) + "), got " + (input == null ? "null" : input.length));
        }
        double[] a = input;
        for (int k = 0; k < weights.length; k++) {
            int ns = substrate.layer(k).size();
            int nt = substrate.layer(k + 1).size();
            double[] w = weights[k];
            double[] z = new double[nt];
            for (int i = 0; i < ns; i++) {
                double v = a[i];
                if (v == 0) {
                    continue;
                }
                int row = i * nt;
                for (int j = 0; j < nt; j++) {
                    z[j] += v * w[row + j];
                }
            }
            Activation f = k + 1 == weights.length ? output : hidden;
            if (f != Activation.LINEAR) {
                for (int j = 0; j < nt; j++) {
                    z[j] = f.apply(z[j]);
                }
            }
            a = z;
        }
        return a;
    }
}
