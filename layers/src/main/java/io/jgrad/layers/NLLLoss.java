package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Tensor;

/** Negative log-likelihood of log-probabilities, like {@code torch.nn.NLLLoss}; see {@link Losses#nll(Variable, Tensor, Tensor, int, Reduction)}. */
public class NLLLoss extends Loss {
    private final Tensor weight;
    private final int ignoreIndex;

    /** No class weights, ignore index -100, mean reduction. */
    public NLLLoss() {
        this(null, Losses.IGNORE_INDEX, Reduction.MEAN);
    }

    /**
     * A configured loss.
     *
     * @param weight per-class weights (C), or null
     * @param ignoreIndex a target to skip
     * @param reduction NONE, MEAN or SUM
     */
    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        super(reduction);
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        return Losses.nll(input, target.data(), weight, ignoreIndex, reduction);
    }
}
