package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/**
 * The result of an attention computation: the attended values and the attention weights, both
 * differentiable. See {@link Attention#scaledDotProduct} and {@link MultiheadAttention#attend}.
 */
public final class AttentionResult {
    private final Variable output;
    private final Variable weights;

    AttentionResult(Variable output, Variable weights) {
        this.output = output;
        this.weights = weights;
    }

    /**
     * The attended values.
     *
     * @return the output
     */
    public Variable output() {
        return output;
    }

    /**
     * The attention weights (after dropout, as PyTorch returns them), or null when they were not
     * requested.
     *
     * @return the weights
     */
    public Variable weights() {
        return weights;
    }
}
