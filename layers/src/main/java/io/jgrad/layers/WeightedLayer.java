package io.jgrad.layers;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;

/**
 * A layer computed from a weight and an optional bias (Linear, the convolutions), whose forward can
 * run with another weight: {@link WeightNorm} uses this to supply {@code g * v / ||v||}.
 */
public interface WeightedLayer {
    /**
     * The layer's computation with the given weight and bias.
     *
     * @param x the input
     * @param weight a weight of the layer's weight shape
     * @param bias a bias of the layer's bias shape, or null for none
     * @return the output
     */
    Variable forwardWith(Variable x, Variable weight, Variable bias);

    /**
     * The layer's own weight parameter.
     *
     * @return the weight
     */
    Parameter weight();

    /**
     * The layer's own bias parameter.
     *
     * @return the bias, or null when the layer has none
     */
    Parameter bias();
}
